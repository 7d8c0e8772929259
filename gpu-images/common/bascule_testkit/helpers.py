"""Small helpers for the images' tests: serve an app warm, fill the GPU queue, build audio and images in memory,
check what importing a service pulls in."""
from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List

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


def common_settings(**overrides: Any) -> Any:
    """The shared settings of a service under test: any free port, and a load failure keeps the process up."""
    from bascule_common.settings import CommonSettings

    return CommonSettings(**{"port": 0, "exit_on_load_failure": False, **overrides})


@contextlib.contextmanager
def serve(app: Any, timeout_s: float = 60.0) -> Iterator[Any]:
    """A TestClient over app (its lifespan runs), once /health says the model is warm."""
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        wait_warm(client, timeout_s)
        yield client


def install_modules(monkeypatch: Any, modules: Dict[str, Any]) -> None:
    """Put fake third-party modules in sys.modules for one test (monkeypatch removes them after)."""
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)


def modules_loaded_by(imports: Iterable[str], watched: Iterable[str]) -> List[str]:
    """Which of `watched` a fresh interpreter has in sys.modules after importing `imports` (the GPU libraries
    must load lazily, inside the engine, so the service starts and tests run without them)."""
    watched = list(watched)
    code = f"import sys; import {', '.join(imports)}; print(' '.join(m for m in {watched!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": ":".join(p for p in sys.path if p)})
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


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
