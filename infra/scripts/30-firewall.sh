#!/usr/bin/env bash
# Host firewall (nftables): 443 only from Cloudflare's published ranges, 22 only from the admin addresses,
# everything else inbound dropped. Usage: 30-firewall.sh "<admin cidrs>" "<cloudflare v4 cidrs>" "<cloudflare v6 cidrs>"
# (space-separated). Idempotent: the rules are applied only when their text changes; a unit reloads them at boot.
set -euo pipefail

admin_cidrs="${1:?usage: 30-firewall.sh <admin cidrs> <cloudflare v4 cidrs> <cloudflare v6 cidrs>}"
cf_v4="${2:?missing the Cloudflare IPv4 ranges}"
cf_v6="${3:-}"
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
