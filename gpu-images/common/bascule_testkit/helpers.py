"""Small helpers for HTTP tests: wait for warm-up, fill the GPU queue, build audio and images in memory."""
from __future__ import annotations

import io
import threading
import time
from typing import Any, Callable, List

import numpy as np


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0, what: str = "condition") -> None:
    """Synchronise with a background thread (not a timing assertion: the deadline only stops a hung test)."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def wait_warm(client: Any, timeout_s: float = 10.0) -> None:
    wait_until(lambda: client.get("/health").status_code == 200, timeout_s, "the model to be warm")


def run_in_threads(calls: List[Callable[[], Any]]) -> List[threading.Thread]:
    threads = [threading.Thread(target=call, daemon=True) for call in calls]
    for t in threads:
        t.start()
    return threads


def wav_bytes(seconds: float = 1.0, rate: int = 16000, freq: float = 220.0, amplitude: float = 0.3) -> bytes:
    import soundfile

    t = np.arange(int(seconds * rate)) / rate
    samples = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    buf = io.BytesIO()
    soundfile.write(buf, samples, rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def png_bytes(image: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
