#!/usr/bin/env bash
# Builds relcut's fuzz targets with libFuzzer's coverage instrumentation and runs each for a
# bounded time. Not part of CI's test run.
#
# Usage: fuzz/run.sh [SECONDS_PER_TARGET (600)] [TARGET...]
# Crashes are written to fuzz/artifacts/<target>/; the corpus grows in fuzz/corpus/<target>/.
#
# cargo fuzz needs a nightly toolchain for its sanitizer flags; these are the stable ones it
# passes without a sanitizer (`cargo fuzz run -s none`), so stable builds the same targets.
set -euo pipefail
FUZZ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SECONDS_PER_TARGET=${1:-600}
shift || true
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
    TARGETS=(conventional_commit version_tag manifest_edit changelog_prepend)
fi
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$FUZZ_DIR/target}
# An explicit target keeps the instrumentation out of build scripts and proc macros, as in
# cargo fuzz.
HOST=$(rustc -vV | sed -n 's/^host: //p')
(cd "$FUZZ_DIR" && cargo build --release --bins --target "$HOST")
for target in "${TARGETS[@]}"; do
    mkdir -p "$FUZZ_DIR/corpus/$target" "$FUZZ_DIR/artifacts/$target"
    # Real manifests and messages to start from (fuzz/seeds/, kept in git).
    if [[ -d $FUZZ_DIR/seeds/$target ]]; then
        cp -n "$FUZZ_DIR/seeds/$target"/* "$FUZZ_DIR/corpus/$target/"
    fi
    # Every input that once failed is run first (fuzz/regressions/, kept in git).
    if [[ -d $FUZZ_DIR/regressions/$target ]]; then
        "$CARGO_TARGET_DIR/$HOST/release/$target" "$FUZZ_DIR/regressions/$target"/*
    fi
    echo "==> $target for $SECONDS_PER_TARGET s"
    "$CARGO_TARGET_DIR/$HOST/release/$target" "$FUZZ_DIR/corpus/$target" \
        -artifact_prefix="$FUZZ_DIR/artifacts/$target/" -max_total_time="$SECONDS_PER_TARGET" \
        -print_final_stats=1 2>&1 | tail -25
done
