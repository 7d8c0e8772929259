#!/usr/bin/env bash
# Compares every file Bascule installed (configs, units, the firewall rules: the manifest that
# install-file.sh and install-unit.sh keep) with the disk, and publishes the number that differ as the
# metric bascule_host_drift_files (node-exporter's textfile collector), which the HostDrift alert watches.
# A difference means someone changed the host by hand: `pulumi up` would not see it (it only compares its
# own inputs), so this does. Run hourly by bascule-drift.timer. Usage: drift-check.sh. Read-only but for the metric.
set -euo pipefail
manifest="${BASCULE_MANIFEST:-/var/lib/bascule/manifest.sha256}"
metrics_dir="${BASCULE_METRICS_DIR:-/var/lib/bascule/metrics}"

drifted=0
if [ -s "$manifest" ]; then
  while read -r line; do
    [ -n "$line" ] || continue
    echo "drift: $line"
    drifted=$((drifted + 1))
  done < <(sha256sum --check --quiet "$manifest" 2>/dev/null || true)
fi
install -d -m 0755 "$metrics_dir"
printf '# HELP bascule_host_drift_files Files Bascule installed that differ from what it installed.\n# TYPE bascule_host_drift_files gauge\nbascule_host_drift_files %d\n' "$drifted" >"$metrics_dir/drift.prom.tmp"
mv "$metrics_dir/drift.prom.tmp" "$metrics_dir/drift.prom"
echo "drift-check: $drifted file(s) changed since they were installed"
