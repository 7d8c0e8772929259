"""The real engine: faster-whisper (CTranslate2) on the GPU. Imported lazily: tests inject fakes instead.

Decoding the upload (`decode`) is CPU work and runs before the request takes a GPU slot; only
`transcribe` runs in the slot.
"""
from __future__ import annotations

import pathlib
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from bascule_common.gpu_memory import nvml_used_bytes
from bascule_common.weights import verify_at_start

from .audio_decode import SAMPLE_RATE, decode_audio
from .filtering import build_transcription
from .settings import FULL_WINDOW_S, WhisperSettings
from .short_clips import PreparedClip, decode_clips, prepare_clip


class FasterWhisperEngine:
    def __init__(self, settings: WhisperSettings) -> None:
        self.settings = settings
        self.model_name = pathlib.Path(settings.model).name  # large-v3, or the filled folder's name
        self.device = settings.device_kind
        self._model: Any = None

    def load(self) -> None:
        from faster_whisper import WhisperModel  # heavy (CTranslate2, CUDA): only when the image starts

        s = self.settings
        verify_at_start(pathlib.Path(s.model_path))  # a filled volume: every file as it was when filled
        self._model = WhisperModel(
            s.model_path,
            device=s.device_kind,  # CTranslate2 wants "cuda" and the card's index apart, not "cuda:1"
            device_index=s.device_index,
            compute_type=s.compute_type,
            download_root=s.cache_dir,  # the mounted volume: filled once, never in the image
            local_files_only=s.local_files_only,
        )

    def warmup(self) -> None:
        # Two seconds of faint noise with the VAD off: the VAD would drop silence and the encoder and
        # decoder would never run, leaving the first child to pay for CUDA kernel loading.
        noise = np.random.default_rng(0).normal(0.0, 0.01, 2 * SAMPLE_RATE).astype(np.float32)
        segments, _info = self._model.transcribe(
            noise, language=self.settings.default_language, beam_size=self.settings.beam_size,
            temperature=0.0, vad_filter=False, condition_on_previous_text=False,
        )
        list(segments)  # segments is a generator: decoding happens while it is consumed
        # Then the same noise through the VAD: the Silero model is loaded (ONNX session) here, not on the
        # first child's request.
        segments, _info = self._model.transcribe(
            noise, language=self.settings.default_language, beam_size=1, temperature=0.0, vad_filter=True,
            vad_parameters={"min_silence_duration_ms": self.settings.vad_min_silence_ms},
        )
        list(segments)
        if self.settings.batching or self.settings.encoder_window_s < FULL_WINDOW_S:
            # The batched path's shapes too (a batch of two), so its first real batch is not the slow one.
            clip = self.prepare(noise, self.settings.default_language, None)
            self.transcribe_batch([clip, clip])

    def decode(self, audio: bytes) -> np.ndarray:
        """16 kHz mono samples, decoded in memory by PyAV, refused early when too long (CPU: outside the GPU slot)."""
        return decode_audio(audio, self.settings.max_audio_seconds)

    def prepare(self, samples: np.ndarray, language: str, initial_prompt: Optional[str]) -> PreparedClip:
        """The CPU steps of the batched path (VAD, log-mel features), run before the request takes a GPU slot."""
        prompt = initial_prompt if initial_prompt is not None else self.settings.initial_prompt
        if samples.shape[0] < SAMPLE_RATE // 10:
            return PreparedClip(samples=samples, language=language, initial_prompt=prompt, features=np.zeros((0, 0)))
        return prepare_clip(self._model, samples, language, prompt, self.settings)

    def transcribe_batch(self, clips: Sequence[PreparedClip]) -> List[Any]:
        """One answer per clip (or the clip's own exception): the short ones through one batched encode and
        generate, the others (longer than a window, or an unfinished segment) through `transcribe` alone."""
        s = self.settings
        answers: List[Any] = []
        for clip, outcome in zip(clips, decode_clips(self._model, clips, s)):
            if isinstance(outcome, Exception):
                answers.append(outcome)
            elif outcome is None:
                answers.append(self._transcribe_whole(clip.samples, clip.language, clip.initial_prompt))
            else:
                answers.append(build_transcription(outcome, clip.language, s.no_speech_threshold, s.logprob_threshold))
        return answers

    def transcribe(self, samples: np.ndarray, language: str, initial_prompt: Optional[str]) -> Dict[str, Any]:
        s = self.settings
        if samples.shape[0] < SAMPLE_RATE // 10:  # under 0.1 s: nothing a child could have read
            return build_transcription([], language, s.no_speech_threshold, s.logprob_threshold)
        if s.encoder_window_s < FULL_WINDOW_S:  # the shorter window exists on the batched path only: a batch of one
            answer = self.transcribe_batch([self.prepare(samples, language, initial_prompt)])[0]
            if isinstance(answer, Exception):
                raise answer
            return answer
        return self._transcribe_whole(samples, language, initial_prompt if initial_prompt is not None else s.initial_prompt)

    def _transcribe_whole(self, samples: np.ndarray, language: str, initial_prompt: str) -> Dict[str, Any]:
        """faster-whisper's own `transcribe`, one recording, 30 s windows: the unbatched path."""
        s = self.settings
        segments, info = self._model.transcribe(
            samples,
            language=language,
            task="transcribe",
            beam_size=s.beam_size,
            # Deterministic by default: one greedy/beam pass and no sampling fallback at higher temperatures. A
            # child reads a few words; the same recording must always give the same verdict.
            temperature=list(s.temperatures) if s.sampling_fallback else 0.0,
            initial_prompt=initial_prompt,
            condition_on_previous_text=False,  # one misheard segment must not bias the next
            vad_filter=True,  # no decoding of silence, where Whisper hallucinates
            vad_parameters={"min_silence_duration_ms": s.vad_min_silence_ms},
            no_speech_threshold=s.no_speech_threshold,
            log_prob_threshold=s.logprob_threshold,
            word_timestamps=False,
            max_new_tokens=s.max_new_tokens,
        )
        return build_transcription(list(segments), info.language or language, s.no_speech_threshold, s.logprob_threshold)

    def close(self) -> None:
        self._model = None

    def gpu_memory(self) -> Dict[str, Optional[int]]:
        # CTranslate2 does not report its own allocations: only the whole card, from NVML.
        return {"card_used": nvml_used_bytes(self.settings.device_index) if self.device == "cuda" else None}

    def health_details(self) -> Dict[str, Any]:
        return {"compute_type": self.settings.compute_type}
