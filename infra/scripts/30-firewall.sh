#!/usr/bin/env bash
# Host firewall (nftables): 22 only from the admin addresses; WireGuard (UDP) only from the other hosts;
# everything that comes through the tunnel ("bascule" interface) accepted; on a gateway host, 443 only from
# Cloudflare's published ranges (the GPU host has none: it serves the gateways only, through the tunnel).
# Packets for the private network that did not come through the tunnel are dropped before Docker's NAT sees
# them, so a neighbour on the provider's network cannot reach a port published on the private address.
# Usage: 30-firewall.sh "<admin cidrs>" "<cloudflare v4>" "<cloudflare v6>" "<peer addresses>" <wg port> <private cidr>
# (lists space-separated; Cloudflare's empty on the GPU host). Idempotent: the rules are applied only when
# their text changes; a unit reloads them at boot.
set -euo pipefail

usage="usage: 30-firewall.sh <admin cidrs> <cloudflare v4> <cloudflare v6> <peer addresses> <wg port> <private cidr>"
admin_cidrs="${1:?$usage}"
cf_v4="${2-}"
cf_v6="${3-}"
peer_addresses="${4:?$usage}"
wg_port="${5:?$usage}"
private_cidr="${6:?$usage}"
# Overridable for tests only; the defaults are the host's paths.
etc_dir="${BASCULE_ETC_DIR:-/etc/bascule}"
systemd_dir="${SYSTEMD_UNIT_DIR:-/etc/systemd/system}"
rules="$etc_dir/firewall.nft"
unit="$systemd_dir/bascule-firewall.service"

command -v nft >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables; }
install -d -m 0750 "$etc_dir"

join() { local IFS=','; echo "$*"; }
split_family() { # prints the cidrs of one family (4 or 6) from a space-separated list
  local family="$1" cidr
  shift
  for cidr in "$@"; do
    if [[ "$family" == 6 && "$cidr" == *:* ]] || [[ "$family" == 4 && "$cidr" != *:* ]]; then echo "$cidr"; fi
  done
}
read -r -a admin_list <<<"$admin_cidrs"
read -r -a cf4_list <<<"$cf_v4"
read -r -a cf6_list <<<"$cf_v6"
read -r -a peer_list <<<"$peer_addresses"
mapfile -t admin4 < <(split_family 4 "${admin_list[@]}")
mapfile -t admin6 < <(split_family 6 "${admin_list[@]}")

set_line() { # name type elements...
  local name="$1" type="$2"
  shift 2
  if [ "$#" -gt 0 ]; then echo "  set $name { type $type; flags interval; elements = { $(join "$@") } }"; else echo "  set $name { type $type; flags interval; }"; fi
}

desired="$(
  cat <<NFT
table inet bascule
delete table inet bascule
table inet bascule {
$(set_line admin4 ipv4_addr "${admin4[@]}")
$(set_line admin6 ipv6_addr "${admin6[@]}")
$(set_line cloudflare4 ipv4_addr "${cf4_list[@]}")
$(set_line cloudflare6 ipv6_addr "${cf6_list[@]}")
$(set_line peers4 ipv4_addr "${peer_list[@]}")
  chain prerouting {
    type filter hook prerouting priority raw; policy accept;
    ip daddr $private_cidr iifname != "bascule" iifname != "lo" drop
  }
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    ct state invalid drop
    iifname "lo" accept
    iifname "docker0" accept
    iifname "br-*" accept
    meta l4proto { icmp, ipv6-icmp } accept
    tcp dport 22 ip saddr @admin4 accept
    tcp dport 22 ip6 saddr @admin6 accept
    udp dport $wg_port ip saddr @peers4 accept
    iifname "bascule" ip saddr $private_cidr accept
    tcp dport 443 ip saddr @cloudflare4 accept
    tcp dport 443 ip6 saddr @cloudflare6 accept
  }
}
NFT
)"

changed=0
if [ ! -f "$rules" ] || [ "$(cat "$rules")" != "$desired" ]; then
  nft -c -f - <<<"$desired"
  printf '%s\n' "$desired" >"$rules.tmp"
  mv "$rules.tmp" "$rules"
  changed=1
fi
if [ "$changed" = 1 ] || ! nft list table inet bascule >/dev/null 2>&1; then
  nft -f "$rules"
  echo "firewall: rules applied"
else
  echo "firewall: unchanged"
fi

unit_text="[Unit]
Description=Bascule host firewall (nftables)
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f $rules

[Install]
WantedBy=multi-user.target"
if [ ! -f "$unit" ] || [ "$(cat "$unit")" != "$unit_text" ]; then
  printf '%s\n' "$unit_text" >"$unit"
  systemctl daemon-reload
fi
systemctl is-enabled --quiet bascule-firewall.service || systemctl enable bascule-firewall.service
