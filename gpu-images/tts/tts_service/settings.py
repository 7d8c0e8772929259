"""The tts image's settings, from the environment (see ../README.md for the table)."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional

from bascule_common.settings import SettingsError, env_int, env_str

# The plan's French voices: a clear female voice (VITS, CSS10 corpus) and a gentle male voice
# (Tacotron2-DDC, M-AILABS corpus, with its default vocoder).
DEFAULT_VOICES: Dict[str, str] = {
    "fr-female-clear": "tts_models/fr/css10/vits",
    "fr-male-gentle": "tts_models/fr/mai/tacotron2-DDC",
}
_VOICE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# tts_models/<language>/<dataset>/<model>. The engine passes neither a speaker nor a language (a voice is one
# speaker of one language), so multilingual models (XTTS, YourTTS, Bark: tts_models/multilingual/...) are
# refused here, and multi-speaker ones when they load (CoquiEngine.load).
_SINGLE_LANGUAGE_MODEL = re.compile(r"^tts_models/(?!multilingual/)[a-z]{2,3}(-[A-Za-z]+)?/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def parse_voices(raw: str) -> Dict[str, str]:
    try:
        voices = json.loads(raw)
    except ValueError:
        raise SettingsError('TTS_VOICES: expected a JSON object {"voice-name": "tts_models/..."}')
    if not isinstance(voices, dict) or not voices:
        raise SettingsError('TTS_VOICES: expected a non-empty JSON object {"voice-name": "tts_models/..."}')
    for name, model in voices.items():
        if not _VOICE_NAME.match(name):
            raise SettingsError(f"TTS_VOICES: voice name {name!r} must be lower-case letters, digits and dashes")
        if not isinstance(model, str) or not model.startswith("tts_models/"):
            raise SettingsError(f"TTS_VOICES.{name}: expected a Coqui model id such as tts_models/fr/css10/vits")
        if not _SINGLE_LANGUAGE_MODEL.match(model):
            raise SettingsError(
                f"TTS_VOICES.{name}: {model!r} is not a single-language model (expected tts_models/<language>/"
                "<dataset>/<model>, e.g. tts_models/fr/css10/vits; multilingual models need a speaker and a "
                "language the service does not pass)"
            )
    return dict(voices)


@dataclass(frozen=True)
class TtsSettings:
    voices: Dict[str, str] = field(default_factory=lambda: dict(DEFAULT_VOICES))
    device: str = "cuda"
    max_text_chars: int = 1000
    max_body_bytes: int = 16 * 1024
    warmup_text: str = "Bonjour, on va lire ensemble."
    cache_max_bytes: int = 64 * 1024 * 1024  # of float32 samples: about 12 minutes of speech at 22 kHz

    @property
    def device_index(self) -> int:
        """The card's index in the device ("cuda:1" → 1), for the NVML reading of /metrics."""
        _kind, _, index = self.device.partition(":")
        return int(index) if index.isdigit() else 0

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "TtsSettings":
        e = os.environ if env is None else env
        raw_voices = e.get("TTS_VOICES")
        return cls(
            voices=parse_voices(raw_voices) if raw_voices else dict(DEFAULT_VOICES),
            device=env_str(e, "TTS_DEVICE", "cuda"),
            max_text_chars=env_int(e, "TTS_MAX_TEXT_CHARS", 1000, 1, 1000),
            cache_max_bytes=env_int(e, "TTS_CACHE_MAX_BYTES", 64 * 1024 * 1024, 0),
        )
