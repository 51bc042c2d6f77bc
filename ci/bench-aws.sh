#!/usr/bin/env bash
# The AWS scan bench of issue 21: phiscan against moto, next to moto's own floor.
#
#   ci/bench-aws.sh [options] N [N ...]       e.g. ci/bench-aws.sh 1 10 50
#
# One moto server (ci/moto start, its own pid dir) gets N replicas of a mixed estate
# (fixtures/aws/seed_bench.py; the Ns ascending, each seeding only the replicas it adds), and
# for each N:
#   1. a warm-up scan through the fault proxy that records every request it forwards (moto
#      loads each service's backend on first use; the warm-up pays for it);
#   2. the timed scan, all AWS checks in three regions, JSON report, under /usr/bin/time:
#      wall, phiscan's own CPU (user+sys of the phiscan process), peak RSS; API calls and
#      throttling answers from the report's scan.api_calls, findings by status; resources
#      from the inventory the warm-up saved;
#   3. the emulator floor: the recorded requests sent again to moto over 4, 8 and 16
#      connections (fault-proxy floor; moto closes each connection after its answer, for
#      the scan as for the floor); the fastest is moto's saturated calls/s, and the floor
#      for the scan's calls is calls / that rate.
# It prints one row per N and wall/floor.
#
# moto answers on one core (its Python threads share one interpreter), and the CPU one
# request costs it moved by 40 % between replays of the same requests on a shared 2-core
# machine (BENCHMARKS.md). So the bench also reads moto's own CPU time (/proc/PID/stat)
# around each floor replay and each scan, and prints:
#   moto_busy   moto's CPU seconds during the scan over the scan's wall: 1.00 means moto
#               never waited for phiscan;
#   moto_cost   moto's CPU seconds for the scan over those for the fastest replay of the
#               same requests;
#   paced       wall over the floor at moto's pace during the scan (the floor scaled by
#               moto's CPU in the scan over its CPU in the fastest replay): wall/floor with
#               moto's own speed changes taken out.
#
# Options:
#   --latency MS --jitter MS     the timed scan goes through the fault proxy with that latency
#                                on every call (the latency and throttling bench)
#   --buckets aws|harsh|none     with --latency: token buckets per service, region and
#                                operation; `aws`: EC2 100 burst / 20 a second (EC2's
#                                documented non-mutating bucket), S3 200/100, every other
#                                service 50/10 (default aws); `harsh`: EC2 100/20, every
#                                other service 5/5 (throttles at N = 10)
#   --max-in-flight C            the proxy serves at most C requests at once (default 64):
#                                the permitted concurrency of the latency floor
#   --moto URL --seeded K        use this moto server, which already holds K replicas
#                                (seed_bench.py 0 K URL), instead of starting one
#   --compare PATH               also time this phiscan binary on the same estate (its own
#                                row, e.g. main's build next to a branch's)
#   --keep DIR                   keep reports, inventories and logs in DIR
#   --phiscan PATH               the binary (default $CARGO_TARGET_DIR/release/phiscan)
#   --runs K                     measure the floor and time each binary K times, in turns
#                                (default 1); the row gives medians (peak RSS: the largest),
#                                and wall/floor as the median of each scan over the floor
#                                measured in its own run, with the range. On a shared
#                                machine one run's wall/floor moves by +/- 0.1 on its own.
#   --proxy PATH                 fault-proxy (default: built with cargo, debug profile)
# With --latency the floor is max(moto floor, bucket floor, calls x latency / C): the
# proxy's /__fault-proxy/stats gives the last two (replay/src/fault/network.rs).
# When `prowler` is on PATH, it scans the same estate once per N (its own row); it is
# never installed by this script.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="${PHISCAN_VENV:-$HOME/.cache/phiscan/venv}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PHISCAN="$TARGET/release/phiscan"
PROXY=""
LATENCY="" JITTER=0 BUCKETS=aws MAX_IN_FLIGHT=64 KEEP="" MOTO="" SEEDED=0 COMPARE="" RUNS=1
REGIONS=us-east-1,eu-west-1,us-west-2
SIZES=()
die() { echo "ci/bench-aws.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --latency) LATENCY=$2; shift 2 ;;
    --jitter) JITTER=$2; shift 2 ;;
    --buckets) BUCKETS=$2; shift 2 ;;
    --max-in-flight) MAX_IN_FLIGHT=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --moto) MOTO=$2; shift 2 ;;
    --seeded) SEEDED=$2; shift 2 ;;
    --compare) COMPARE=$2; shift 2 ;;
    --phiscan) PHISCAN=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --proxy) PROXY=$2; shift 2 ;;
    [0-9]*) SIZES+=("$1"); shift ;;
    *) die "unknown argument $1 (see the header of this script)" ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || die "usage: ci/bench-aws.sh [options] N [N ...]"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs: a number of runs, at least 1"
