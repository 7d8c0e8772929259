#!/usr/bin/env bash
# Stops, disables and removes a unit (used when a phase is rolled back). Usage: remove-unit.sh <unit>.
# Idempotent: a unit that is already gone is fine. The model cache volume is kept.
set -euo pipefail
unit="${1:?usage: remove-unit.sh <unit>}"
path="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}/$unit"
if [ -f "$path" ]; then
  systemctl disable --now "$unit" || true
  rm -f "$path"
  systemctl daemon-reload
  echo "removed: $unit"
else
  echo "absent: $unit"
fi
