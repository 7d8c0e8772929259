#!/usr/bin/env bash
# Waits until a URL answers 2xx (a model service's /health: 200 only once its model is loaded and warm), so
# that no gateway routes a component to it before. Usage: wait-http.sh <url> <timeout seconds>.
# Idempotent: a healthy service returns at once.
set -euo pipefail
url="${1:?usage: wait-http.sh <url> <timeout seconds>}"
timeout_s="${2:?missing the timeout in seconds}"
waited=0
until curl -fsS --max-time 5 -o /dev/null "$url"; do
  if [ "$waited" -ge "$timeout_s" ]; then
    echo "wait-http: $url not healthy after ${timeout_s}s" >&2
    exit 1
  fi
  sleep 5
  waited=$((waited + 5))
done
echo "wait-http: $url healthy"
