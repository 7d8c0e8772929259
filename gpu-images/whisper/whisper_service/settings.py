"""The whisper image's settings, from the environment (see ../README.md for the table)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional

from bascule_common.settings import SettingsError, env_bool, env_float, env_int, env_str

from .languages import WHISPER_LANGUAGES

# The context a child reader gives Whisper. It describes the situation, never the words to be read:
# prompting with the expected text makes Whisper "hear" the right word when the child misread it.
CHILD_READER_PROMPT = (
    "Un enfant de l'école primaire lit à voix haute, lentement, parfois syllabe par syllabe, "
    "des mots et des phrases simples en français."
)


_DEVICE = re.compile(r"^(cpu|cuda)(:\d{1,2})?$")


# What CTranslate2 accepts as compute_type (faster-whisper passes it through).
COMPUTE_TYPES = ("default", "auto", "float32", "float16", "bfloat16", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16")
# Whisper's own window: 30 s of audio, 3 000 mel frames. A shorter encoder window is a throughput setting.
FULL_WINDOW_S = 30


def parse_choice(raw: str, name: str, choices: tuple) -> str:
    if raw not in choices:
        raise SettingsError(f"{name}: expected one of {', '.join(choices)}, got {raw[:40]!r}")
    return raw


def parse_device(raw: str) -> str:
    if not _DEVICE.match(raw) or raw.startswith("cpu:"):
        raise SettingsError(f"WHISPER_DEVICE: expected cpu, cuda or cuda:N (the card's index), got {raw!r}")
    return raw


def parse_batch(raw: str) -> Optional[bool]:
    value = raw.strip().lower()
    if value == "auto":
        return None
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise SettingsError(f"WHISPER_BATCH: expected auto (on for cuda, off on cpu), true or false, got {raw[:20]!r}")


@dataclass(frozen=True)
class WhisperSettings:
    model: str = "large-v3"
    device: str = "cuda"
    compute_type: str = "float16"
    cache_dir: str = "/models/whisper"
    local_files_only: bool = False
    default_language: str = "fr"
    initial_prompt: str = CHILD_READER_PROMPT
    beam_size: int = 1  # greedy: a child's short read gains nothing measurable from beam 5, and pays for it
    sampling_fallback: bool = False  # faster-whisper's temperature ladder on low confidence (off: temperature 0 only)
    batch: Optional[bool] = None  # micro-batching across requests; None: on when the device is cuda
    batch_window_ms: float = 5.0
    max_batch: int = 8
    encoder_window_s: int = FULL_WINDOW_S
    max_audio_bytes: int = 10 * 1024 * 1024
    max_audio_seconds: int = 120
    no_speech_threshold: float = 0.6
    logprob_threshold: float = -1.0
    vad_min_silence_ms: int = 500
    max_new_tokens: Optional[int] = None  # per 30 s window; None: Whisper's own limit (448)

    @property
    def device_kind(self) -> str:
        """"cuda" or "cpu": WHISPER_DEVICE without its index ("cuda:1" → "cuda")."""
        return self.device.split(":", 1)[0]

    @property
    def device_index(self) -> int:
        """The card's index ("cuda:1" → 1, "cuda" → 0): CTranslate2 takes it as its own argument."""
        _kind, _, index = self.device.partition(":")
        return int(index) if index else 0

    @property
    def batching(self) -> bool:
        """Micro-batching across requests: WHISPER_BATCH when set, else on for cuda and off on the CPU. The sampling
        fallback re-decodes one clip at a time, so it turns batching off."""
        wanted = self.device_kind == "cuda" if self.batch is None else self.batch
        return wanted and not self.sampling_fallback

    @property
    def temperatures(self) -> tuple:
        """One pass at temperature 0 (deterministic), or faster-whisper's own ladder when the fallback is on."""
        return (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if self.sampling_fallback else (0.0,)

    @property
    def model_path(self) -> str:
        """What WhisperModel loads: the model name, or the folder the volume holds it in (see weights.py)."""
        return self.model

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "WhisperSettings":
        e = os.environ if env is None else env
        language = env_str(e, "WHISPER_DEFAULT_LANGUAGE", "fr")
        if language not in WHISPER_LANGUAGES:
            raise SettingsError(f"WHISPER_DEFAULT_LANGUAGE: expected a Whisper language code such as fr, got {language!r}")
        return cls(
            model=env_str(e, "WHISPER_MODEL", "large-v3"),
            device=parse_device(env_str(e, "WHISPER_DEVICE", "cuda")),
            compute_type=parse_choice(env_str(e, "WHISPER_COMPUTE_TYPE", "float16"), "WHISPER_COMPUTE_TYPE", COMPUTE_TYPES),
            cache_dir=env_str(e, "WHISPER_CACHE_DIR", "/models/whisper"),
            local_files_only=env_bool(e, "WHISPER_LOCAL_FILES_ONLY", False),
            default_language=language,
            initial_prompt=env_str(e, "WHISPER_INITIAL_PROMPT", CHILD_READER_PROMPT),
            beam_size=env_int(e, "WHISPER_BEAM_SIZE", 1, 1, 10),
            sampling_fallback=env_bool(e, "WHISPER_SAMPLING_FALLBACK", False),
            batch=parse_batch(env_str(e, "WHISPER_BATCH", "auto")),
            batch_window_ms=env_float(e, "WHISPER_BATCH_WINDOW_MS", 5.0, 0.0, 100.0),
            max_batch=env_int(e, "WHISPER_MAX_BATCH", 8, 1, 64),
            encoder_window_s=env_int(e, "WHISPER_ENCODER_WINDOW_S", FULL_WINDOW_S, 5, FULL_WINDOW_S),
            max_audio_bytes=env_int(e, "WHISPER_MAX_AUDIO_BYTES", 10 * 1024 * 1024, 1024),
            max_audio_seconds=env_int(e, "WHISPER_MAX_AUDIO_SECONDS", 120, 1, 3600),
            no_speech_threshold=env_float(e, "WHISPER_NO_SPEECH_THRESHOLD", 0.6, 0.0, 1.0),
            logprob_threshold=env_float(e, "WHISPER_LOGPROB_THRESHOLD", -1.0, -100.0, 0.0),
            vad_min_silence_ms=env_int(e, "WHISPER_VAD_MIN_SILENCE_MS", 500, 0, 10_000),
            max_new_tokens=env_int(e, "WHISPER_MAX_NEW_TOKENS", 0, 0, 448) or None,
        )
