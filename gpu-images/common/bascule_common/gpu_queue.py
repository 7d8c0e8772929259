"""A bounded queue in front of the GPU.

At most `concurrency` inferences run at once (1 for TTS: concurrent synthesis corrupts audio) on a dedicated
thread pool, and at most `max_waiting` more wait their turn. Anything beyond is refused at once with
QueueFull, which the HTTP layer turns into 503 + Retry-After: a child waiting 20 s behind a queue is worse than
the gateway falling back to the MVP provider right away.
"""
from __future__ import annotations

import asyncio
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional, TypeVar

from .metrics import ServiceMetrics

T = TypeVar("T")


class QueueFull(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"GPU queue full, retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class QueueClosed(Exception):
    """The service is shutting down and admits no new work."""


class GpuQueue:
    def __init__(
        self,
        concurrency: int = 1,
        max_waiting: int = 8,
        metrics: Optional[ServiceMetrics] = None,
        initial_estimate_s: float = 1.0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if max_waiting < 0:
            raise ValueError("max_waiting must be >= 0")
        self.concurrency = concurrency
        self.max_waiting = max_waiting
        self._metrics = metrics
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="gpu")
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self._running = 0
        self._closed = False
        # Exponentially weighted mean inference time, to tell a refused client when to come back.
        self._ewma_s = initial_estimate_s

    @property
    def admitted(self) -> int:
        return self._admitted

    @property
    def waiting(self) -> int:
        return self._admitted - self._running

    @property
    def capacity(self) -> int:
        return self.concurrency + self.max_waiting

    def retry_after_s(self) -> int:
        """Seconds until a slot is likely free: the queue ahead divided among the workers, at least 1."""
        return max(1, math.ceil(self._admitted * self._ewma_s / self.concurrency))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(*args) on the GPU pool when a slot is free; raise QueueFull/QueueClosed without waiting."""
        with self._lock:
            if self._closed:
                raise QueueClosed()
            if self._admitted >= self.capacity:
                if self._metrics:
                    self._metrics.rejected.inc()
                raise QueueFull(self.retry_after_s())
            self._admitted += 1
        self._publish()
        enqueued = time.perf_counter()
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, self._timed, fn, args, enqueued)
        finally:
            with self._lock:
                self._admitted -= 1
            self._publish()

    def _timed(self, fn: Callable[..., T], args: tuple, enqueued: float) -> T:
        started = time.perf_counter()
        with self._lock:
            self._running += 1
        self._publish()
        if self._metrics:
            self._metrics.queue_wait_seconds.observe(started - enqueued)
        try:
            return fn(*args)
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                self._running -= 1
                self._ewma_s = 0.8 * self._ewma_s + 0.2 * elapsed
            if self._metrics:
                self._metrics.inference_seconds.observe(elapsed)
            self._publish()

    def _publish(self) -> None:
        if self._metrics:
            self._metrics.inflight.set(self._running)
            self._metrics.queued.set(max(0, self._admitted - self._running))

    async def drain(self, grace_s: float) -> bool:
        """Refuse new work, wait up to grace_s for admitted work to finish; True when it all finished.

        Async because the admitted requests finish on the event loop: blocking it here would deadlock.
        """
        with self._lock:
            self._closed = True
        deadline = time.monotonic() + grace_s
        while self._admitted > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        drained = self._admitted == 0
        self._executor.shutdown(wait=drained, cancel_futures=not drained)
        return drained

    def submit_blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Run on the GPU pool from a plain thread (model load and warm-up use the same thread as inference)."""
        return self._executor.submit(fn, *args).result()
