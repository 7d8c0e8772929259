#!/usr/bin/env bash
# The private network between Bascule's hosts: one WireGuard interface, "bascule", with this host's address
# and one [Peer] per other host (read from stdin, as the program renders them). The private key is the one
# 05-wireguard-key.sh made; the config only points at it. Usage: 45-wireguard.sh <address/prefix> <port> < peers.
# Idempotent: the config is rewritten and applied (wg syncconf, no tunnel drop) only when its text changes.
set -euo pipefail
address="${1:?usage: 45-wireguard.sh <address/prefix> <port> < peers}"
port="${2:?missing the listen port}"
# Overridable for tests only; the default is the host's path.
wg_dir="${WIREGUARD_DIR:-/etc/wireguard}"
conf="$wg_dir/bascule.conf"
peers="$(cat)"

desired="# Managed by Bascule (infra/scripts/45-wireguard.sh)
[Interface]
Address = $address
ListenPort = $port
PostUp = wg set %i private-key $wg_dir/bascule.key

$peers"
install -d -m 0700 "$wg_dir"
if [ -f "$conf" ] && [ "$(cat "$conf")" = "$desired" ]; then
  systemctl is-enabled --quiet wg-quick@bascule || systemctl enable wg-quick@bascule
  systemctl is-active --quiet wg-quick@bascule || systemctl start wg-quick@bascule
  echo "wireguard: unchanged"
  exit 0
fi
(umask 077 && printf '%s\n' "$desired" >"$conf.tmp")
mv "$conf.tmp" "$conf"
systemctl is-enabled --quiet wg-quick@bascule || systemctl enable wg-quick@bascule
if systemctl is-active --quiet wg-quick@bascule; then
  # Applies the peers without taking the interface down (the address does not change here).
  wg syncconf bascule <(wg-quick strip bascule)
  wg set bascule private-key "$wg_dir/bascule.key"
else
  systemctl start wg-quick@bascule
fi
echo "wireguard: bascule $address, $(grep -c '^\[Peer\]' "$conf") peers"