[ -x "$PHISCAN" ] || die "no phiscan at $PHISCAN (cargo build --release --bin phiscan, or --phiscan)"
if [ -z "$PROXY" ]; then
  (cd "$ROOT" && cargo build -q -p phiscan-replay --bin fault-proxy) || die "cannot build fault-proxy"
  PROXY="$TARGET/debug/fault-proxy"
fi
WORK=${KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$OWN_MOTO" ] && PHISCAN_MOTO_DIR="$WORK" "$ROOT/ci/moto" stop >/dev/null
  [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

OWN_MOTO=""
if [ -z "$MOTO" ]; then
  MOTO=$(PHISCAN_MOTO_DIR="$WORK" "$ROOT/ci/moto" start)
  OWN_MOTO=1
  MOTO_PID=$(cat "$WORK/moto.pid")
else
  # A server started elsewhere: the process listening on its port, when this user can see it.
  MOTO_PID=$(ss -Htlnp "sport = :${MOTO##*:}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
fi
TICKS=$(getconf CLK_TCK)
# moto_cpu: moto's user+system CPU seconds so far (empty when its process is not known).
moto_cpu() {
  [ -n "$MOTO_PID" ] && [ -r "/proc/$MOTO_PID/stat" ] || return 0
  # Fields after the command name, which is in parentheses and may hold spaces.
  sed 's/.*) //' "/proc/$MOTO_PID/stat" | awk -v t="$TICKS" '{printf "%.2f", ($12 + $13) / t}'
}
# moto_cpu_since START: the CPU seconds moto spent since moto_cpu printed START, or null.
moto_cpu_since() {
  local now; now=$(moto_cpu)
  if [ -n "$1" ] && [ -n "$now" ]; then awk -v a="$1" -v b="$now" 'BEGIN { printf "%.2f\n", b - a }'; else echo null; fi
}

# proxy NAME ARGS...: start a fault proxy in front of moto; sets PROXY_URL.
proxy() {
  local name=$1; shift
  "$PROXY" serve --upstream "$MOTO" "$@" >"$WORK/$name.url" 2>"$WORK/$name.log" &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    [ -s "$WORK/$name.url" ] && break
    sleep 0.05
  done
  PROXY_URL=$(cat "$WORK/$name.url")
  [ -n "$PROXY_URL" ] || die "fault proxy $name did not start: $(cat "$WORK/$name.log")"
}
stop_proxy() { kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'; }

# scan BINARY ENDPOINT NAME [ARGS...]: one scan; report and /usr/bin/time's figures in $WORK.
scan() {
  local bin=$1 endpoint=$2 name=$3; shift 3
  local before; before=$(moto_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" \
    "$bin" scan aws --endpoint-url "$endpoint" --regions "$REGIONS" --format json "$@" \
    >"$WORK/$name.json" 2>"$WORK/$name.log" || {
    local rc=$?
    # 1: failures found, 3: some collection failed; both are reports.
    [ $rc -eq 1 ] || [ $rc -eq 3 ] || die "scan $name exited $rc: $(tail -5 "$WORK/$name.log")"
  }
  moto_cpu_since "$before" >"$WORK/$name.motocpu"
}

bucket_args=()
if [ -n "$LATENCY" ]; then
  case "$BUCKETS" in
    aws) bucket_args=(--bucket ec2=100:20 --bucket s3=200:100 --default-bucket 50:10) ;;
    harsh) bucket_args=(--bucket ec2=100:20 --default-bucket 5:5) ;;
    none) ;;
    *) die "--buckets: aws, harsh or none" ;;
  esac
