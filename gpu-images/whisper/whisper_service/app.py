"""POST /transcribe: multipart `audio` + `language` + `initial_prompt` → text, language, confidence, segments."""
from __future__ import annotations

import time
from typing import Any, Dict, Optional

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bascule_common.app import ServiceContext, create_service_app
from bascule_common.body import Form, read_multipart
from bascule_common.errors import bad_request, unsupported_media_type
from bascule_common.settings import CommonSettings

from .audio_format import SUPPORTED, sniff_audio
from .batcher import MicroBatcher
from .languages import WHISPER_LANGUAGES
from .settings import WhisperSettings

TEXT_FIELDS = ("language", "initial_prompt")
MAX_PROMPT_CHARS = 1000


def validate_form(form: Form, settings: WhisperSettings) -> Dict[str, Any]:
    """The audio bytes, language and prompt, or a 4xx naming the field."""
    for name in form.fields:
        if name not in TEXT_FIELDS:
            raise bad_request(name, f"unknown field (expected audio, {', '.join(TEXT_FIELDS)})")
    audio = form.files.get("audio")
    if audio is None or not audio.data:
        raise bad_request("audio", "missing (expected an audio file part named audio)")
    if sniff_audio(audio.data) is None:
        raise unsupported_media_type("audio", f"not a recognised audio file (expected one of {', '.join(SUPPORTED)})")
    language = form.fields.get("language", settings.default_language).strip().lower()
    if language not in WHISPER_LANGUAGES:
        raise bad_request("language", f"expected an ISO 639-1 code that Whisper knows, such as fr; got {language[:20]!r}")
    prompt: Optional[str] = form.fields.get("initial_prompt")
    if prompt is not None and len(prompt) > MAX_PROMPT_CHARS:
        raise bad_request("initial_prompt", f"longer than {MAX_PROMPT_CHARS} characters")
    return {"audio": audio.data, "language": language, "initial_prompt": prompt or None}


def register_routes(settings: WhisperSettings):
    def register(app: FastAPI, ctx: ServiceContext) -> None:
        batcher = (MicroBatcher(ctx.engine.transcribe_batch, ctx.queue, settings.batch_window_ms / 1000, settings.max_batch)
                   if settings.batching else None)
        app.state.batcher = batcher

        @app.post("/transcribe")
        async def transcribe(request: Request) -> JSONResponse:
            started = time.perf_counter()
            form = await read_multipart(request, {"audio": settings.max_audio_bytes})
            args = validate_form(form, settings)
            # Decoding is CPU work: done here, before the request takes a GPU slot (and refused early when the
            # container announces, or decoding reaches, more than the allowed length).
            samples = await run_in_threadpool(ctx.engine.decode, args["audio"])
            if batcher is not None:
                # The VAD and the log-mel features are CPU work too: done here, then the clip joins a batch.
                clip = await run_in_threadpool(ctx.engine.prepare, samples, args["language"], args["initial_prompt"])
                result = await ctx.infer_batched(batcher, clip, request=request)
            else:
                result = await ctx.infer(ctx.engine.transcribe, samples, args["language"], args["initial_prompt"], request=request)
            result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            return JSONResponse(result)

    return register


def create_app(engine: Any, settings: WhisperSettings, common: CommonSettings, **kw: Any) -> FastAPI:
    return create_service_app("whisper", engine, common, register_routes(settings), **kw)
