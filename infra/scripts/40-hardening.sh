#!/usr/bin/env bash
# Unattended security upgrades and the non-root service user that owns Bascule's files and runs its
# containers. Idempotent: an existing user, package or identical config file is left as it is.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
service_user="${1:-bascule}"
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

if ! id -u "$service_user" >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/bascule --shell /usr/sbin/nologin "$service_user"
fi
# Runs `docker` from its systemd units (the docker group is root-equivalent: no login, no password).
if getent group docker >/dev/null && ! id -nG "$service_user" | tr ' ' '\n' | grep -qx docker; then
  usermod -aG docker "$service_user"
fi

install -d -m 0750 -o root -g "$service_user" /etc/bascule
install -d -m 0750 -o "$service_user" -g "$service_user" /var/lib/bascule /var/lib/bascule/data
echo "hardening: ok (user $service_user, unattended upgrades on)"
