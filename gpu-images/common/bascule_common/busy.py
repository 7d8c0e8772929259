"""The model's busy time: what the gateway's capacity forecast reads (libs/contracts: SERVICE_BUSY_HEADER).

Each successful inference reports its compute time in the `X-Bascule-Busy-Ms` response header (for a batch,
the batch's compute time divided by its size), and /metrics carries:
- `bascule_model_busy_seconds_total`: compute seconds, summed over every inference (a batch counts once);
- `bascule_model_utilisation`: the fraction of the last 60 s during which the model was computing (0..1).
Compute time is measured around the model call on the GPU worker: queue wait, decoding of the upload and
HTTP are not in it.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable, Deque, Tuple

from prometheus_client import CollectorRegistry, Counter, Gauge

BUSY_HEADER = "X-Bascule-Busy-Ms"
UTILISATION_WINDOW_S = 60.0


class BusyMeter:
    def __init__(self, registry: CollectorRegistry, window_s: float = UTILISATION_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._intervals: Deque[Tuple[float, float]] = deque()  # (start, end) of each computation, oldest first
        self.seconds = Counter("bascule_model_busy_seconds", "Seconds the model spent computing (a batch counts once)",
                               registry=registry)
        gauge = Gauge("bascule_model_utilisation", "Fraction of the last 60 s during which the model was computing",
                      registry=registry)
        gauge.set_function(self.utilisation)

    def record(self, started: float, ended: float) -> None:
        """One computation, from started to ended (the clock's seconds)."""
        self.seconds.inc(max(0.0, ended - started))
        with self._lock:
            self._intervals.append((started, ended))
            self._forget_before(ended - self.window_s)

    def utilisation(self) -> float:
        """Busy fraction of the last window: overlapping computations (concurrency > 1) count once."""
        now = self._clock()
        since = now - self.window_s
        busy = 0.0
        covered_to = since
        with self._lock:
            self._forget_before(since)
            for start, end in sorted(self._intervals):
                start, end = max(start, covered_to), min(end, now)
                if end > start:
                    busy += end - start
                    covered_to = end
        return min(1.0, busy / self.window_s)

    def _forget_before(self, since: float) -> None:
        while self._intervals and self._intervals[0][1] <= since:
            self._intervals.popleft()
