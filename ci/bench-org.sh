#!/usr/bin/env bash
# Organization scan against a single-account scan of the same estate (issue 21: an AWS
# Organization scan of 20 member accounts peaks at <= 2x the memory of one account's scan).
#
#   ci/bench-org.sh [MEMBERS] [SIZE]     defaults: 20 members, SIZE 10 (~120 resources each)
#
# Starts its own moto on a free loopback port, seeds an organization whose management
# account and MEMBERS member accounts each hold the same estate (fixtures/aws/seed_org_estate.py),
# then scans the management account alone and the MEMBERS members with --org-role, every AWS
# check, us-east-1, JSON to a file. Prints wall time, API calls, findings and peak RSS
# (/usr/bin/time) of both, and the ratio of the peaks. A measurement, not a test.
#
# PHISCAN: the binary to measure (default: $CARGO_TARGET_DIR/release/phiscan, else
# target/release/phiscan). BEFORE: another binary (e.g. a build of main) measured the same
# way on the same emulator state, for before/after rows. Needs `ci/moto install` and
# /usr/bin/time.
set -euo pipefail

MEMBERS="${1:-20}"
SIZE="${2:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PHISCAN="${PHISCAN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/phiscan}"
ROLE=OrganizationAccountAccessRole

die() { echo "ci/bench-org.sh: $*" >&2; exit 1; }
[ -x "$PHISCAN" ] || die "no phiscan at $PHISCAN (build it: cargo build --release --workspace --bin phiscan, or set PHISCAN)"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for peak RSS (apt-get install time)"

. "$ROOT/ci/bench-moto.sh"
export AWS_ACCESS_KEY_ID=AKIAORGSEEDMANAGER01 AWS_SECRET_ACCESS_KEY=org-seed-secret AWS_REGION=us-east-1

t0=$(date +%s.%N)
"$VENV/bin/python" "$ROOT/fixtures/aws/seed_org_estate.py" "$MEMBERS" "$SIZE" "$URL" "$WORK/truth.json"
seeded=$(echo "$(date +%s.%N) - $t0" | bc)
accounts=$(jq -r '.members | join(",")' "$WORK/truth.json")
per_account=$(jq -r '.resources_per_account' "$WORK/truth.json")
printf 'seeded 1 + %s accounts, %s created resources each, in %.1f s (%s)\n' \
  "$MEMBERS" "$per_account" "$seeded" "$("$PHISCAN" --version)"

# scan BIN NAME ARGS...: run BIN under /usr/bin/time; prints a row.
scan() {
  local bin=$1 name=$2; shift 2
  local t0 t1 code=0
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M %U %S' -o "$WORK/$name.time" "$bin" --quiet scan aws \
    --endpoint-url "$URL" --regions us-east-1 --format json -o "$WORK/$name.json" "$@" \
    2>"$WORK/$name.err" || code=$?
  t1=$(date +%s.%N)
  [ "$code" -le 3 ] || { cat "$WORK/$name.err" >&2; die "$name scan exited $code"; }
  # The last line: /usr/bin/time writes "Command exited with non-zero status N" before it.
  read -r rss user sys < <(tail -n 1 "$WORK/$name.time")
  local calls findings scopes statuses
  calls=$(jq '.scan.api_calls | length' "$WORK/$name.json")
  findings=$(jq '.findings | length' "$WORK/$name.json")
  scopes=$(jq '.scan.scope | length' "$WORK/$name.json")
  statuses=$(jq -r '[.findings[].status] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$WORK/$name.json")
  printf '%-15s accounts %3s  wall %7.2f s  cpu %6.2f s  API calls %6s  findings %6s (%s)  peak RSS %7.1f MB\n' \
    "$name" "$scopes" "$(echo "$t1 - $t0" | bc)" "$(echo "$user + $sys" | bc)" "$calls" "$findings" \
    "$statuses" "$(echo "scale=1; $rss / 1024" | bc)"
  echo "$rss" >"$WORK/$name.rss"
}

# measure BIN LABEL: the single-account and organization rows of BIN, and their ratio.
measure() {
  local bin=$1 label=$2
  scan "$bin" "$label-single"
  scan "$bin" "$label-org" --org-role "$ROLE" --org-accounts "$accounts"
  printf '%s: peak RSS ratio org/single: %.2f (target <= 2)\n' "$label" \
    "$(echo "scale=3; $(cat "$WORK/$label-org.rss") / $(cat "$WORK/$label-single.rss")" | bc)"
}

if [ -n "${BEFORE:-}" ]; then
  [ -x "$BEFORE" ] || die "no binary at BEFORE=$BEFORE"
  measure "$BEFORE" before
  measure "$PHISCAN" after
else
  measure "$PHISCAN" phiscan
fi
