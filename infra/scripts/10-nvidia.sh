#!/usr/bin/env bash
# NVIDIA driver and CUDA: Contabo's GPU VPS come with both preinstalled; this checks them and installs the
# recommended server driver only where none is present. Idempotent: with a working driver it changes nothing.
set -euo pipefail

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
  echo "nvidia: driver present: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ubuntu-drivers-common
ubuntu-drivers install --gpgpu
echo "nvidia: driver installed; reboot the host (sudo reboot), then run 'pulumi up' again" >&2
exit 1
