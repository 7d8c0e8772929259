#!/usr/bin/env bash
# Fills the model volume of a GPU host with one image's weights, once, at the revisions pinned in
# gpu-images/models.json, and writes the checksum manifest each start verifies (bascule_common/weights.py).
# Run on the host (or anywhere the volume is mounted), with network access to the model hub:
#   gpu-images/scripts/fill-models.sh whisper|tts|trocr [image tag, default bascule/<image>:local] [volume]
set -euo pipefail
image="${1:?usage: fill-models.sh whisper|tts|trocr [tag] [volume]}"
tag="${2:-bascule/$image:local}"
volume="${3:-bascule-models}"
case "$image" in whisper | tts | trocr) ;; *) echo "fill-models: unknown image $image" >&2; exit 2 ;; esac
# The image's own Python and libraries, with the hub allowed for this one run.
docker run --rm --network bridge -e HF_HUB_OFFLINE=0 -v "$volume:/models" "$tag" \
  python -m bascule_common.fill_models "$image" --models /models
