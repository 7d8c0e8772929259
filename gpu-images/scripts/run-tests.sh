#!/usr/bin/env bash
# The images' test command (nx's test targets): pytest in the venv built from the lock by make-venv.sh.
#   gpu-images/scripts/run-tests.sh gpu-images/whisper [pytest arguments]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python="$here/.venv/bin/python"
want="$(sha256sum "$here/requirements-test.lock" | cut -d' ' -f1)"
if [ ! -x "$python" ] || [ "$(cat "$here/.venv/.bascule-lock-sha256" 2>/dev/null)" != "$want" ]; then
  echo "gpu-images/.venv is missing or older than requirements-test.lock: run gpu-images/scripts/make-venv.sh" >&2
  exit 1
fi
exec "$python" -m pytest -q "$@"
