#!/usr/bin/env bash
# One backup of the gateways' database: pg_dump (custom format) streamed into restic, which encrypts it
# (the repository's password) and stores it off the host (object storage), then forgets the snapshots the
# retention does not keep and prunes them. Run by bascule-backup.timer on the primary.
# Usage: pg-backup.sh <env file>, the env file (0600) holding DATABASE_URL, RESTIC_REPOSITORY,
# RESTIC_PASSWORD, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and KEEP_HOURLY/DAILY/WEEKLY/MONTHLY.
set -euo pipefail
env_file="${1:?usage: pg-backup.sh <env file>}"
set -a
# shellcheck disable=SC1090 # the env file is written by the program (install-file.sh)
. "$env_file"
set +a
: "${DATABASE_URL:?missing in $env_file}" "${RESTIC_REPOSITORY:?missing in $env_file}" "${RESTIC_PASSWORD:?missing in $env_file}"

# The repository is made on the first run (restic cat config fails on a repository that does not exist).
restic cat config >/dev/null 2>&1 || restic init
pg_dump --format=custom --no-owner --dbname "$DATABASE_URL" |
  restic backup --stdin --stdin-filename bascule.dump --tag bascule-db --host "${BACKUP_HOST:-$(hostname)}"
restic forget --tag bascule-db --group-by tags --prune \
  --keep-hourly "${KEEP_HOURLY:-24}" --keep-daily "${KEEP_DAILY:-14}" --keep-weekly "${KEEP_WEEKLY:-8}" --keep-monthly "${KEEP_MONTHLY:-12}"
# For the BackupMissing alert (node-exporter's textfile collector).
metrics_dir="${BASCULE_METRICS_DIR:-/var/lib/bascule/metrics}"
install -d -m 0755 "$metrics_dir"
printf '# HELP bascule_backup_last_success_timestamp_seconds When the last database backup succeeded.\n# TYPE bascule_backup_last_success_timestamp_seconds gauge\nbascule_backup_last_success_timestamp_seconds %d\n' "$(date +%s)" >"$metrics_dir/backup.prom.tmp"
mv "$metrics_dir/backup.prom.tmp" "$metrics_dir/backup.prom"
echo "pg-backup: done"
