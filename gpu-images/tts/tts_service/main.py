"""Entry point of the image: settings from the environment, the real engine, uvicorn."""
from __future__ import annotations

from typing import Mapping, Optional, Tuple

from bascule_common.server import serve
from bascule_common.settings import CommonSettings

from .app import create_app
from .engine import CoquiEngine
from .settings import TtsSettings

DEFAULT_PORT = 8002


def load_settings(env: Optional[Mapping[str, str]] = None) -> Tuple[TtsSettings, CommonSettings]:
    # One synthesis at a time on the GPU: BASCULE_QUEUE_CONCURRENCY above 1 is refused at start.
    return TtsSettings.from_env(env), CommonSettings.from_env(DEFAULT_PORT, env, max_concurrency=1)


def main() -> None:
    settings, common = load_settings()
    serve(create_app(CoquiEngine(settings), settings, common), "tts", common)
