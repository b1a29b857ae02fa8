#!/bin/sh
# Installs npm's semver 7 into DIR for the cross-check test in src/plan/version.rs,
# which CI must not skip:  .ci/setup-npm-semver.sh DIR && RELCUT_NPM_SEMVER=DIR cargo test
set -eu
if [ "$#" -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
mkdir -p "$1"
npm install --prefix "$1" --no-audit --no-fund semver@7
echo "semver installed; export RELCUT_NPM_SEMVER=$1"
