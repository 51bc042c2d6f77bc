#!/usr/bin/env bash
# Evaluation at scale (issue 21; BENCHMARKS.md "Evaluation at scale"): synthetic inventories
# of the demo estate replicated to 10k, 100k and 1M resources, then
#   1. each in-process stage (load, evaluate, redact, JSON, table) with its wall time and
#      peak RSS (`phiscan-bench stages`);
#   2. the release binary end to end, `phiscan scan --from-inventory FILE --format json`
#      and `--format table`, under /usr/bin/time (wall, CPU, peak RSS).
# Figures are printed, never asserted: timing is no test on shared machines.
#
#   ci/bench-eval.sh [RESOURCES...]     default: 10000 100000 1000000
#   BENCH_DIR=DIR keeps the inventories and reports there (default: a temporary directory;
#   the 1M-resource inventory is about 1.3 GB).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
# The demo and --from-inventory need no cloud SDK: a release build without them takes
# minutes instead of the full binary's forty.
cargo build --release --locked --no-default-features --bin phiscan
cargo build --release --locked -p phiscan-bench --bin phiscan-bench
bin="${CARGO_TARGET_DIR:-target}/release"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
# A fixed collection time: every run evaluates the same verdicts.
now=2026-06-01T12:00:00Z

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr)"
for n in "${sizes[@]}"; do
  inv="$work/inventory-$n.json"
  [ -s "$inv" ] || "$bin/phiscan-bench" generate "$n" "$inv" --now "$now"
  echo
  echo "== $n resources: stages in one process"
  "$bin/phiscan-bench" stages "$inv" "$work"
  echo "== $n resources: release binary end to end"
  printf '%-7s %8s %8s %12s %10s %5s\n' format "wall s" "CPU s" "peak RSS MB" "output MB" exit
  for format in json table; do
    out="$work/report-$n.$format"
    set +e
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' \
      "$bin/phiscan" scan --from-inventory "$inv" --format "$format" --output "$out" 2>/dev/null
    code=$?
    set -e
    size=$(stat -c %s "$out")
    awk -v f="$format" -v size="$size" -v code="$code" '{
      printf "%-7s %8.2f %8.2f %12.0f %10.1f %5s\n", f, $1, $2 + $3, $4 / 1024, size / 1e6, code
    }' < <(tail -n 1 "$work/time")
  done
done
