#!/usr/bin/env bash
# NVIDIA driver and CUDA: Contabo's GPU VPS come with both preinstalled; this checks them and, where none is
# present, installs the recommended server driver WITH its utilities (nvidia-smi is in
# nvidia-utils-<version>-server, which `ubuntu-drivers install --gpgpu` leaves out). Either way the driver's
# packages are held, so that unattended-upgrades cannot replace the kernel module's libraries under a
# running driver (a mismatch that takes every GPU container down until a reboot); the driver is upgraded in
# a maintenance window (docs/runbooks/gpu-host-down.md). Idempotent: a working, held driver is left alone.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

hold_driver() {
  local packages
  packages="$(dpkg-query -W -f='${Package} ${Status}\n' 'nvidia-*' 'libnvidia-*' 2>/dev/null | awk '$NF == "installed" { print $1 }')"
  if [ -n "$packages" ]; then
    # shellcheck disable=SC2086 # one package name per word
    apt-mark hold $packages >/dev/null
  fi
}

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
  hold_driver
  echo "nvidia: driver present and held: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
  exit 0
fi

apt-get update -qq
apt-get install -y -qq --no-install-recommends ubuntu-drivers-common
# The driver ubuntu-drivers recommends, e.g. "nvidia-driver-550-server" → version "550".
driver="$(ubuntu-drivers list --gpgpu 2>/dev/null | grep -o 'nvidia-driver-[0-9]*-server' | sort -V | tail -n 1 || true)"
if [ -z "$driver" ]; then
  echo "nvidia: no server driver found for this card by ubuntu-drivers" >&2
  exit 1
fi
version="${driver#nvidia-driver-}"
version="${version%-server}"
ubuntu-drivers install --gpgpu "nvidia:${version}-server"
apt-get install -y -qq --no-install-recommends "nvidia-utils-${version}-server"
hold_driver
echo "nvidia: driver ${version}-server and its utilities installed and held; reboot the host (sudo reboot), then run 'pulumi up' again" >&2
exit 1
