"""A controllable stand-in for a model engine: the one place the tests fake the GPU.

Subclasses add the service's inference method; this base gives them the lifecycle the shared runtime
drives (load, warm-up, close) with gates so a test can hold the model "loading" or an inference "running".
"""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional


class GatedFakeEngine:
    model_name = "fake-model"
    device = "cpu"

    def __init__(self, hold_load: bool = False, fail_load: Optional[Exception] = None, hold_warmup: bool = False) -> None:
        self.load_gate = threading.Event()
        if not hold_load:
            self.load_gate.set()
        self.warmup_gate = threading.Event()
        if not hold_warmup:
            self.warmup_gate.set()
        self.fail_load = fail_load
        self.inference_gate = threading.Event()
        self.inference_gate.set()
        self.inference_started = threading.Semaphore(0)
        self.calls: List[Dict[str, Any]] = []
        self.loaded = False
        self.warmed = False
        self.closed = False
        self.threads: List[str] = []

    def load(self) -> None:
        self.threads.append(threading.current_thread().name)
        if not self.load_gate.wait(timeout=30):
            raise TimeoutError("test never released the load gate")
        if self.fail_load:
            raise self.fail_load
        self.loaded = True

    def warmup(self) -> None:
        if not self.warmup_gate.wait(timeout=30):
            raise TimeoutError("test never released the warm-up gate")
        self.warmed = True

    def close(self) -> None:
        self.closed = True

    def gpu_memory(self) -> Dict[str, Optional[int]]:
        return {"card_used": 987_654_321, "process_reserved": 123_456_789} if self.loaded else {}

    def health_details(self) -> Dict[str, Any]:
        return {}

    def _enter_inference(self, **call: Any) -> None:
        """Record a call, tell the test it started, and wait while the test holds the inference gate."""
        self.threads.append(threading.current_thread().name)
        self.calls.append(call)
        self.inference_started.release()
        if not self.inference_gate.wait(timeout=30):
            raise TimeoutError("test never released the inference gate")
