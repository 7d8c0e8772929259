#!/usr/bin/env bash
# The model cache volume is shared by every model container, and they all run as the images' user
# (image.json `user`, 10001:10001). Its root must belong to that user whichever container mounts it first:
# Docker copies a mount point's ownership into an empty volume only from an image that has that directory,
# and llama.cpp's image has no /models, so the volume would stay root's and the next image could not write.
# Usage: 50-model-cache.sh <volume> <uid:gid>. Idempotent: nothing changes when the owner is already right.
set -euo pipefail
volume="${1:?usage: 50-model-cache.sh <volume> <uid:gid>}"
owner="${2:?missing the owner, uid:gid}"

mountpoint="$(docker volume inspect --format '{{.Mountpoint}}' "$volume")"
current="$(stat -c '%u:%g' "$mountpoint")"
if [ "$current" = "$owner" ]; then
  echo "model cache: unchanged ($volume owned by $owner)"
  exit 0
fi
# Recursive: weights written earlier by a root container become readable and writable by the services.
chown -R "$owner" "$mountpoint"
chmod 0755 "$mountpoint"
echo "model cache: $volume owned by $owner (was $current)"
