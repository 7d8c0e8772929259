"""From faster-whisper's segments to the contract's answer, dropping what Whisper made up.

Whisper hallucinates on silence and noise ("Sous-titrage Société Radio-Canada", "Merci d'avoir regardé").
Such a segment has both a high no-speech probability and a low average log-probability; a segment with
only one of the two is kept (a quiet child still reads real words). This is Whisper's own silence rule,
applied after decoding so that it also covers segments that the VAD let through.
"""
from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List


def is_hallucination(segment: Any, no_speech_threshold: float, logprob_threshold: float) -> bool:
    return segment.no_speech_prob > no_speech_threshold and segment.avg_logprob < logprob_threshold


def _segment_body(segment: Any) -> Dict[str, Any]:
    start = max(0.0, float(segment.start))
    return {
        "start": round(start, 3),
        "end": round(max(start, float(segment.end)), 3),
        "text": segment.text,
        "avg_logprob": round(min(0.0, float(segment.avg_logprob)), 4),
        "no_speech_prob": round(min(1.0, max(0.0, float(segment.no_speech_prob))), 4),
    }


def build_transcription(
    segments: Iterable[Any], language: str, no_speech_threshold: float, logprob_threshold: float
) -> Dict[str, Any]:
    """text, language, confidence and segments (latency is added by the route)."""
    kept: List[Dict[str, Any]] = [
        _segment_body(s)
        for s in segments
        if s.text.strip() and not is_hallucination(s, no_speech_threshold, logprob_threshold)
    ]
    # The contract's confidence: exp(mean avg_logprob) over the kept segments, 0 when nothing was heard.
    confidence = math.exp(sum(s["avg_logprob"] for s in kept) / len(kept)) if kept else 0.0
    return {
        "text": "".join(s["text"] for s in kept).strip(),
        "language": language,
        "confidence": round(min(1.0, max(0.0, confidence)), 4),
        "segments": kept,
    }
