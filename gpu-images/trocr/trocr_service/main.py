"""Entry point of the image: settings from the environment, the real engine, uvicorn."""
from __future__ import annotations

from bascule_common.server import serve
from bascule_common.settings import CommonSettings

from .app import create_app
from .engine import TrOcrEngine
from .settings import TrocrSettings

DEFAULT_PORT = 8003


def main() -> None:
    settings = TrocrSettings.from_env()
    common = CommonSettings.from_env(DEFAULT_PORT, max_concurrency=2)
    serve(create_app(TrOcrEngine(settings), settings, common), "trocr", common)
