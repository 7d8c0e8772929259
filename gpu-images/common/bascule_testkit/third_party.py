"""Stand-ins for the GPU libraries the images import lazily (faster_whisper, TTS, transformers, torch).

Each mimics the public API the engines call, with the documented return shapes, records how it was
called, and is installed in sys.modules by the tests (monkeypatch.setitem), never at import time.
"""
from __future__ import annotations

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

    module.decoded = []  # type: ignore[attr-defined]

    def decode_audio(input_file: Any, sampling_rate: int = 16000, split_stereo: bool = False) -> np.ndarray:
        """Like faster_whisper.decode_audio (PyAV): float32 mono at sampling_rate; raises on a corrupt file."""
        import soundfile

        module.decoded.append(input_file)  # type: ignore[attr-defined]
        data, rate = soundfile.read(input_file, dtype="float32", always_2d=True)  # raises on garbage
        mono = data.mean(axis=1)
        n = int(round(mono.shape[0] * sampling_rate / rate))
        return np.interp(np.linspace(0, mono.shape[0] - 1, n), np.arange(mono.shape[0]), mono).astype(np.float32)

    module.WhisperModel = WhisperModel  # type: ignore[attr-defined]
    module.decode_audio = decode_audio  # type: ignore[attr-defined]
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


# ---------------------------------------------------------------- torch + transformers (TrOCR)

class FakeTensor:
    """The few tensor methods the TrOCR engine calls, over a numpy array."""

    def __init__(self, array: Any) -> None:
        self.array = np.asarray(array)
        self.device = "cpu"
        self.dtype: Any = None

    def to(self, device: Any = None, dtype: Any = None) -> "FakeTensor":
        self.device, self.dtype = device, dtype
        return self

    def float(self) -> "FakeTensor":
        return FakeTensor(self.array.astype(np.float32))

    def cpu(self) -> "FakeTensor":
        return self

    def numpy(self) -> np.ndarray:
        return self.array

    def __getitem__(self, key: Any) -> "FakeTensor":
        return FakeTensor(self.array[key])

    @property
    def shape(self) -> tuple:
        return self.array.shape


def fake_torch(cuda: bool = True) -> types.ModuleType:
    import contextlib

    torch = types.ModuleType("torch")
    torch.float16, torch.float32 = "float16", "float32"  # type: ignore[attr-defined]
    torch.inference_mode = contextlib.nullcontext  # type: ignore[attr-defined]
    torch.cuda = types.SimpleNamespace(  # type: ignore[attr-defined]
        is_available=lambda: cuda, memory_reserved=lambda: 987_654_321, empty_cache=lambda: None
    )
    return torch


def fake_transformers(script: List[tuple]) -> types.ModuleType:
    """`TrOCRProcessor` and `VisionEncoderDecoderModel`. script: one (decoded text, token log-probs) per
    crop, in order; generated sequences are [start] + tokens + [eos] + [pad...] like greedy generation."""
    START, PAD, EOS = 0, 1, 2
    module = types.ModuleType("transformers")
    module.loaded = []  # type: ignore[attr-defined]
    module.batches = []  # type: ignore[attr-defined]

    class TrOCRProcessor:
        @classmethod
        def from_pretrained(cls, name: str, **kwargs: Any) -> "TrOCRProcessor":
            module.loaded.append(("processor", name, kwargs))  # type: ignore[attr-defined]
            return cls()

        def __call__(self, images: List[Any], return_tensors: str = "pt") -> Any:
            module.batches.append([(im.mode, im.size) for im in images])  # type: ignore[attr-defined]
            return types.SimpleNamespace(pixel_values=FakeTensor(np.zeros((len(images), 3, 4, 4))))

        def batch_decode(self, sequences: FakeTensor, skip_special_tokens: bool = False) -> List[str]:
            return [script[i % len(script)][0] for i in range(sequences.shape[0])]

    class VisionEncoderDecoderModel:
        def __init__(self) -> None:
            self.device = "cpu"
            self.generation_config = types.SimpleNamespace(eos_token_id=EOS, pad_token_id=PAD)
            self.generate_kwargs: Dict[str, Any] = {}

        @classmethod
        def from_pretrained(cls, name: str, **kwargs: Any) -> "VisionEncoderDecoderModel":
            module.loaded.append(("model", name, kwargs))  # type: ignore[attr-defined]
            model = cls()
            module.model = model  # type: ignore[attr-defined]
            return model

        def to(self, device: str) -> "VisionEncoderDecoderModel":
            self.device = device
            return self

        def eval(self) -> "VisionEncoderDecoderModel":
            return self

        def generate(self, pixel_values: FakeTensor, **kwargs: Any) -> Any:
            self.generate_kwargs = {"device": pixel_values.device, "dtype": pixel_values.dtype, **kwargs}
            rows = [script[i % len(script)] for i in range(pixel_values.shape[0])]
            width = max(len(lp) for _, lp in rows) + 1
            sequences, scores = [], []
            for _, logprobs in rows:
                tokens = [10 + k for k in range(len(logprobs) - 1)] + [EOS]
                sequences.append([START] + tokens + [PAD] * (width - len(tokens)))
                scores.append(list(logprobs) + [-9.0] * (width - len(logprobs)))  # pad positions: must be ignored
            self._scores = np.array(scores, dtype=np.float32)
            return types.SimpleNamespace(sequences=FakeTensor(np.array(sequences)), scores=tuple(range(width)))

        def compute_transition_scores(self, sequences: FakeTensor, scores: tuple, normalize_logits: bool = False) -> FakeTensor:
            assert normalize_logits, "log-probabilities need normalised logits"
            return FakeTensor(self._scores)

    module.TrOCRProcessor = TrOCRProcessor  # type: ignore[attr-defined]
    module.VisionEncoderDecoderModel = VisionEncoderDecoderModel  # type: ignore[attr-defined]
    return module
