#!/usr/bin/env bash
# relcut on a large repository: 100,000 commits, 1,000 release tags.
#
# Usage:
#   benches/large_repo.sh                      # from anywhere; builds, generates (once), measures
#   RUNS=20 benches/large_repo.sh              # at least this many runs per command (default 10;
#                                              # hyperfine runs fast commands for >= 3 s anyway)
#   COMMITS=10000 TAGS=100 benches/large_repo.sh   # a smaller repository (e.g. for profiling)
#   NO_HYPERFINE=1 benches/large_repo.sh       # force the fallback timer (median of RUNS runs)
#   KEEP_CACHE=0 benches/large_repo.sh         # regenerate the repository even if cached
#
# Environment: COMMITS (100000), TAGS (1000), UNRELEASED (50: commits after the last tag),
# SEED (1), RUNS (10), WARMUP (2), NO_HYPERFINE, KEEP_CACHE (1).
#
# What it does:
#   1. `cargo build --release` in the crate (the target directory may be shared, so the build can
#      wait on cargo's lock).
#   2. Generates, with ONE `git fast-import` stream (benches/generate_repo.py), a repository with
#      COMMITS commits on `main`, TAGS tags v0.0.1, ... (annotated and lightweight), the last one
#      UNRELEASED commits behind HEAD, realistic Conventional Commits, merges, a VERSION file equal
#      to the last tag and a CHANGELOG.md; then `git repack -ad` and `git pack-refs --all` so it is
#      packed like a fresh clone. It is cached in <target-dir>/bench-repo/<key>/ where the key
#      includes the generator version and the parameters; later runs reuse it.
#   3. Times, with hyperfine when installed (else a loop with `date +%s%N`, median of RUNS; the
#      loop's timings include about 1 ms of process overhead, so prefer hyperfine for the ratios):
#        A  git log <last-tag>..HEAD                 (baseline for `relcut next`)
#           relcut next
#        B  git log --format=%H%n%B                  (baseline for `relcut changelog`)
#           relcut changelog
#           relcut changelog --unreleased
#           relcut release --dry-run --no-push --no-publish (local: no network, no token)
#      All output goes to /dev/null.
#   4. Prints a table of medians, the ratios next/A and changelog/B, and the targets:
#      `relcut next` within 1.5x of A; `relcut changelog` of the whole history under 2 s.
#   It also checks that `relcut next` prints the version the generated commits call for and that
#   the changelog has TAGS + 1 release headings (`## [`).
#
# Exit status: 0 when everything ran, whether or not the targets are met (this is a report, not a
# test); 1 when something failed to run (build, generation, a command's non-zero exit) or when a
# correctness check failed (the timings would then not be comparable).

set -euo pipefail

COMMITS=${COMMITS:-100000}
TAGS=${TAGS:-1000}
UNRELEASED=${UNRELEASED:-50}
SEED=${SEED:-1}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
KEEP_CACHE=${KEEP_CACHE:-1}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRATE_DIR=$(dirname "$BENCH_DIR")
GENERATOR="$BENCH_DIR/generate_repo.py"

die() { echo "large_repo.sh: $*" >&2; exit 1; }
now_ns() { date +%s%N; }

for tool in git python3 cargo; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

# --- 1. build -------------------------------------------------------------------------------
echo "==> cargo build --release (may wait for the shared target directory's lock)"
(cd "$CRATE_DIR" && cargo build --release --quiet) || die "cargo build --release failed"
TARGET_DIR=$(cd "$CRATE_DIR" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
RELCUT="$TARGET_DIR/release/relcut"
[[ -x $RELCUT ]] || die "no binary at $RELCUT"
echo "    $RELCUT ($("$RELCUT" --version))"

# --- 2. the repository ----------------------------------------------------------------------
GEN_VERSION=$(python3 "$GENERATOR" --print-version)
KEY="gen${GEN_VERSION}-c${COMMITS}-t${TAGS}-u${UNRELEASED}-s${SEED}"
CACHE_ROOT="$TARGET_DIR/bench-repo"
REPO="$CACHE_ROOT/$KEY"
META="$REPO.meta.json"
mkdir -p "$CACHE_ROOT"
if [[ $KEEP_CACHE == 1 && -d $REPO && -f $META ]]; then
    echo "==> reusing the cached repository $REPO"
else
    echo "==> generating $REPO ($COMMITS commits, $TAGS tags) with git fast-import"
    rm -rf "$REPO" "$META"
    TMP="$CACHE_ROOT/.tmp-$KEY-$$"
    rm -rf "$TMP" "$TMP.meta.json"
    trap 'rm -rf "$TMP" "$TMP.meta.json"' EXIT
    started=$(now_ns)
    python3 "$GENERATOR" --out "$TMP" --commits "$COMMITS" --tags "$TAGS" \
        --unreleased "$UNRELEASED" --seed "$SEED" || die "generating the repository failed"
    mv "$TMP" "$REPO"
    mv "$TMP.meta.json" "$META"
    trap - EXIT
    elapsed_ms=$(( ($(now_ns) - started) / 1000000 ))
    echo "    generated in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s" \
         "(import $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["import_seconds"])' "$META") s," \
         "checkout + repack + pack-refs $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pack_seconds"])' "$META") s)"
fi
meta() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$META" "$1"; }
LAST_TAG=$(meta last_tag)
EXPECTED_NEXT=$(meta expected_next)
cd "$REPO"

