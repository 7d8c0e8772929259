"""Entry point of the image: settings from the environment, the real engine, uvicorn."""
from __future__ import annotations

from bascule_common.server import serve
from bascule_common.settings import CommonSettings

from .app import create_app
from .engine import FasterWhisperEngine
from .settings import WhisperSettings

DEFAULT_PORT = 8001


def main() -> None:
    settings = WhisperSettings.from_env()
    # CTranslate2 serialises work per device anyway; a second concurrent decode only adds memory.
    common = CommonSettings.from_env(DEFAULT_PORT, max_concurrency=2)
    serve(create_app(FasterWhisperEngine(settings), settings, common), "whisper", common)
