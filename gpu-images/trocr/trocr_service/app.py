"""POST /analyze_writing: multipart `image` + `target_letter` → letters (text, confidence, bbox) and analysis."""
from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bascule_common.app import ServiceContext, create_service_app
from bascule_common.body import read_multipart
from bascule_common.errors import bad_request
from bascule_common.settings import CommonSettings

from .image_input import decode_image, normalize_target
from .settings import TrocrSettings

TEXT_FIELDS = ("target_letter",)


def register_routes(settings: TrocrSettings):
    def register(app: FastAPI, ctx: ServiceContext) -> None:
        @app.post("/analyze_writing")
        async def analyze_writing(request: Request) -> JSONResponse:
            started = time.perf_counter()
            form = await read_multipart(request, {"image": settings.max_image_bytes})
            for name in form.fields:
                if name not in TEXT_FIELDS:
                    raise bad_request(name, "unknown field (expected image, target_letter)")
            if "target_letter" not in form.fields:
                raise bad_request("target_letter", "missing (expected the letter to write, e.g. a or é)")
            target = normalize_target(form.fields["target_letter"])
            picture = form.files.get("image")
            if picture is None:
                raise bad_request("image", "missing (expected a PNG or JPEG file part named image)")
            image = await run_in_threadpool(decode_image, picture.data, settings.max_image_pixels)
            result = await ctx.infer(ctx.engine.analyze, image, target, request=request)
            result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            return JSONResponse(result)

    return register


def create_app(engine: Any, settings: TrocrSettings, common: CommonSettings, **kw: Any) -> FastAPI:
    return create_service_app("trocr", engine, common, register_routes(settings), **kw)
