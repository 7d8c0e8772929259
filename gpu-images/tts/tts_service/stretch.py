"""Change the speaking rate without changing the pitch (WSOLA), for voices whose model cannot do it.

VITS models take a `length_scale` and speak slower or faster themselves; Tacotron2 cannot, so its audio is
time-stretched here. Plain resampling would make a slow voice sound deep and a fast one squeaky; WSOLA
overlaps windowed frames, choosing each next frame where it best continues the previous one, which keeps
the pitch and avoids the phasing of naive overlap-add.
"""
from __future__ import annotations

import numpy as np


def time_stretch(samples: np.ndarray, sample_rate: int, speed: float, frame_ms: float = 40.0, tolerance_ms: float = 10.0) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    if speed == 1.0 or x.size == 0:
        return x
    n = max(16, int(sample_rate * frame_ms / 1000))
    hop_out = n // 2
    hop_in = hop_out * speed
    tol = max(1, int(sample_rate * tolerance_ms / 1000))
    target_len = int(round(x.size / speed))
    padded = np.concatenate([np.zeros(tol, np.float32), x, np.zeros(2 * n + 2 * tol + int(hop_in) + 1, np.float32)])
    window = np.hanning(n).astype(np.float32)
    out = np.zeros(target_len + 2 * n, np.float32)
    weight = np.zeros_like(out)

    pos_out, pos_in, offset = 0, 0.0, 0
    while pos_out < target_len:
        start = tol + int(pos_in) + offset
        frame = padded[start : start + n]
        out[pos_out : pos_out + n] += frame * window
        weight[pos_out : pos_out + n] += window
        natural = padded[start + hop_out : start + hop_out + n]  # what would follow this frame unstretched
        pos_out += hop_out
        pos_in += hop_in
        base = tol + int(pos_in)
        region = padded[base - tol : base + tol + n]
        if region.size < n + 2 * tol or not natural.any():
            offset = 0
            continue
        scores = np.correlate(region, natural, mode="valid")
        offset = int(np.argmax(scores)) - tol
    weight[weight < 1e-3] = 1.0
    return (out / weight)[:target_len]
