#!/bin/sh
# Installs the ecosystem tools the integration tests run to check relcut's edits (CI must not
# skip those checks): node and npm (`npm pkg get version`, `npm install --package-lock-only`),
# python3 (tomllib, pip's vendored `packaging`), uv (`uv lock --locked`), and util-linux
# `script`, which gives relcut a pseudo-terminal in the confirmation tests.
set -eu
missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v python3 >/dev/null 2>&1 || missing="$missing python3 python3-pip"
command -v script >/dev/null 2>&1 || missing="$missing bsdutils"
if [ -n "$missing" ]; then
    apt-get update -qq && apt-get install -y -qq $missing >/dev/null
fi
if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check uv==0.13.9 2>&1 | grep -v "Running pip as the 'root' user" || true
    # pip may install into a directory that is not on PATH yet (pyenv shims, ~/.local/bin).
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
uv --version
