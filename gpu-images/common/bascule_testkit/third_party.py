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


# ---------------------------------------------------------------- TTS (coqui-tts)

def fake_coqui_tts(sample_rates: Optional[Dict[str, int]] = None) -> Dict[str, types.ModuleType]:
    """`TTS` and `TTS.api` modules. `TTS.api.TTS(model_name).to(device)`, `.tts(text=...)` → list of floats,
    `.synthesizer.output_sample_rate`, `.synthesizer.tts_model` (VITS models have `length_scale`)."""
    import threading
    import time

    rates = sample_rates or {}
    package = types.ModuleType("TTS")
    api = types.ModuleType("TTS.api")
    package.api = api  # type: ignore[attr-defined]
    api.instances = []  # type: ignore[attr-defined]
    state = {"active": 0, "max_active": 0}
    api.state = state  # type: ignore[attr-defined]
    lock = threading.Lock()

    class _Vits:
        def __init__(self) -> None:
            self.length_scale = 1.0

    class _Tacotron2:
        pass

    class _Synthesizer:
        def __init__(self, model_name: str) -> None:
            self.output_sample_rate = rates.get(model_name, 22050)
            self.tts_model = _Vits() if "vits" in model_name else _Tacotron2()

    class TTS:
        def __init__(self, model_name: str = "", progress_bar: bool = True, **kwargs: Any) -> None:
            self.model_name = model_name
            self.progress_bar = progress_bar
            self.device = "cpu"
            self.synthesizer = _Synthesizer(model_name)
            self.calls: List[Dict[str, Any]] = []
            api.instances.append(self)  # type: ignore[attr-defined]

        def to(self, device: str) -> "TTS":
            self.device = device
            return self

        def tts(self, text: str, **kwargs: Any) -> List[float]:
            with lock:
                state["active"] += 1
                state["max_active"] = max(state["max_active"], state["active"])
            try:
                scale = getattr(self.synthesizer.tts_model, "length_scale", 1.0)
                self.calls.append({"text": text, "length_scale": scale, **kwargs})
                time.sleep(0.005)  # give an overlapping call the chance to show up in max_active
                rate = self.synthesizer.output_sample_rate
                seconds = 0.06 * len(text) * scale
                t = np.arange(int(seconds * rate)) / rate
                return list((0.4 * np.sin(2 * np.pi * 200.0 * t)).astype(np.float32))
            finally:
                with lock:
                    state["active"] -= 1

    api.TTS = TTS  # type: ignore[attr-defined]
    return {"TTS": package, "TTS.api": api}
