#!/usr/bin/env bash
# Recompiles the locks after a change to a requirements.in (needs uv: `pip install uv==0.5.4`):
#   gpu-images/requirements-test.lock   every image's dependencies + the test tools, one set of versions
#   gpu-images/<image>/requirements.lock  what the image installs, constrained to the versions above
# so an image and its tests run the same versions. Hashes for every file, Python 3.11 on x86-64 Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
compile=(uv pip compile --quiet --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes
  --no-header --annotation-style line)
"${compile[@]}" requirements-test.in -o requirements-test.lock

for image in whisper tts trocr; do
  "${compile[@]}" --constraint requirements-test.lock "$image/requirements.in" -o "$image/requirements.lock"
done
