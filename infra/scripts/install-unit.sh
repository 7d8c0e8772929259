#!/usr/bin/env bash
# Installs stdin as /etc/systemd/system/<unit>, enables it (start at boot) and (re)starts it when its text
# changed; otherwise only makes sure it runs. With --no-restart, a changed unit that is running is left to
# its rolling restart (rolling-restart.sh); a unit that is not running is started either way.
# Usage: install-unit.sh <unit> [--no-restart]. Idempotent.
set -euo pipefail
# shellcheck source=SCRIPTDIR/record-install.sh
. "$(dirname "${BASH_SOURCE[0]}")/record-install.sh"
unit="${1:?usage: install-unit.sh <unit name, e.g. bascule-whisper.service> [--no-restart]}"
mode="${2:-}"
path="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}/$unit"

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
cat >"$tmp"
if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
  systemctl is-enabled --quiet "$unit" || systemctl enable "$unit"
  systemctl is-active --quiet "$unit" || systemctl start "$unit"
  record_install "$path"
  echo "unchanged: $unit"
  exit 0
fi
install -m 0644 "$tmp" "$path"
record_install "$path"
systemctl daemon-reload
systemctl enable "$unit"
if [ "$mode" = --no-restart ] && systemctl is-active --quiet "$unit"; then
  echo "installed, restart left to the rolling restart: $unit"
  exit 0
fi
systemctl restart "$unit"
echo "installed and (re)started: $unit"
