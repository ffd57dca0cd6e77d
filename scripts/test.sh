#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests need (apt, pip), checks the
# formatting, builds, runs the browser smoke test against `lantian serve --demo`, then runs every Swift
# test with a throwaway PostgreSQL, so each database test runs on SQLite AND on PostgreSQL.
#   scripts/test.sh            (as root, or with sudo available)
# Logs and screenshots go to $LANTIAN_TEST_ARTIFACTS (default ./artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export PATH=/opt/swift/usr/bin:$PATH
export SWIFT_BACKTRACE=enable=no
ARTIFACTS=${LANTIAN_TEST_ARTIFACTS:-$PWD/artifacts}
mkdir -p "$ARTIFACTS"
T0=$(date +%s)
say() { echo "== [$(($(date +%s) - T0))s] $*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# 1. System packages: PostgreSQL for the database tests; Chromium and its driver for the browser tests;
#    Leaflet and Chart.js, which the pages serve from where Debian puts them; a CJK font for screenshots;
#    the zlib headers the Imaging target (and NIO's HTTP compression) build against.
APT_PACKAGES=(postgresql chromium chromium-driver libjs-leaflet libjs-chart.js fonts-wqy-microhei zlib1g-dev)
missing=()
for package in "${APT_PACKAGES[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$ARTIFACTS/apt.log" 2>&1 \
    || { tail -30 "$ARTIFACTS/apt.log"; exit 1; }
fi
# 2. Python packages: Selenium for the browser tests, georeport (a real Open311 client) for the interop test.
python3 -c 'import selenium, georeport' 2>/dev/null || {
  say "pip install selenium georeport"
  pip install -q "selenium>=4.20" "georeport>=0.3" >"$ARTIFACTS/pip.log" 2>&1 \
    || { tail -20 "$ARTIFACTS/pip.log"; exit 1; }
}

# 3. Formatting (the committed .swift-format).
say "swift format lint"
swift format lint --strict --recursive Sources Tests Fuzz Package.swift

# 4. Build the app and the tests once.
say "swift build --build-tests"
swift build --build-tests >"$ARTIFACTS/build.log" 2>&1 \
  || { grep -E 'error:' "$ARTIFACTS/build.log" | head -40; tail -20 "$ARTIFACTS/build.log"; exit 1; }
tail -1 "$ARTIFACTS/build.log"

# 5. A throwaway PostgreSQL on 127.0.0.1:54329.
export PGROOT=${PGROOT:-/tmp/lantian-pg} PGPORT=${PGPORT:-54329}
say "start PostgreSQL"
LANTIAN_TEST_POSTGRES_URL=$(scripts/pg-start.sh 2>"$ARTIFACTS/pg-start.log" | tail -1)
export LANTIAN_TEST_POSTGRES_URL
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  scripts/pg-stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT

# 6. Browser smoke test against the real demo server.
say "browser tests (chromium)"
DEMO_DIR=$(mktemp -d)
PORT=18080
env -u DATABASE_URL .build/debug/lantian serve --demo --port $PORT --hj212-port 18212 --data-dir "$DEMO_DIR" \
  >"$ARTIFACTS/demo-server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
python3 Tests/browser/smoke.py "http://127.0.0.1:$PORT" "$ARTIFACTS" | tee "$ARTIFACTS/browser.log"
python3 Tests/browser/ui.py "http://127.0.0.1:$PORT" "$ARTIFACTS" | tee "$ARTIFACTS/browser-ui.log"
# Open311 interop: the georeport client library against the same demo server (its demo API key).
say "Open311 interop (georeport)"
python3 Tests/interop/open311_client.py "http://127.0.0.1:$PORT" demo-open311-key | tee "$ARTIFACTS/open311.log"
kill -TERM $SERVER_PID; wait $SERVER_PID || { echo "demo server did not stop cleanly"; exit 1; }
SERVER_PID=""

# 7. Every Swift test. Database tests take each database as an argument: SQLite always, PostgreSQL
#    because LANTIAN_TEST_POSTGRES_URL is set. The summary lines of swift test come last.
say "swift test (SQLite and PostgreSQL at $LANTIAN_TEST_POSTGRES_URL)"
rc=0
swift test --skip-build --disable-xctest --verbose >"$ARTIFACTS/swift-test.log" 2>&1 || rc=$?
grep -E '^✘ ' "$ARTIFACTS/swift-test.log" || true
sqlite_cases=$(grep -cE '^✔ Test case passing .*database → sqlite' "$ARTIFACTS/swift-test.log" || true)
postgres_cases=$(grep -cE '^✔ Test case passing .*database → postgres' "$ARTIFACTS/swift-test.log" || true)
echo "database test cases passed: sqlite $sqlite_cases, postgres $postgres_cases"
if [ "$rc" -eq 0 ] && { [ "$sqlite_cases" -eq 0 ] || [ "$postgres_cases" -eq 0 ]; }; then
  echo "the database tests did not run on both SQLite and PostgreSQL"; rc=1
fi
say "done"
grep -E '^(✔|✘) Test run with|^✘ .*failed' "$ARTIFACTS/swift-test.log" | tail -3 || tail -20 "$ARTIFACTS/swift-test.log"
exit $rc
