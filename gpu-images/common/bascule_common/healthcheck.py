"""`python -m bascule_common.healthcheck`: the images' Docker HEALTHCHECK (no curl in the image).

Exits 0 only when GET /health answers 200, i.e. the model is loaded and warm.
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def check(port: int, timeout_s: float = 4.0) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout_s) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":  # pragma: no cover - exercised by Docker
    sys.exit(check(int(os.environ.get("PORT", "8000"))))