# Sanity checks of the fixture itself.
FAILED=0
check() { # check NAME EXPECTED ACTUAL
    if [[ $2 == "$3" ]]; then
        printf '    ok    %-48s %s\n' "$1" "$3"
    else
        printf '    FAIL  %-48s expected %s, got %s\n' "$1" "$2" "$3"
        FAILED=1
    fi
}
echo "==> checks"
check "commits reachable from HEAD" "$COMMITS" "$(git rev-list --count HEAD)"
check "tags" "$TAGS" "$(git tag | wc -l | tr -d ' ')"
check "commits since $LAST_TAG" "$UNRELEASED" "$(git rev-list --count "$LAST_TAG..HEAD")"
check "VERSION at HEAD" "${LAST_TAG#v}" "$(cat VERSION)"
check "branch" "main" "$(git symbolic-ref --short HEAD)"
check "clean work tree" "" "$(git status --porcelain --untracked-files=no)"
check "relcut next" "$EXPECTED_NEXT" "$("$RELCUT" next)"
check "'## [' headings in relcut changelog" "$((TAGS + 1))" \
    "$("$RELCUT" changelog | grep -c '^## \[')"
"$RELCUT" release --dry-run --no-push --no-publish >/dev/null 2>&1 || { echo "    FAIL  relcut release --dry-run --no-push --no-publish exits non-zero"; FAILED=1; }

# --- 3. measure -----------------------------------------------------------------------------
NAMES=(
    "A: git log $LAST_TAG..HEAD"
    "relcut next"
    "B: git log --format=%H%n%B"
    "relcut changelog"
    "relcut changelog --unreleased"
    "relcut release --dry-run"
)
COMMANDS=(
    "git log $LAST_TAG..HEAD"
    "$RELCUT next"
    "git log --format=%H%n%B"
    "$RELCUT changelog"
    "$RELCUT changelog --unreleased"
    "$RELCUT release --dry-run --no-push --no-publish"
)
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS" "$RESULTS.json"' EXIT

if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
    echo "==> hyperfine --warmup $WARMUP --min-runs $RUNS (output to /dev/null, no shell)"
    args=()
    for i in "${!COMMANDS[@]}"; do
        args+=(--command-name "${NAMES[$i]}" "${COMMANDS[$i]}")
    done
    hyperfine --shell=none --warmup "$WARMUP" --min-runs "$RUNS" --style basic \
        --export-json "$RESULTS.json" "${args[@]}" || die "hyperfine failed (a command exited non-zero?)"
    python3 - "$RESULTS.json" >"$RESULTS" <<'EOF'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    times = result["times"]
    print("%s\t%.1f\t%.1f\t%.1f" % (result["command"], result["median"] * 1000,
                                    min(times) * 1000, max(times) * 1000))
EOF
else
    echo "==> timing loop: $WARMUP warm-up + $RUNS runs each, median (hyperfine not used)"
    for i in "${!COMMANDS[@]}"; do
        read -r -a argv <<<"${COMMANDS[$i]}"
        for ((w = 0; w < WARMUP; w++)); do "${argv[@]}" >/dev/null 2>&1 || die "${NAMES[$i]} failed"; done
        samples=()
        for ((r = 0; r < RUNS; r++)); do
            t0=$(now_ns)
            "${argv[@]}" >/dev/null 2>&1 || die "${NAMES[$i]} failed"
            t1=$(now_ns)
            samples+=($(( t1 - t0 )))
        done
        printf '%s\n' "${samples[@]}" | python3 -c '
import statistics, sys
name = sys.argv[1]
ns = [int(line) for line in sys.stdin]
print("%s\t%.1f\t%.1f\t%.1f" % (name, statistics.median(ns) / 1e6, min(ns) / 1e6, max(ns) / 1e6))
' "${NAMES[$i]}" >>"$RESULTS"
        echo "    ${NAMES[$i]}: done" >&2
    done
fi

# --- 4. report ------------------------------------------------------------------------------
echo
REVISION=$(git -C "$CRATE_DIR" describe --always --dirty 2>/dev/null || echo unknown)
echo "relcut $("$RELCUT" --version | awk '{print $2}') ($REVISION) on $COMMITS commits / $TAGS tags" \
     "($UNRELEASED since $LAST_TAG), $(nproc) CPUs, median of >= $RUNS runs"
python3 - "$RESULTS" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
median = {name: float(m) for name, m, _, _ in rows}
names = [name for name, *_ in rows]
width = max(len(name) for name in names)
print(f"| {'command':<{width}} | median ms |  min ms |  max ms |")
print(f"|{'-' * (width + 2)}|----------:|--------:|--------:|")
for name, m, lo, hi in rows:
    print(f"| {name:<{width}} | {float(m):9.1f} | {float(lo):7.1f} | {float(hi):7.1f} |")
a = median[names[0]]; nxt = median["relcut next"]
b = median[names[2]]; log = median["relcut changelog"]
print()
def verdict(ok): return "met" if ok else "MISSED"
print(f"relcut next / A            = {nxt / a:5.2f}x   (target <= 1.5x: {verdict(nxt / a <= 1.5)})")
print(f"relcut changelog / B       = {log / b:5.2f}x")
print(f"relcut changelog, absolute = {log / 1000:5.2f} s   (target < 2 s: {verdict(log < 2000)})")
EOF

if [[ $FAILED != 0 ]]; then
    echo "large_repo.sh: a correctness check failed (see FAIL above)" >&2
    exit 1
fi
