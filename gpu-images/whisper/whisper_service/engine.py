"""The real engine: faster-whisper (CTranslate2) on the GPU. Imported lazily: tests inject fakes instead."""
from __future__ import annotations

import io
from typing import Any, Dict, Optional

import numpy as np

from bascule_common.errors import ServiceError, bad_request
from bascule_common.gpu_memory import nvml_used_bytes

from .filtering import build_transcription
from .settings import WhisperSettings

SAMPLE_RATE = 16_000


class FasterWhisperEngine:
    def __init__(self, settings: WhisperSettings) -> None:
        self.settings = settings
        self.model_name = settings.model
        self.device = "cuda" if settings.device.startswith("cuda") else "cpu"
        self._model: Any = None

    def load(self) -> None:
        from faster_whisper import WhisperModel  # heavy (CTranslate2, CUDA): only when the image starts

        s = self.settings
        self._model = WhisperModel(
            s.model,
            device=s.device,
            compute_type=s.compute_type,
            download_root=s.cache_dir,  # the mounted volume: downloaded once, never in the image
            local_files_only=s.local_files_only,
        )

    def warmup(self) -> None:
        # Two seconds of faint noise with the VAD off: the VAD would drop silence and the encoder and
        # decoder would never run, leaving the first child to pay for CUDA kernel loading.
        noise = np.random.default_rng(0).normal(0.0, 0.01, 2 * SAMPLE_RATE).astype(np.float32)
        segments, _info = self._model.transcribe(
            noise, language=self.settings.default_language, beam_size=self.settings.beam_size,
            vad_filter=False, condition_on_previous_text=False,
        )
        list(segments)  # segments is a generator: decoding happens while it is consumed

    def decode(self, audio: bytes) -> np.ndarray:
        """16 kHz mono samples, decoded in memory by PyAV: the audio never touches the disk."""
        from faster_whisper import decode_audio

        try:
            samples = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE)
        except Exception as exc:  # a truncated or corrupt file is the client's error, not a 5xx
            raise bad_request("audio", f"could not be decoded ({exc.__class__.__name__})")
        seconds = samples.shape[0] / SAMPLE_RATE
        if seconds > self.settings.max_audio_seconds:
            raise ServiceError(
                413, "payload_too_large", f"audio: {seconds:.1f} s is longer than {self.settings.max_audio_seconds} s", field="audio"
            )
        return samples

    def transcribe(self, audio: bytes, language: str, initial_prompt: Optional[str]) -> Dict[str, Any]:
        s = self.settings
        samples = self.decode(audio)
        if samples.shape[0] < SAMPLE_RATE // 10:  # under 0.1 s: nothing a child could have read
            return build_transcription([], language, s.no_speech_threshold, s.logprob_threshold)
        segments, info = self._model.transcribe(
            samples,
            language=language,
            task="transcribe",
            beam_size=s.beam_size,
            initial_prompt=initial_prompt if initial_prompt is not None else s.initial_prompt,
            condition_on_previous_text=False,  # one misheard segment must not bias the next
            vad_filter=True,  # no decoding of silence, where Whisper hallucinates
            vad_parameters={"min_silence_duration_ms": s.vad_min_silence_ms},
            no_speech_threshold=s.no_speech_threshold,
            log_prob_threshold=s.logprob_threshold,
            word_timestamps=False,
        )
        return build_transcription(list(segments), info.language or language, s.no_speech_threshold, s.logprob_threshold)

    def close(self) -> None:
        self._model = None

    def gpu_memory_bytes(self) -> Optional[int]:
        return nvml_used_bytes() if self.device == "cuda" else None

    def health_details(self) -> Dict[str, Any]:
        return {"compute_type": self.settings.compute_type}
