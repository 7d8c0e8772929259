"""Stand-ins for the GPU libraries the images import lazily (faster_whisper, TTS, transformers, torch).

Each mimics the public API the engines call, with the documented return shapes, records how it was
called, and is installed in sys.modules by the tests (monkeypatch.setitem), never at import time.
"""
from __future__ import annotations

import io
import types
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import numpy as np


# ---------------------------------------------------------------- faster_whisper

@dataclass
class FakeSegment:
    """faster_whisper.transcribe.Segment's fields the engine reads."""

    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float = 1.2


@dataclass
class FakeTranscriptionInfo:
    language: str
    language_probability: float
    duration: float


def fake_faster_whisper(segments: List[FakeSegment], language: str = "fr") -> types.ModuleType:
    module = types.ModuleType("faster_whisper")
    module.instances = []  # type: ignore[attr-defined]

    class WhisperModel:
        def __init__(self, model_size_or_path: str, device: str = "auto", compute_type: str = "default", **kwargs: Any) -> None:
            self.init = {"model": model_size_or_path, "device": device, "compute_type": compute_type, **kwargs}
            self.calls: List[Dict[str, Any]] = []
            self.consumed = 0
            module.instances.append(self)  # type: ignore[attr-defined]

        def transcribe(self, audio: Any, **kwargs: Any):
            self.calls.append({"audio": audio, **kwargs})

            def generate():  # faster-whisper returns a lazy generator, decoded while it is consumed
                for segment in segments:
                    self.consumed += 1
                    yield segment

            duration = 2.0
            return generate(), FakeTranscriptionInfo(kwargs.get("language") or language, 0.99, duration)

    module.WhisperModel = WhisperModel  # type: ignore[attr-defined]
    return module
