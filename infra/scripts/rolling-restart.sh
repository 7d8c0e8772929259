#!/usr/bin/env bash
# Restarts one gateway without sending it traffic while it is down: drains it (the proxy answers /readyz
# with 503 while the drain file exists, and the load balancer's monitor takes it out), restarts the unit,
# waits for its own /readyz, undrains, and waits for the load balancer to take it back before the next host
# drains. Stdin is the fingerprint of what the gateway reads; a gateway that already runs it with a ready
# /readyz is left alone. Usage: rolling-restart.sh <unit> <readyz url> <lb notice seconds> <timeout seconds>.
set -euo pipefail
unit="${1:?usage: rolling-restart.sh <unit> <readyz url> <lb notice seconds> <timeout seconds>}"
readyz="${2:?missing the readyz url}"
notice_s="${3:?missing the seconds the load balancer needs to notice}"
timeout_s="${4:?missing the timeout in seconds}"
# Overridable for tests only; the defaults are the host's paths.
run_dir="${BASCULE_RUN_DIR:-/run/bascule}"
state_dir="${BASCULE_STATE_DIR:-/var/lib/bascule}"
fingerprint="$(cat)"
fingerprint_file="$state_dir/${unit}.fingerprint"

ready() { curl -fsS --max-time 5 -o /dev/null "$readyz"; }
wait_ready() {
  local waited=0
  until ready; do
    if [ "$waited" -ge "$timeout_s" ]; then
      echo "rolling-restart: $unit not ready at $readyz after ${timeout_s}s; left drained (see docs/runbooks/gateway-host-down.md)" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}

install -d -m 0755 "$run_dir" "$state_dir"
if [ -f "$fingerprint_file" ] && [ "$(cat "$fingerprint_file")" = "$fingerprint" ] && systemctl is-active --quiet "$unit" && ready; then
  echo "rolling-restart: $unit unchanged and ready"
  exit 0
fi

if systemctl is-active --quiet "$unit"; then
  touch "$run_dir/drain"
  echo "rolling-restart: $unit drained, waiting ${notice_s}s for the load balancer"
  sleep "$notice_s"
fi
systemctl restart "$unit"
wait_ready
rm -f "$run_dir/drain"
printf '%s\n' "$fingerprint" >"$fingerprint_file"
echo "rolling-restart: $unit ready, waiting ${notice_s}s for the load balancer to take it back"
sleep "$notice_s"
