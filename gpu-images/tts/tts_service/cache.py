"""Synthesised audio kept in memory, bounded in bytes: the same words and prompts come back all day long.

Keyed by (text, voice, speed, model revision), so a changed voice model never serves old audio. Least
recently used entries go first when the bound is reached; an entry larger than the whole bound is not kept.
Hits and misses are counted in /metrics (bascule_tts_cache_requests_total{result}), with the bytes held.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Optional, Tuple

import numpy as np
from prometheus_client import CollectorRegistry, Counter, Gauge

Key = Tuple[str, str, float, str]


class AudioCache:
    def __init__(self, max_bytes: int, registry: Optional[CollectorRegistry] = None) -> None:
        self.max_bytes = max_bytes
        self._entries: "OrderedDict[Key, Tuple[np.ndarray, int]]" = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self._requests = Counter("bascule_tts_cache_requests", "Syntheses asked of the audio cache, by result",
                                 ["result"], registry=registry)
        self._held = Gauge("bascule_tts_cache_bytes", "Bytes of audio held by the cache", registry=registry)
        self._ratio = Gauge("bascule_tts_cache_hit_ratio", "Share of syntheses served from the cache since start",
                            registry=registry)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: Key) -> Optional[Tuple[np.ndarray, int]]:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            self._requests.labels(result="hit" if found is not None else "miss").inc()
            self._ratio.set(self.hits / (self.hits + self.misses))
        return found

    def put(self, key: Key, samples: np.ndarray, rate: int) -> None:
        size = int(samples.nbytes)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (samples, rate)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (old, _) = self._entries.popitem(last=False)
                self._bytes -= int(old.nbytes)
            self._held.set(self._bytes)
