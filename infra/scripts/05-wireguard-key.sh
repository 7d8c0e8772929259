#!/usr/bin/env bash
# The host's WireGuard key: made once, on the host (the private key never leaves it), and its public key
# printed on stdout, the only output, for the peers' configs. Usage: 05-wireguard-key.sh <key file>.
# Idempotent: an existing key is kept.
set -euo pipefail
key_file="${1:?usage: 05-wireguard-key.sh <key file>}"

if ! command -v wg >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wireguard-tools >&2
fi
install -d -m 0700 "$(dirname "$key_file")"
if [ ! -s "$key_file" ]; then
  (umask 077 && wg genkey >"$key_file.tmp")
  mv "$key_file.tmp" "$key_file"
  echo "wireguard: key made in $key_file" >&2
fi
wg pubkey <"$key_file"
