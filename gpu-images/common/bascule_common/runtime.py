"""Model lifecycle: load once, run a warm-up inference, only then report ready.

Loading happens on a background thread so that GET /health can answer 503 {"status": "loading"} while the
weights are read (a container health check, the gateway and infra can all see why it is not ready yet).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Callable, Dict, Optional, Tuple

from .gpu_queue import GpuQueue
from .metrics import ServiceMetrics

try:  # Python >= 3.8
    from typing import Protocol
except ImportError:  # pragma: no cover
    Protocol = object  # type: ignore

log = logging.getLogger("bascule.runtime")


class Engine(Protocol):
    """What the shared service needs from a model engine (real or fake)."""

    model_name: str
    device: str

    def load(self) -> None: ...

    def warmup(self) -> None: ...

    def close(self) -> None: ...

    def gpu_memory(self) -> Dict[str, Optional[int]]: ...

    def health_details(self) -> Dict[str, Any]: ...


class ModelRuntime:
    def __init__(
        self,
        engine: Engine,
        queue: GpuQueue,
        metrics: ServiceMetrics,
        on_load_failure: Optional[Callable[[BaseException], None]] = None,
        stuck_grace_s: float = 10.0,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.metrics = metrics
        self.status = "loading"  # loading -> ok | error; ok -> error while shutting down
        self.error: Optional[str] = None
        self.draining = False
        self._started_at = time.monotonic()
        self._ready = threading.Event()
        self._done = threading.Event()
        self._on_load_failure = on_load_failure
        self.stuck_grace_s = stuck_grace_s
        self._thread: Optional[threading.Thread] = None

    @property
    def ready(self) -> bool:
        return self.status == "ok" and not self.draining

    def start(self) -> None:
        self._thread = threading.Thread(target=self._load_and_warm, name="model-loader", daemon=True)
        self._thread.start()

    def wait_loaded(self, timeout: Optional[float] = None) -> bool:
        """Block until loading finished (well or badly); True when it finished in time."""
        return self._done.wait(timeout)

    def _load_and_warm(self) -> None:
        try:
            started = time.perf_counter()
            # Same worker thread as inference: some CUDA libraries bind state to the thread that loaded them.
            self.queue.submit_blocking(self.engine.load)
            loaded = time.perf_counter()
            self.metrics.model_load_seconds.set(loaded - started)
            log.info("model loaded", extra={"model": self.engine.model_name, "load_s": round(loaded - started, 3)})
            self.queue.submit_blocking(self.engine.warmup)
            warm = time.perf_counter()
            self.metrics.model_warmup_seconds.set(warm - loaded)
            log.info("model warm", extra={"model": self.engine.model_name, "warmup_s": round(warm - loaded, 3)})
            self.status = "ok"
            self.metrics.model_ready.set(1)
            self._ready.set()
        except BaseException as exc:  # any failure leaves a clear health answer, never a hung "loading"
            self.status = "error"
            self.error = f"{exc.__class__.__name__}: {exc}"
            log.error("model failed to load", exc_info=True, extra={"model": self.engine.model_name})
            if self._on_load_failure:
                self._on_load_failure(exc)
        finally:
            self._done.set()

    def health(self) -> Tuple[int, Dict[str, Any]]:
        # A worker still busy well past its request's deadline is wedged (a hung CUDA call cannot be
        # interrupted): /health fails so the container's health check and the gateway stop sending work.
        late_s = self.queue.stuck(self.stuck_grace_s)
        stuck = late_s is not None
        body: Dict[str, Any] = {
            "status": "error" if self.draining or stuck else self.status,
            "model": self.engine.model_name,
            "warm": self.status == "ok",
            "device": self.engine.device,
            "uptime_s": round(time.monotonic() - self._started_at, 3),
        }
        try:
            body.update(self.engine.health_details())
        except Exception:  # details are a courtesy; health must still answer
            pass
        if self.error:
            body["error"] = self.error
        if stuck:
            body["error"] = f"a GPU worker is stuck: still running {late_s:.0f} s past its request's deadline"
        if self.draining:
            body["draining"] = True
        return (200 if self.ready and not stuck else 503), body


def exit_process_on_load_failure(exc: BaseException) -> None:
    """Default in the images: exit non-zero so systemd/docker restart the container instead of leaving it unhealthy."""
    logging.shutdown()
    os._exit(3)
