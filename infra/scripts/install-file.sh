#!/usr/bin/env bash
# Installs stdin as a file (atomically, with mode and group) and, when its content changed, restarts the
# given systemd unit. Usage: install-file.sh <path> <mode> <group> [unit-to-restart]. Idempotent.
set -euo pipefail
# shellcheck source=SCRIPTDIR/record-install.sh
. "$(dirname "${BASH_SOURCE[0]}")/record-install.sh"
path="${1:?usage: install-file.sh <path> <mode> <group> [unit]}"
mode="${2:?missing mode}"
group="${3:?missing group}"
unit="${4:-}"

tmp="$(mktemp "$(dirname "$path")/.install.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
cat >"$tmp"
if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
  record_install "$path"
  echo "unchanged: $path"
  exit 0
fi
chmod "$mode" "$tmp"
chgrp "$group" "$tmp"
mv "$tmp" "$path"
trap - EXIT
record_install "$path"
echo "installed: $path"
if [ -n "$unit" ] && systemctl is-active --quiet "$unit"; then systemctl restart "$unit"; fi
