#!/usr/bin/env bash
# Restarts the systemd unit of every Bascule container that Docker reports unhealthy (a container named
# bascule-<name> runs in bascule-<name>.service). Run every minute by bascule-health-watch.timer.
# Idempotent: healthy or starting containers are left alone.
set -euo pipefail

docker ps --filter 'name=^bascule-' --filter 'health=unhealthy' --format '{{.Names}}' | while read -r container; do
  [ -n "$container" ] || continue
  echo "health-watch: $container is unhealthy, restarting ${container}.service"
  systemctl restart "${container}.service"
done
