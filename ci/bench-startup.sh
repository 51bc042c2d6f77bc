#!/usr/bin/env bash
# How fast phiscan starts (issue 21: `phiscan checks list` < 20 ms; start to the first API
# call < 50 ms).
#
#   ci/bench-startup.sh [RUNS]     default 20 runs of each; prints min and median in ms
#
# `checks list`: wall time of the whole process (stdout to /dev/null). First API call: the
# time from just before exec to the `started_at` phiscan records for its first call
# (sts:GetCallerIdentity) of `scan aws` against a moto of its own (plain http on loopback,
# one check, one region), read from the JSON report. A measurement, not a test.
#
# PHISCAN: the binary to measure (default: $CARGO_TARGET_DIR/release/phiscan, else
# target/release/phiscan). Needs `ci/moto install`.
set -euo pipefail

RUNS="${1:-20}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PHISCAN="${PHISCAN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/phiscan}"
[ -x "$PHISCAN" ] || { echo "no phiscan at $PHISCAN (set PHISCAN)" >&2; exit 1; }

. "$ROOT/ci/bench-moto.sh"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1

# stats FILE: "min X ms, median Y ms" of the numbers (ms) in FILE.
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END { printf "min %.1f ms, median %.1f ms (%d runs)", v[1], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), NR }'
}

"$PHISCAN" checks list >/dev/null # warm the page cache
for _ in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  "$PHISCAN" checks list >/dev/null
  t1=$(date +%s%N)
  echo "scale=3; ($t1 - $t0) / 1000000" | bc >>"$WORK/list.ms"
done
echo "$("$PHISCAN" --version): checks list: $(stats "$WORK/list.ms")"

scan() {
  "$PHISCAN" --quiet scan aws --endpoint-url "$URL" --regions us-east-1 \
    --checks aws-ebs-volume-encrypted --format json -o "$WORK/scan.json"
}
scan # moto answers its first call of each service slowly: not phiscan's time
for _ in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  scan
  first=$(jq -r '[.scan.api_calls[].started_at] | min' "$WORK/scan.json")
  "$VENV/bin/python" -c '
import datetime, sys
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
print("%.3f" % ((t.timestamp() * 1e9 - int(sys.argv[2])) / 1e6))' "$first" "$t0" >>"$WORK/first.ms"
done
echo "$("$PHISCAN" --version): start to first API call: $(stats "$WORK/first.ms")"
