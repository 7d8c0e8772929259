#!/usr/bin/env bash
# Docker Engine (Docker's apt repository) and, on the GPU host, the NVIDIA container toolkit with a check that
# a container sees the GPU. Usage: 20-docker.sh <gpu|gateway>. Idempotent: installed packages and an already
# configured runtime are left as they are.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
role="${1:?usage: 20-docker.sh <gpu|gateway>}"
CUDA_CHECK_IMAGE="${CUDA_CHECK_IMAGE:-nvidia/cuda:12.4.1-base-ubuntu22.04}"

# Overridable for tests only; the defaults are the host's paths.
keyring_dir="${APT_KEYRING_DIR:-/etc/apt/keyrings}"
daemon_json="${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}"
install -d -m 0755 "$keyring_dir"

if ! command -v docker >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg
  # shellcheck disable=SC1091 # os-release exists on every supported host
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o "$keyring_dir/docker.asc"
  echo "deb [arch=$(dpkg --print-architecture) signed-by=$keyring_dir/docker.asc] https://download.docker.com/linux/ubuntu $codename stable" \
    >/etc/apt/sources.list.d/docker.list
  apt-get update -qq
  apt-get install -y -qq docker-ce docker-ce-cli containerd.io docker-buildx-plugin
  systemctl enable --now docker
fi

if [ "$role" != gpu ]; then
  echo "docker: ready ($(docker --version))"
  exit 0
fi

if ! command -v nvidia-ctk >/dev/null 2>&1; then
  curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --batch --yes --dearmor -o "$keyring_dir/nvidia-container-toolkit.gpg"
  curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list |
    sed "s#deb https://#deb [signed-by=$keyring_dir/nvidia-container-toolkit.gpg] https://#g" \
      >/etc/apt/sources.list.d/nvidia-container-toolkit.list
  apt-get update -qq
  apt-get install -y -qq nvidia-container-toolkit
fi

if ! grep -q '"nvidia"' "$daemon_json" 2>/dev/null; then
  nvidia-ctk runtime configure --runtime=docker
  systemctl restart docker
fi

# The proof that matters: a container runs nvidia-smi.
docker run --rm --gpus all "$CUDA_CHECK_IMAGE" nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
