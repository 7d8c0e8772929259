"""Audio bytes → 16 kHz mono float32 samples with PyAV, in memory, bounded in length before and during decoding.

The length limit is checked twice, both times before the GPU is involved: first from the container's header
(a 10 MiB FLAC of silence announces 19 h of audio, refused without decoding a frame), then while decoding,
for containers that announce no duration (browser WebM/Opus recordings): decoding stops as soon as the
limit is passed, so a bad upload never builds more than `max_seconds` of samples.
"""
from __future__ import annotations

import io
from typing import List, Optional

import numpy as np

from bascule_common.errors import ServiceError, bad_request

SAMPLE_RATE = 16_000


def too_long(seconds: float, max_seconds: float) -> ServiceError:
    return ServiceError(413, "payload_too_large", f"audio: {seconds:.1f} s is longer than {max_seconds:g} s", field="audio")


def announced_seconds(container) -> Optional[float]:
    """The duration the container's header announces, or None when it announces none."""
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000  # AV_TIME_BASE units
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    return None


def decode_audio(data: bytes, max_seconds: float) -> np.ndarray:
    """The samples, a 400 naming `audio` when the bytes are not decodable audio, a 413 when too long."""
    import av  # PyAV, installed with faster-whisper

    try:
        container = av.open(io.BytesIO(data), mode="r", metadata_errors="ignore")
    except Exception as exc:  # not a container PyAV knows, or truncated before the header ends
        raise bad_request("audio", f"could not be decoded ({exc.__class__.__name__})")
    with container:
        if not container.streams.audio:
            raise bad_request("audio", "the file holds no audio stream")
        announced = announced_seconds(container)
        if announced is not None and announced > max_seconds:
            raise too_long(announced, max_seconds)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        limit = int(max_seconds * SAMPLE_RATE)
        chunks: List[np.ndarray] = []
        total = 0
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.shape[0]
                if total > limit:  # no header duration, or a header that lied
                    raise too_long(total / SAMPLE_RATE, max_seconds)
            for out in resampler.resample(None):  # flush the resampler's buffered tail
                chunks.append(out.to_ndarray().reshape(-1))
        except ServiceError:
            raise
        except Exception as exc:  # a corrupt packet mid-file is the client's error, not a 5xx
            raise bad_request("audio", f"could not be decoded ({exc.__class__.__name__})")
    samples = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    if samples.shape[0] > limit:
        raise too_long(samples.shape[0] / SAMPLE_RATE, max_seconds)
    return samples
