"""The real engine: Coqui TTS (the maintained `coqui-tts` fork) on the GPU. Imported lazily."""
from __future__ import annotations

import hashlib
import os
import pathlib
import sys
import threading
from typing import Any, Dict, Optional, Tuple

import numpy as np

from bascule_common.gpu_memory import readings as gpu_memory_readings
from bascule_common.weights import verify_at_start

from .settings import TtsSettings
from .stretch import time_stretch


class VoiceNotDrivable(RuntimeError):
    """A configured voice needs arguments (speaker, language) the service never passes."""


class CoquiEngine:
    def __init__(self, settings: TtsSettings) -> None:
        self.settings = settings
        self.model_name = ",".join(sorted(set(settings.voices.values())))
        self.device = "cuda" if settings.device.startswith("cuda") else "cpu"
        self._voices: Dict[str, Any] = {}
        self._length_scale: Dict[str, float] = {}
        self._revisions: Dict[str, str] = {}
        # The queue already runs one synthesis at a time; this lock keeps it so even if the engine is
        # called from elsewhere: concurrent synthesis on one model corrupts the audio.
        self._lock = threading.Lock()

    def load(self) -> None:
        from TTS.api import TTS  # heavy (torch, CUDA): only when the image starts

        manifest = None
        if os.environ.get("TTS_HOME"):  # the filled volume: every file as it was when filled
            manifest = verify_at_start(pathlib.Path(os.environ["TTS_HOME"]) / "tts")

        for voice, model_id in self.settings.voices.items():
            # Weights go to $TTS_HOME (the mounted /models volume), downloaded on first start only.
            tts = TTS(model_name=model_id, progress_bar=False).to(self.settings.device)
            if tts.is_multi_speaker or tts.is_multi_lingual:
                # tts() would need speaker= / language=, which a voice of this service never passes.
                raise VoiceNotDrivable(
                    f"TTS_VOICES.{voice}: {model_id} is a multi-speaker or multilingual model; "
                    "this service drives single-speaker, single-language voices only"
                )
            self._voices[voice] = tts
            folder = model_id.replace("/", "--") + "/"
            digests = sorted(d for f, d in (manifest or {}).get("files", {}).items() if f.startswith(folder))
            self._revisions[voice] = hashlib.sha256("".join(digests).encode()).hexdigest()[:16] if digests else "unverified"
            scale = getattr(tts.synthesizer.tts_model, "length_scale", None)
            if isinstance(scale, (int, float)):
                self._length_scale[voice] = float(scale)

    def warmup(self) -> None:
        for voice in self._voices:
            self.synthesize(self.settings.warmup_text, voice, 1.0)

    def synthesize(self, text: str, voice: str, speed: float) -> Tuple[np.ndarray, int]:
        tts = self._voices[voice]
        rate = int(tts.synthesizer.output_sample_rate)
        with self._lock:
            if voice in self._length_scale and speed != 1.0:
                model = tts.synthesizer.tts_model
                base = self._length_scale[voice]
                model.length_scale = base / speed  # VITS speaks faster itself: no post-processing
                try:
                    samples = np.asarray(tts.tts(text=text), dtype=np.float32)
                finally:
                    model.length_scale = base
            else:
                samples = np.asarray(tts.tts(text=text), dtype=np.float32)
                if speed != 1.0:
                    samples = time_stretch(samples, rate, speed)
        return samples, rate

    def revision(self, voice: str) -> str:
        """What identifies the voice's model for the audio cache: its id and, from a filled volume, the weights'
        sha256 recorded in bascule-weights.json (a refilled volume never serves old audio)."""
        return f"{self.settings.voices[voice]}@{self._revisions.get(voice, 'unverified')}"

    def close(self) -> None:
        self._voices.clear()
        torch = sys.modules.get("torch")  # loaded by coqui-tts; never imported just to free memory
        if torch is not None and torch.cuda.is_available():
            torch.cuda.empty_cache()

    def gpu_memory(self) -> Dict[str, Optional[int]]:
        return gpu_memory_readings(self.settings.device_index, torch_allocator=True)

    def health_details(self) -> Dict[str, Any]:
        return {"voices": sorted(self.settings.voices)}
