#!/usr/bin/env bash
# PostgreSQL for the gateways' shared state, on a gateway host, reachable through the tunnel only.
# Usage: 60-postgres.sh primary <private address> <private cidr> [standby private address] < secrets
#        60-postgres.sh standby <private address> <private cidr> <primary private address>  < secrets
# Stdin: "bascule=<password>" and, with a standby, "replicator=<password>" lines (never on the command line).
# The primary owns the database `bascule` and its role; the standby follows it by streaming replication
# (a physical slot, so the primary keeps the WAL it has not received). Idempotent: settings, roles and the
# standby's base backup are only (re)done when they differ from what is wanted.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
role="${1:?usage: 60-postgres.sh <primary|standby> <private address> <private cidr> [peer address]}"
address="${2:?missing the private address}"
cidr="${3:?missing the private cidr}"
peer="${4:-}"
secrets="$(cat)"
secret() { printf '%s\n' "$secrets" | sed -n "s/^$1=//p"; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql
fi
version="$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 }')"
conf_dir="/etc/postgresql/$version/main"
data_dir="/var/lib/postgresql/$version/main"

settings="# Managed by Bascule (infra/scripts/60-postgres.sh)
listen_addresses = 'localhost,$address'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
password_encryption = scram-sha-256"
hba="# Managed by Bascule (infra/scripts/60-postgres.sh)
local all postgres peer
local all all scram-sha-256
host bascule bascule 127.0.0.1/32 scram-sha-256
host bascule bascule $cidr scram-sha-256
${peer:+host replication replicator $peer/32 scram-sha-256}"
changed=0
if [ "$(cat "$conf_dir/conf.d/10-bascule.conf" 2>/dev/null)" != "$settings" ]; then
  install -d -o postgres -g postgres "$conf_dir/conf.d"
  printf '%s\n' "$settings" >"$conf_dir/conf.d/10-bascule.conf"
  changed=1
fi
if [ "$(cat "$conf_dir/pg_hba.conf")" != "$hba" ]; then
  printf '%s\n' "$hba" >"$conf_dir/pg_hba.conf"
  changed=1
fi
# The tunnel's address must exist before PostgreSQL listens on it.
install -d /etc/systemd/system/postgresql@.service.d
dropin='[Unit]
After=wg-quick@bascule.service
Wants=wg-quick@bascule.service'
if [ "$(cat /etc/systemd/system/postgresql@.service.d/10-bascule.conf 2>/dev/null)" != "$dropin" ]; then
  printf '%s\n' "$dropin" >/etc/systemd/system/postgresql@.service.d/10-bascule.conf
  systemctl daemon-reload
fi

psql_as_postgres() { (cd / && sudo -u postgres psql -v ON_ERROR_STOP=1 -qAt "$@"); }

if [ "$role" = primary ]; then
  if [ "$changed" = 1 ]; then systemctl restart "postgresql@$version-main"; fi
  systemctl is-active --quiet "postgresql@$version-main" || systemctl start "postgresql@$version-main"
  password="$(secret bascule)"
  [ -n "$password" ] || { echo "postgres: no bascule= password on stdin" >&2; exit 1; }
  # Passwords go through psql variables (:'name' quotes them), never through the command line.
  psql_as_postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE bascule LOGIN PASSWORD %L', :'password') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bascule') \gexec
SELECT format('ALTER ROLE bascule LOGIN PASSWORD %L', :'password') \gexec
SELECT 'CREATE DATABASE bascule OWNER bascule' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'bascule') \gexec
SQL
  replicator="$(secret replicator)"
  if [ -n "$peer" ] && [ -n "$replicator" ]; then
    psql_as_postgres -v password="$replicator" <<'SQL'
SELECT format('CREATE ROLE replicator REPLICATION LOGIN PASSWORD %L', :'password') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') \gexec
SELECT format('ALTER ROLE replicator REPLICATION LOGIN PASSWORD %L', :'password') \gexec
SELECT pg_create_physical_replication_slot('standby') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = 'standby');
SQL
  fi
  echo "postgres: primary ready on $address:5432"
  exit 0
fi

# Standby: a base backup of the primary, once; afterwards it streams.
[ -n "$peer" ] || { echo "postgres: a standby needs the primary's private address" >&2; exit 1; }
replicator="$(secret replicator)"
[ -n "$replicator" ] || { echo "postgres: no replicator= password on stdin" >&2; exit 1; }
if [ -f "$data_dir/standby.signal" ] && grep -q "host=$peer" "$data_dir/postgresql.auto.conf" 2>/dev/null; then
  if [ "$changed" = 1 ]; then systemctl restart "postgresql@$version-main"; fi
  systemctl is-active --quiet "postgresql@$version-main" || systemctl start "postgresql@$version-main"
  echo "postgres: standby of $peer, streaming"
  exit 0
fi
systemctl stop "postgresql@$version-main"
rm -rf "${data_dir:?}"
install -d -o postgres -g postgres -m 0700 "$data_dir"
(cd / && PGPASSWORD="$replicator" sudo -E -u postgres pg_basebackup --host "$peer" --username replicator --pgdata "$data_dir" \
  --wal-method stream --slot standby --write-recovery-conf --checkpoint fast)
systemctl start "postgresql@$version-main"
echo "postgres: standby of $peer, base backup taken"
