#!/bin/sh
# Used by gpu-images/Dockerfile's build stages: the image's venv from its lock, hashes checked, nothing else.
#   install-venv.sh <requirements.lock>
set -eu
python -m venv /opt/venv
/opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps -r "$1"
# pip and setuptools are not needed at run time.
/opt/venv/bin/pip uninstall --yes --quiet pip setuptools
