#!/usr/bin/env bash
# Unattended security upgrades and the non-root service user that owns Bascule's files and runs its
# containers. Usage: 40-hardening.sh <user> <uid:gid> [ssh user]. The user has fixed ids, the same as inside
# the containers (they run as <uid:gid>), so that they can read its 0640 files and write its directories. The
# SSH user (when not root) joins the docker group: the Docker provider reaches the engine as that user.
# Idempotent: an existing user, package, group membership or identical config file is left as it is.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
service_user="${1:?usage: 40-hardening.sh <user> <uid:gid> [ssh user]}"
ids="${2:?missing the uid:gid of the service user}"
ssh_user="${3:-root}"
uid="${ids%%:*}"
gid="${ids##*:}"
# Overridable for tests only; the default is the host's path.
apt_conf_dir="${APT_CONF_DIR:-/etc/apt/apt.conf.d}"

if ! dpkg -s unattended-upgrades >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq unattended-upgrades
fi
periodic='APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";'
if [ "$(cat "$apt_conf_dir/20auto-upgrades" 2>/dev/null)" != "$periodic" ]; then
  printf '%s\n' "$periodic" >"$apt_conf_dir/20auto-upgrades"
  echo "hardening: unattended upgrades configured"
fi
systemctl is-enabled --quiet unattended-upgrades || systemctl enable --now unattended-upgrades

getent group "$service_user" >/dev/null || groupadd --system --gid "$gid" "$service_user"
if ! id -u "$service_user" >/dev/null 2>&1; then
  useradd --system --uid "$uid" --gid "$gid" --home-dir /var/lib/bascule --shell /usr/sbin/nologin "$service_user"
fi
actual="$(id -u "$service_user"):$(id -g "$service_user")"
if [ "$actual" != "$ids" ]; then
  echo "hardening: user $service_user has uid:gid $actual, the containers run as $ids; change it (usermod -u, groupmod -g) and rerun" >&2
  exit 1
fi

# The docker group is root-equivalent: the service user has no login and no password.
join_docker() {
  if getent group docker >/dev/null && ! id -nG "$1" | tr ' ' '\n' | grep -qx docker; then
    usermod -aG docker "$1"
  fi
}
join_docker "$service_user"
if [ "$ssh_user" != root ]; then join_docker "$ssh_user"; fi

install -d -m 0750 -o root -g "$service_user" /etc/bascule
install -d -m 0750 -o "$service_user" -g "$service_user" /var/lib/bascule /var/lib/bascule/data
echo "hardening: ok (user $service_user $ids, unattended upgrades on)"
