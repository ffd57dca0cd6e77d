#!/usr/bin/env bash
# Fuzzes the HJ 212 parser and frame decoder with libFuzzer + AddressSanitizer.
#
#   scripts/fuzz-hj212.sh [SECONDS] [PACKAGE_DIR]
#
# Builds the HJ212Fuzz product into .build-fuzz (separate from the normal .build), seeds the corpus
# with the real packets in Tests/Fixtures/hj212, runs for SECONDS (default 60), then prints the
# number of executions and any findings. Exits 1 when libFuzzer found a crash, leak-free or not.
set -euo pipefail

DURATION="${1:-60}"
PACKAGE_DIR="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$PACKAGE_DIR"

SCRATCH=".build-fuzz"
CORPUS="$SCRATCH/hj212-corpus"
ARTIFACTS="$SCRATCH/hj212-findings/"
LOG="$SCRATCH/hj212-fuzz.log"
FIXTURES="Tests/Fixtures/hj212"

export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0

# swiftc drops the fuzzer's coverage instrumentation when -sanitize=fuzzer and -sanitize=address are
# combined (Swift 6.3: the objects carry no __sancov sections and libFuzzer sees only its own few
# hundred counters), so the coverage kinds libFuzzer needs are asked for explicitly.
COVERAGE=(-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp)
echo "== building HJ212Fuzz (--sanitize=fuzzer --sanitize=address, edge coverage) in $SCRATCH"
mkdir -p "$SCRATCH"
if ! swift build --product HJ212Fuzz --sanitize=fuzzer --sanitize=address "${COVERAGE[@]}" --scratch-path "$SCRATCH" \
    >"$SCRATCH/build.log" 2>&1; then
    grep -E 'error' "$SCRATCH/build.log" | head -n 20
    echo "build failed; full log in $SCRATCH/build.log"
    exit 2
fi
BIN="$(swift build --product HJ212Fuzz --sanitize=fuzzer --sanitize=address "${COVERAGE[@]}" --scratch-path "$SCRATCH" --show-bin-path)/HJ212Fuzz"

echo "== seeding $CORPUS from $FIXTURES"
mkdir -p "$CORPUS" "$ARTIFACTS"
seed=0
while IFS= read -r line; do
    line="${line%$'\r'}"
    case "$line" in
        '##'*) printf '%s\r\n' "$line" >"$CORPUS/packet-$seed"; seed=$((seed + 1)) ;;
    esac
done < <(cat "$FIXTURES/packets.txt" "$FIXTURES/packets-invalid.txt")
while IFS= read -r line; do
    case "$line" in
        'QN='*) printf '%s' "$line" >"$CORPUS/segment-$seed"; seed=$((seed + 1)) ;;
    esac
done <"$FIXTURES/hj212-2017-appendix-c-segments.txt"
echo "   $seed seed files"

echo "== fuzzing for ${DURATION}s"
set +e
"$BIN" "$CORPUS" -max_total_time="$DURATION" -print_final_stats=1 -artifact_prefix="$ARTIFACTS" \
    -max_len=4096 -timeout=10 >"$LOG" 2>&1
status=$?
set -e

executions="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$LOG" | grep -Eo '[0-9]+$' | tail -1 || true)"
findings="$(find "$ARTIFACTS" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)"
echo "== result"
echo "executions: ${executions:-unknown}"
echo "instrumented: $(grep -Eo 'Loaded [0-9]+ modules +\([0-9]+ inline 8-bit counters\)' "$LOG" | head -1)"
echo "coverage at the end: $(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$LOG" | tail -1)"
echo "new inputs added: $(grep -Eo 'stat::new_units_added: *[0-9]+' "$LOG" | grep -Eo '[0-9]+$' | tail -1)"
echo "findings: $findings (artifacts in $ARTIFACTS)"
tail -n 3 "$LOG" | sed 's/^/   /'
if [ "$findings" -gt 0 ] || [ "$status" -ne 0 ]; then
    grep -E 'ERROR|Fatal error|SUMMARY' "$LOG" | head -n 5 || true
    exit 1
fi
