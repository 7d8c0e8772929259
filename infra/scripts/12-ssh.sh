#!/usr/bin/env bash
# SSH hardening: keys only, no root login, only the deploy user. Usage: 12-ssh.sh <deploy user>.
# The deploy user (created at first setup, docs/runbooks/00-first-time-setup.md) logs in with its key and
# runs the bootstrap with sudo. Refuses to lock the door when that user has no authorized key.
# Idempotent: the drop-in is written and sshd reloaded only when the text changes.
set -euo pipefail
deploy_user="${1:?usage: 12-ssh.sh <deploy user>}"
# Overridable for tests only; the defaults are the host's paths.
sshd_dir="${SSHD_CONFIG_DIR:-/etc/ssh/sshd_config.d}"
home_dir="${DEPLOY_HOME:-$(getent passwd "$deploy_user" | cut -d: -f6)}"

if [ "$deploy_user" = root ]; then
  echo "ssh: the deploy user must not be root (root login is turned off)" >&2
  exit 1
fi
if [ -z "$home_dir" ] || [ ! -s "$home_dir/.ssh/authorized_keys" ]; then
  echo "ssh: $deploy_user has no $home_dir/.ssh/authorized_keys; refusing to turn root and password logins off" >&2
  exit 1
fi

desired="# Managed by Bascule (infra/scripts/12-ssh.sh)
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthenticationMethods publickey
AllowUsers $deploy_user
X11Forwarding no
AllowAgentForwarding no
MaxAuthTries 3"
conf="$sshd_dir/10-bascule.conf"
install -d -m 0755 "$sshd_dir"
if [ -f "$conf" ] && [ "$(cat "$conf")" = "$desired" ]; then
  echo "ssh: unchanged"
  exit 0
fi
printf '%s\n' "$desired" >"$conf.tmp"
mv "$conf.tmp" "$conf"
sshd -t
systemctl reload ssh 2>/dev/null || systemctl reload sshd
echo "ssh: keys only, no root login, AllowUsers $deploy_user"
