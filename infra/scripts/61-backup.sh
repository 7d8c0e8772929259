#!/usr/bin/env bash
# The scheduled backup of the gateways' database on the primary: restic installed, and a timer that runs
# pg-backup.sh with the backup env file (/etc/bascule/backup.env, written by the program, 0600 root).
# Usage: 61-backup.sh <OnCalendar>. Idempotent: units are written, and systemd reloaded, only on a change.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
on_calendar="${1:?usage: 61-backup.sh <OnCalendar>}"
# Overridable for tests only; the defaults are the host's paths.
systemd_dir="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}"
scripts_dir="${BASCULE_SCRIPTS_DIR:-/opt/bascule/scripts}"

if ! command -v restic >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends restic postgresql-client
fi

service="[Unit]
Description=Bascule: encrypted backup of the gateways' database, off the host
After=network-online.target wg-quick@bascule.service
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/bin/bash $scripts_dir/pg-backup.sh /etc/bascule/backup.env
Nice=10
IOSchedulingClass=idle"
timer="[Unit]
Description=Bascule: database backup schedule

[Timer]
OnCalendar=$on_calendar
RandomizedDelaySec=5min
Persistent=true

[Install]
WantedBy=timers.target"
changed=0
write() { # path text: writes when different, notes the change
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
    printf '%s\n' "$2" >"$1"
    changed=1
  fi
}
write "$systemd_dir/bascule-backup.service" "$service"
write "$systemd_dir/bascule-backup.timer" "$timer"
if [ "$changed" = 1 ]; then systemctl daemon-reload; fi
systemctl is-enabled --quiet bascule-backup.timer || systemctl enable --now bascule-backup.timer
echo "backup: bascule-backup.timer on ($on_calendar)"
