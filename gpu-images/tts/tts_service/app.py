"""POST /synthesize: JSON {text, voice, speed} → audio/wav (PCM 16-bit mono at the model's sample rate)."""
from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from bascule_common.app import ServiceContext, create_service_app
from bascule_common.body import read_json_object
from bascule_common.settings import CommonSettings

from .cache import AudioCache
from .settings import TtsSettings
from .validation import validate_request
from .wav import encode_wav


def register_routes(settings: TtsSettings):
    def register(app: FastAPI, ctx: ServiceContext) -> None:
        cache = AudioCache(settings.cache_max_bytes, ctx.metrics.registry) if settings.cache_max_bytes > 0 else None
        app.state.audio_cache = cache

        @app.post("/synthesize")
        async def synthesize(request: Request) -> Response:
            started = time.perf_counter()
            body = await read_json_object(request, settings.max_body_bytes)
            req = validate_request(body, settings.voices.keys(), settings.max_text_chars)
            key = (req.text, req.voice, req.speed, ctx.engine.revision(req.voice))
            cached = cache.get(key) if cache is not None else None
            if cached is not None:  # the same words again: no GPU work
                samples, rate = cached
                ctx.report_busy(request, 0.0)
            else:
                samples, rate = await ctx.infer(ctx.engine.synthesize, req.text, req.voice, req.speed, request=request)
                if cache is not None:
                    cache.put(key, samples, rate)
            wav = encode_wav(samples, rate)
            latency_ms = round((time.perf_counter() - started) * 1000, 1)
            return Response(
                wav,
                media_type="audio/wav",
                headers={"x-sample-rate": str(rate), "x-latency-ms": str(latency_ms), "x-voice": req.voice,
                         "cache-control": "no-store"},
            )

    return register


def create_app(engine: Any, settings: TtsSettings, common: CommonSettings, **kw: Any) -> FastAPI:
    return create_service_app("tts", engine, common, register_routes(settings), **kw)
