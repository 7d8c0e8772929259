"""Run an image's app under uvicorn with JSON logs and a graceful shutdown."""
from __future__ import annotations

import inspect
import os

from fastapi import FastAPI

from .jsonlog import configure_logging
from .settings import CommonSettings


def serve(app: FastAPI, service: str, settings: CommonSettings) -> None:
    import uvicorn  # only the image (and the shutdown test) needs it

    configure_logging(service, settings.log_level)
    options = dict(
        # 0.0.0.0 inside the container; the host publishes the port on 127.0.0.1 only (see README).
        host=os.environ.get("BASCULE_HOST", "0.0.0.0"),
        port=settings.port,
        log_config=None,  # keep our JSON handler
        access_log=False,
        timeout_keep_alive=5,
        # On SIGTERM: stop accepting, let running requests finish for at most this long.
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
    )
    accepted = inspect.signature(uvicorn.Config.__init__).parameters
    uvicorn.run(app, **{k: v for k, v in options.items() if k in accepted})
