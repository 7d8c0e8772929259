"""Stand-ins for the GPU libraries the images import lazily (faster_whisper, TTS, transformers, torch).

Each mimics the public API the engines call, with the documented return shapes, records how it was
called, and is installed in sys.modules by the tests (monkeypatch.setitem), never at import time.

Every fake method takes the real method's parameters by name, with the real defaults, and no **kwargs: a
wrong argument name fails here as it fails against the real library. common/tests/test_common_fakes.py
compares each signature with the installed library's (FAKED_SIGNATURES below), so they cannot drift.
The real libraries themselves run on tiny random models in each image's test_<image>_real_engine.py.
"""
from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union

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


def fake_faster_whisper(segments: List[FakeSegment], default_language: str = "fr") -> types.ModuleType:
    module = types.ModuleType("faster_whisper")
    module.instances = []  # type: ignore[attr-defined]

    class WhisperModel:
        def __init__(self, model_size_or_path: str, device: str = "auto", device_index: Union[int, List[int]] = 0,
                     compute_type: str = "default", cpu_threads: int = 0, num_workers: int = 1,
                     download_root: Optional[str] = None, local_files_only: bool = False) -> None:
            self.init = {"model": model_size_or_path, "device": device, "device_index": device_index,
                         "compute_type": compute_type, "download_root": download_root,
                         "local_files_only": local_files_only}
            self.calls: List[Dict[str, Any]] = []
            self.consumed = 0
            module.instances.append(self)  # type: ignore[attr-defined]

        def transcribe(self, audio: Any, language: Optional[str] = None, task: str = "transcribe",
                       beam_size: int = 5, temperature: Any = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],  # noqa: B006 (the real default)
                       log_prob_threshold: Optional[float] = -1.0, no_speech_threshold: Optional[float] = 0.6,
                       condition_on_previous_text: bool = True, initial_prompt: Any = None,
                       word_timestamps: bool = False, vad_filter: bool = False, vad_parameters: Any = None,
                       max_new_tokens: Optional[int] = None):
            self.calls.append({"audio": audio, "language": language, "task": task, "beam_size": beam_size,
                               "temperature": temperature, "log_prob_threshold": log_prob_threshold,
                               "no_speech_threshold": no_speech_threshold,
                               "condition_on_previous_text": condition_on_previous_text,
                               "initial_prompt": initial_prompt, "word_timestamps": word_timestamps,
                               "vad_filter": vad_filter, "vad_parameters": vad_parameters,
                               "max_new_tokens": max_new_tokens})

            def generate():  # faster-whisper returns a lazy generator, decoded while it is consumed
                for segment in segments:
                    self.consumed += 1
                    yield segment

            duration = 2.0
            return generate(), FakeTranscriptionInfo(language or default_language, 0.99, duration)

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
        def __init__(self, model_name: str = "", model_path: Optional[str] = None, config_path: Optional[str] = None,
                     vocoder_path: Optional[str] = None, vocoder_config_path: Optional[str] = None,
                     progress_bar: bool = True, gpu: bool = False) -> None:
            self.model_name = model_name
            self.progress_bar = progress_bar
            self.device = "cpu"
            self.synthesizer = _Synthesizer(model_name)
            self.is_multi_speaker = "vctk" in model_name
            self.is_multi_lingual = "multilingual" in model_name
            self.calls: List[Dict[str, Any]] = []
            api.instances.append(self)  # type: ignore[attr-defined]

        def to(self, device: str) -> "TTS":
            self.device = device
            return self

        def tts(self, text: str, speaker: Optional[str] = None, language: Optional[str] = None,
                speaker_wav: Optional[str] = None, emotion: Optional[str] = None, speed: Optional[float] = None,
                split_sentences: bool = True) -> List[float]:
            with lock:
                state["active"] += 1
                state["max_active"] = max(state["max_active"], state["active"])
            try:
                scale = getattr(self.synthesizer.tts_model, "length_scale", 1.0)
                self.calls.append({"text": text, "length_scale": scale, "speaker": speaker, "language": language,
                                   "speed": speed})
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
        def from_pretrained(cls, pretrained_model_name_or_path: str, cache_dir: Optional[str] = None,
                            force_download: bool = False, local_files_only: bool = False,
                            token: Any = None, revision: str = "main") -> "TrOCRProcessor":
            module.loaded.append(("processor", pretrained_model_name_or_path,  # type: ignore[attr-defined]
                                  {"local_files_only": local_files_only, "revision": revision}))
            return cls()

        def __call__(self, images: List[Any], return_tensors: str = "pt") -> Any:
            module.batches.append([(im.mode, im.size) for im in images])  # type: ignore[attr-defined]
            return types.SimpleNamespace(pixel_values=FakeTensor(np.zeros((len(images), 3, 4, 4))))

        def batch_decode(self, sequences: FakeTensor, skip_special_tokens: bool = False) -> List[str]:
            return [script[i % len(script)][0] for i in range(sequences.shape[0])]

    class VisionEncoderDecoderModel:
        def __init__(self) -> None:
            self.device = "cpu"
            self.config = types.SimpleNamespace(vocab_size=None, decoder=types.SimpleNamespace(vocab_size=64))
            self.generation_config = types.SimpleNamespace(eos_token_id=EOS, pad_token_id=PAD)
            self.generate_kwargs: Dict[str, Any] = {}

        @classmethod
        def from_pretrained(cls, pretrained_model_name_or_path: str, torch_dtype: Any = None,
                            local_files_only: bool = False, revision: str = "main") -> "VisionEncoderDecoderModel":
            module.loaded.append(("model", pretrained_model_name_or_path,  # type: ignore[attr-defined]
                                  {"torch_dtype": torch_dtype, "local_files_only": local_files_only, "revision": revision}))
            model = cls()
            module.model = model  # type: ignore[attr-defined]
            return model

        def to(self, device: str) -> "VisionEncoderDecoderModel":
            self.device = device
            return self

        def eval(self) -> "VisionEncoderDecoderModel":
            return self

        def generate(self, inputs: FakeTensor, max_new_tokens: Optional[int] = None, num_beams: int = 1,
                     output_scores: bool = False, return_dict_in_generate: bool = False) -> Any:
            pixel_values = inputs
            self.generate_kwargs = {"device": pixel_values.device, "dtype": pixel_values.dtype,
                                    "max_new_tokens": max_new_tokens, "num_beams": num_beams,
                                    "output_scores": output_scores, "return_dict_in_generate": return_dict_in_generate}
            rows = [script[i % len(script)] for i in range(pixel_values.shape[0])]
            width = max(len(lp) for _, lp in rows) + 1
            sequences, scores = [], []
            for _, logprobs in rows:
                tokens = [10 + k for k in range(len(logprobs) - 1)] + [EOS]
                sequences.append([START] + tokens + [PAD] * (width - len(tokens)))
                scores.append(list(logprobs) + [-9.0] * (width - len(logprobs)))  # pad positions: must be ignored
            self._scores = np.array(scores, dtype=np.float32)
            return types.SimpleNamespace(sequences=FakeTensor(np.array(sequences)), scores=tuple(range(width)))

        def compute_transition_scores(self, sequences: FakeTensor, scores: tuple, beam_indices: Any = None,
                                      normalize_logits: bool = False) -> FakeTensor:
            assert normalize_logits, "log-probabilities need normalised logits"
            return FakeTensor(self._scores)

    module.TrOCRProcessor = TrOCRProcessor  # type: ignore[attr-defined]
    module.VisionEncoderDecoderModel = VisionEncoderDecoderModel  # type: ignore[attr-defined]
    return module


# (module, class, method) of every faked call, for the signature test (common/tests/test_common_fakes.py).
FAKED_SIGNATURES = [
    ("faster_whisper", "WhisperModel", "__init__"),
    ("faster_whisper", "WhisperModel", "transcribe"),
    ("TTS.api", "TTS", "__init__"),
    ("TTS.api", "TTS", "tts"),
    ("transformers", "TrOCRProcessor", "from_pretrained"),
    ("transformers", "VisionEncoderDecoderModel", "from_pretrained"),
    ("transformers", "VisionEncoderDecoderModel", "generate"),
    ("transformers", "VisionEncoderDecoderModel", "compute_transition_scores"),
]


def fake_modules() -> Dict[str, types.ModuleType]:
    """Every fake module, by the name of the real one."""
    return {"faster_whisper": fake_faster_whisper([]), **fake_coqui_tts(), "transformers": fake_transformers([("a", [-0.1])])}
