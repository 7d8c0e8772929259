"""Run an image's app under uvicorn with JSON logs and a graceful shutdown (imported only in the image)."""
from __future__ import annotations

from fastapi import FastAPI

from .jsonlog import configure_logging
from .settings import CommonSettings


def serve(app: FastAPI, service: str, settings: CommonSettings) -> None:
    import uvicorn  # only the image needs it

    configure_logging(service, settings.log_level)
    uvicorn.run(
        app,
        host="0.0.0.0",  # inside the container; the host publishes it on 127.0.0.1 only (see README)
        port=settings.port,
        log_config=None,  # keep our JSON handler
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        timeout_keep_alive=5,
    )