fi

if [ -n "$LATENCY" ]; then
  echo "# phiscan behind the fault proxy: latency ${LATENCY} ms +/- ${JITTER}, buckets $BUCKETS, at most $MAX_IN_FLIGHT in flight; moto $MOTO"
else
  echo "# phiscan against moto $MOTO"
fi
BINS=("$PHISCAN")
[ -z "$COMPARE" ] || BINS+=("$COMPARE")
for b in "${BINS[@]}"; do
  echo "# $(basename "$b") = $b ($("$b" --version 2>/dev/null | head -1), $(stat -c %s "$b") bytes)"
done
printf '%-4s %-20s %-9s %-6s %-9s %-8s %-8s %-8s %-44s %-9s %-9s %-9s %-17s %-17s %-17s %s\n' \
  N binary resources calls throttled wall_s cpu_s rss_mb findings moto_cps floor_s floor_by wall/floor moto_busy moto_cost paced

seeded=$SEEDED
for n in $(printf '%s\n' "${SIZES[@]}" | sort -n); do
  if [ "$n" -gt "$seeded" ]; then
    "$VENV/bin/python" "$ROOT/fixtures/aws/seed_bench.py" "$seeded" "$n" "$MOTO" \
      || die "seeding replicas $seeded..$n failed"
    seeded=$n
  fi
  echo "# N=$n: load $(cut -d' ' -f1-3 /proc/loadavg)"
  rec="$WORK/requests-$n.jsonl"
  proxy record --record "$rec"
  # The warm-up saves the inventory (resources are counted there); the timed scan does not.
  scan "$PHISCAN" "$PROXY_URL" "warmup-$n" --save-inventory "$WORK/inventory-$n.json"
  stop_proxy
  # Each run measures the floor again, then scans with every binary: the rows pair each
  # scan with the floor measured beside it, and print medians over the runs.
  for run in $(seq 1 "$RUNS"); do
    # One replay per concurrency, each with the CPU moto spent answering it.
    : >"$WORK/floor-$n-$run.jsonl"
    for c in 4 8 16; do
      before=$(moto_cpu)
      "$PROXY" floor --upstream "$MOTO" --recorded "$rec" --concurrency "$c" >"$WORK/replay.jsonl"
      "$VENV/bin/python" -c 'import json, sys; r = json.loads(open(sys.argv[1]).readline()); r["moto_cpu_s"] = json.loads(sys.argv[2]); print(json.dumps(r))' \
        "$WORK/replay.jsonl" "$(moto_cpu_since "$before")" >>"$WORK/floor-$n-$run.jsonl"
    done
    for bin in "${BINS[@]}"; do
      label="$(basename "$bin")-$n-$run"
      if [ -n "$LATENCY" ]; then
        proxy "latency-$label" --latency-ms "$LATENCY" --jitter-ms "$JITTER" --max-in-flight "$MAX_IN_FLIGHT" \
          "${bucket_args[@]}"
        scan "$bin" "$PROXY_URL" "scan-$label"
        curl -s "$PROXY_URL/__fault-proxy/stats" >"$WORK/proxy-$label.json"
        stop_proxy
      else
        echo '{"floor_s": 0, "bucket_floor_s": 0, "latency_floor_s": 0}' >"$WORK/proxy-$label.json"
        scan "$bin" "$MOTO" "scan-$label"
      fi
    done
  done
  for bin in "${BINS[@]}"; do
  "$VENV/bin/python" - "$WORK" "$n" "$(basename "$bin")" "$RUNS" <<'PY'
