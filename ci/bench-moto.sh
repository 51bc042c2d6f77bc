# Sourced by the bench scripts (ci/bench-org.sh, ci/bench-startup.sh): a moto server of
# their own on a free loopback port, stopped (and $WORK removed) when the script exits.
# Sets VENV, WORK, URL and MOTO_PID; needs `ci/moto install`.

VENV="${PHISCAN_VENV:-$HOME/.cache/phiscan/venv}"
[ -x "$VENV/bin/moto_server" ] || { echo "moto is not installed: run ci/moto install" >&2; exit 1; }
WORK="$(mktemp -d)"
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_ACM_VALIDATION_WAIT=86400 \
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  curl -sf "$URL/moto-api/" >/dev/null 2>&1 && break
  kill -0 $MOTO_PID 2>/dev/null || { echo "moto_server exited: $(cat "$WORK/moto.log")" >&2; exit 1; }
  sleep 0.2
done

export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
