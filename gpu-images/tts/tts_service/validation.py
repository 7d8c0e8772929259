"""POST /synthesize's JSON body, checked field by field with errors that name the field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable

from bascule_common.errors import ServiceError, bad_request

FIELDS = ("text", "voice", "speed")
MIN_SPEED, MAX_SPEED = 0.5, 2.0


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice: str
    speed: float


def unknown_voice(voice: str, voices: Iterable[str]) -> ServiceError:
    names = sorted(voices)
    return ServiceError(
        400, "unknown_voice", f"unknown voice {voice[:40]!r}; expected one of {', '.join(names)}",
        field="voice", extra={"voices": names},
    )


def validate_request(body: Dict[str, Any], voices: Iterable[str], max_chars: int) -> SynthesisRequest:
    for name in body:
        if name not in FIELDS:
            raise bad_request(name, f"unknown field (expected {', '.join(FIELDS)})")
    text = body.get("text")
    if not isinstance(text, str):
        raise bad_request("text", "missing (expected the text to speak)" if text is None else "expected a string")
    text = " ".join(text.split())  # line breaks and runs of spaces read as one pause
    if not text:
        raise bad_request("text", "empty (expected 1 to %d characters)" % max_chars)
    if len(text) > max_chars:
        raise bad_request("text", f"longer than {max_chars} characters")
    voice = body.get("voice")
    if not isinstance(voice, str) or not voice:
        raise bad_request("voice", "missing (expected one of " + ", ".join(sorted(voices)) + ")")
    if voice not in set(voices):
        raise unknown_voice(voice, voices)
    speed = body.get("speed", 1.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise bad_request("speed", f"expected a number between {MIN_SPEED} and {MAX_SPEED}")
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise bad_request("speed", f"expected a number between {MIN_SPEED} and {MAX_SPEED}, got {speed}")
    return SynthesisRequest(text, voice, float(speed))
