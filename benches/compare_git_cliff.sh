#!/usr/bin/env bash
# Renders a generated repository's changelog with git-cliff itself and with relcut, for every
# example configuration git-cliff-core ships, and compares the bytes.
#
# Usage: benches/compare_git_cliff.sh            (COMMITS=10000 TAGS=100 by default)
# Installs git-cliff (the version relcut's git-cliff-core matches) under target/git-cliff once.
# Exit status: 0 when every configuration renders identically, 1 otherwise.
set -euo pipefail

COMMITS=${COMMITS:-10000}
TAGS=${TAGS:-100}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRATE_DIR=$(dirname "$BENCH_DIR")
cd "$CRATE_DIR"

cargo build --release --quiet
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
RELCUT="$TARGET_DIR/release/relcut"
CORE_VERSION=$(cargo metadata --format-version 1 \
    | python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "git-cliff-core"))')
EXAMPLES=$(cargo metadata --format-version 1 \
    | python3 -c 'import json, os, sys; print(os.path.join(os.path.dirname(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "git-cliff-core")), "examples"))')

GIT_CLIFF="$TARGET_DIR/git-cliff/bin/git-cliff"
if [[ ! -x $GIT_CLIFF ]] || [[ $("$GIT_CLIFF" --version) != *"$CORE_VERSION"* ]]; then
    echo "==> installing git-cliff $CORE_VERSION (once)"
    cargo install git-cliff --version "=$CORE_VERSION" --locked --no-default-features \
        --root "$TARGET_DIR/git-cliff" --quiet
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "==> generating $COMMITS commits, $TAGS tags"
python3 "$BENCH_DIR/generate_repo.py" --out "$WORK/repo" --commits "$COMMITS" --tags "$TAGS" >/dev/null
cd "$WORK/repo"

failed=0
for config in "$EXAMPLES"/*.toml; do
    name=$(basename "$config")
    cp "$config" cliff.toml
    set +e
    "$GIT_CLIFF" >"$WORK/git-cliff.out" 2>/dev/null
    cliff_status=$?
    "$RELCUT" changelog >"$WORK/relcut.out" 2>/dev/null
    relcut_status=$?
    set -e
    if [[ $cliff_status == "$relcut_status" ]] && cmp -s "$WORK/git-cliff.out" "$WORK/relcut.out"; then
        printf 'identical  %-36s %9d bytes (exit %d)\n' "$name" "$(wc -c <"$WORK/relcut.out")" "$relcut_status"
    else
        printf 'DIFFERENT  %-36s git-cliff exit %d, relcut exit %d\n' "$name" "$cliff_status" "$relcut_status"
        diff "$WORK/git-cliff.out" "$WORK/relcut.out" | head -10 || true
        failed=1
    fi
done
rm -f cliff.toml
exit "$failed"
