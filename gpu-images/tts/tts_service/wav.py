"""Float samples → a RIFF/WAVE file (PCM 16-bit mono) in memory, with the standard library only."""
from __future__ import annotations

import io
import wave

import numpy as np


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    mono = np.asarray(samples, dtype=np.float32).reshape(-1)
    mono = np.nan_to_num(mono, nan=0.0, posinf=0.0, neginf=0.0)
    pcm = (np.clip(mono, -1.0, 1.0) * 32767.0).round().astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()