import json, statistics, sys
work, n, binary, runs = sys.argv[1:5]
THROTTLING = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown",
              "TooManyRequestsException", "RequestThrottled", "RequestThrottledException"}
inv = json.load(open(f"{work}/inventory-{n}.json"))
resources = sum(len(v) for k, v in inv.items() if isinstance(v, list) and k.startswith("aws_"))
rows = []
for run in range(1, int(runs) + 1):
    label = f"{binary}-{n}-{run}"
    report = json.load(open(f"{work}/scan-{label}.json"))
    wall, user, sys_, rss_kb = open(f"{work}/scan-{label}.time").read().split()[-4:]
    calls = report["scan"].get("api_calls", [])
    throttled = sum(1 for c in calls if c.get("error_code") in THROTTLING)
    status = {}
    for f in report["findings"]:
        status[f["status"]] = status.get(f["status"], 0) + 1
    best = max((json.loads(l) for l in open(f"{work}/floor-{n}-{run}.jsonl")),
               key=lambda r: r["calls_per_s"])
    scan_moto_cpu = json.loads(open(f"{work}/scan-{label}.motocpu").read())
    proxy = json.load(open(f"{work}/proxy-{label}.json"))
    # The floor for the calls the scan needed (those answered without throttling).
    needed = len(calls) - throttled
    floors = {"moto": needed / best["calls_per_s"], "buckets": proxy["bucket_floor_s"],
              "latency": proxy["latency_floor_s"]}
    by = max(floors, key=floors.get)
    rows.append(dict(calls=len(calls), throttled=throttled, wall=float(wall),
                     cpu=float(user) + float(sys_), rss=int(rss_kb) / 1024,
                     findings=" ".join(f"{k}={v}" for k, v in sorted(status.items())),
                     cps=best["calls_per_s"], floor=floors[by], by=by,
                     ratio=float(wall) / floors[by]))
    # moto's pace: its CPU in this scan against its CPU in the fastest replay (same calls).
    paced = busy = cost = None
    if scan_moto_cpu and best["moto_cpu_s"] and by == "moto":
        busy = scan_moto_cpu / float(wall)
        cost = scan_moto_cpu / best["moto_cpu_s"]
        paced = float(wall) / (floors["moto"] * cost)
    rows[-1].update(busy=busy, cost=cost, paced=paced)
med = lambda key: statistics.median(r[key] for r in rows)
# One run: its figures. Several: medians, and the range (each scan over the floor measured
# in its own run).
def spread(key):
    if any(r[key] is None for r in rows):
        return "-"
    if len(rows) == 1:
        return f"{rows[0][key]:.2f}"
    return f"{med(key):.2f} ({min(r[key] for r in rows):.2f}-{max(r[key] for r in rows):.2f})"
findings = sorted({r["findings"] for r in rows})
print(f"{n:<4} {binary:<20} {resources:<9} {med('calls'):<6.0f} {med('throttled'):<9.0f} "
      f"{med('wall'):<8.2f} {med('cpu'):<8.2f} {max(r['rss'] for r in rows):<8.1f} "
      f"{' | '.join(findings):<44} {med('cps'):<9.0f} {med('floor'):<9.2f} {rows[0]['by']:<9} "
      f"{spread('ratio'):<17} {spread('busy'):<17} {spread('cost'):<17} {spread('paced')}")
PY
  done
  if command -v prowler >/dev/null; then
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/prowler-$n.time" \
      env AWS_ENDPOINT_URL="$MOTO" prowler aws --compliance hipaa_aws -f ${REGIONS//,/ } -M json-ocsf -o "$WORK/prowler-$n" \
      >"$WORK/prowler-$n.log" 2>&1 || true
    read -r w u s m <"$WORK/prowler-$n.time"
    echo "prowler N=$n: wall ${w} s, cpu $(echo "$u + $s" | bc) s, rss $((m / 1024)) MB"
  fi
done
