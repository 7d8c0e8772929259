#!/usr/bin/env bash
# Housekeeping on every host: journald capped (the containers log there, once), a weekly prune of Docker's
# unused images and build cache (a digest per build leaves the old ones behind), a timer that restarts a
# container Docker marks unhealthy (Docker's health check only marks it), and an hourly drift check of the
# files Bascule installed (drift-check.sh). Usage: 55-housekeeping.sh.
# Idempotent: each file is written, and systemd reloaded, only when its text changes.
set -euo pipefail
# Overridable for tests only; the defaults are the host's paths.
systemd_dir="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}"
journald_dir="${JOURNALD_CONF_DIR:-/etc/systemd/journald.conf.d}"
scripts_dir="${BASCULE_SCRIPTS_DIR:-/opt/bascule/scripts}"

changed=0
write() { # path text: writes when different, notes the change
  local path="$1" text="$2"
  if [ ! -f "$path" ] || [ "$(cat "$path")" != "$text" ]; then
    install -d -m 0755 "$(dirname "$path")"
    printf '%s\n' "$text" >"$path.tmp"
    mv "$path.tmp" "$path"
    changed=1
  fi
}

# name description script timer-description boot-delay interval: a oneshot service running one of Bascule's
# scripts, and the timer that runs it `interval` after the last run (first `boot-delay` after boot).
periodic() {
  write "$systemd_dir/$1.service" "[Unit]
Description=$2

[Service]
Type=oneshot
ExecStart=/usr/bin/bash $scripts_dir/$3"
  write "$systemd_dir/$1.timer" "[Unit]
Description=$4

[Timer]
OnBootSec=$5
OnUnitActiveSec=$6

[Install]
WantedBy=timers.target"
}

write "$journald_dir/10-bascule.conf" "[Journal]
SystemMaxUse=2G
SystemKeepFree=4G
MaxRetentionSec=30day"
journald_changed="$changed"

write "$systemd_dir/bascule-docker-prune.service" "[Unit]
Description=Bascule: remove unused Docker images (older than a week) and build cache

[Service]
Type=oneshot
ExecStart=/usr/bin/docker image prune --all --force --filter until=168h
ExecStart=/usr/bin/docker builder prune --all --force --filter until=168h"
write "$systemd_dir/bascule-docker-prune.timer" "[Unit]
Description=Bascule: weekly Docker prune

[Timer]
OnCalendar=Sun *-*-* 04:30:00
RandomizedDelaySec=30min
Persistent=true

[Install]
WantedBy=timers.target"
periodic bascule-health-watch "Bascule: restart the units of unhealthy containers" health-watch.sh \
  "Bascule: health watch every minute" 2min 1min
periodic bascule-drift "Bascule: compare the files Bascule installed with the disk" drift-check.sh \
  "Bascule: drift check every hour" 10min 1h

if [ "$changed" = 1 ]; then systemctl daemon-reload; fi
if [ "$journald_changed" = 1 ]; then systemctl restart systemd-journald; fi
for timer in bascule-docker-prune.timer bascule-health-watch.timer bascule-drift.timer; do
  systemctl is-enabled --quiet "$timer" || systemctl enable --now "$timer"
done
echo "housekeeping: journald capped, weekly prune, health watch and drift check timers on"
