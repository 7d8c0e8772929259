#!/usr/bin/env bash
# Records the checksum of a file Bascule installed in the host's manifest, which drift-check.sh compares
# with the disk every hour. Sourced by install-file.sh and install-unit.sh: record_install <path>.
# Idempotent: the path's line is replaced.
set -euo pipefail
manifest="${BASCULE_MANIFEST:-/var/lib/bascule/manifest.sha256}"

record_install() {
  local path="$1" line
  install -d -m 0755 "$(dirname "$manifest")"
  line="$(sha256sum "$path")"
  touch "$manifest"
  if ! grep -qxF "$line" "$manifest"; then
    # Every line but this path's (sha256sum's format: 64 hex digits, two spaces, the path).
    { awk -v p="$path" 'substr($0, 67) != p' "$manifest"; printf '%s\n' "$line"; } >"$manifest.tmp"
    mv "$manifest.tmp" "$manifest"
  fi
}
