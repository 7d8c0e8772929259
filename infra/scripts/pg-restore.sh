#!/usr/bin/env bash
# Restores a backup of the gateways' database into a database (docs/runbooks/backups-and-restore.md):
# the dump of a restic snapshot (or the latest) is decrypted by restic and replayed by pg_restore, which
# drops and recreates each object first. Usage: pg-restore.sh <env file> <snapshot id|latest> <target database url>.
# Stop the gateways' writes first (the runbook says how); the target must exist.
set -euo pipefail
env_file="${1:?usage: pg-restore.sh <env file> <snapshot id|latest> <target database url>}"
snapshot="${2:?missing the snapshot (an id from "restic snapshots", or latest)}"
target="${3:?missing the target database url}"
set -a
# shellcheck disable=SC1090 # the env file is written by the program (install-file.sh)
. "$env_file"
set +a
: "${RESTIC_REPOSITORY:?missing in $env_file}" "${RESTIC_PASSWORD:?missing in $env_file}"

if [ "$snapshot" = latest ]; then
  restic dump --tag bascule-db latest bascule.dump | pg_restore --clean --if-exists --no-owner --exit-on-error --dbname "$target"
else
  restic dump "$snapshot" bascule.dump | pg_restore --clean --if-exists --no-owner --exit-on-error --dbname "$target"
fi
echo "pg-restore: $snapshot restored"
