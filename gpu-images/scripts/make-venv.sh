#!/usr/bin/env bash
# Builds the test environment of the model images from gpu-images/requirements-test.lock (hashes checked),
# at gpu-images/.venv. Idempotent: does nothing when the venv already holds exactly this lock (the lock's
# sha256 is stamped inside the venv).
#
#   gpu-images/scripts/make-venv.sh
#
# BASCULE_VENV_CACHE=<dir>: build the venv in <dir>/<lock sha256> and link gpu-images/.venv to it, so a
#   fresh clone on the same machine (CI) reuses it instead of downloading ~3 GB of wheels again.
# BASCULE_PYTHON: the Python 3.11 to use (default: python3.11, else python3 when it is 3.11).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lock="$here/requirements-test.lock"
link="$here/.venv"

python="${BASCULE_PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "make-venv: no Python 3.11 found (the images run 3.11; set BASCULE_PYTHON to one)" >&2
  exit 1
fi

want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -n "${BASCULE_VENV_CACHE:-}" ]; then
  venv="$BASCULE_VENV_CACHE/$want"
else
  venv="$link"
fi
stamp="$venv/.bascule-lock-sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  echo "make-venv: $venv is up to date with $(basename "$lock")"
else
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  started=$(date +%s)
  # The lock is complete (every transitive dependency, hashed): --no-deps installs exactly it.
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$lock"
  echo "$want" >"$stamp"
  echo "make-venv: built $venv from $(basename "$lock") in $(($(date +%s) - started)) s"
fi
if [ "$venv" != "$link" ]; then
  rm -rf "$link"
  ln -s "$venv" "$link"
fi
