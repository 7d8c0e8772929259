"""Prometheus metrics of one image, in a registry of its own (several apps can live in one test process)."""
from __future__ import annotations

from typing import Callable, Dict, Iterable, Optional

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .busy import BusyMeter

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Inference on a GPU takes tens of milliseconds to a few seconds; the buckets cover that range.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)


# What each GPU memory reading is, and where it comes from: the two are different figures and are never added.
GPU_MEMORY_KINDS = {
    "card_used": "nvml",  # the whole card, every process on it (NVML)
    "process_reserved": "torch",  # what this process's PyTorch caching allocator holds
}


class _GpuMemoryCollector:
    """GPU memory by kind, labelled with its source; a kind the engine cannot measure has no sample."""

    def __init__(self, read: Callable[[], Dict[str, Optional[int]]]) -> None:
        self._read = read

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "bascule_gpu_memory_bytes",
            "GPU memory in bytes: kind=card_used is the whole card (NVML, all processes), "
            "kind=process_reserved what this process's PyTorch allocator holds",
            labels=["kind", "source"],
        )
        try:
            readings = self._read() or {}
        except Exception:  # a metric read must never break the scrape
            readings = {}
        for kind, source in GPU_MEMORY_KINDS.items():
            value = readings.get(kind)
            if value is not None:
                family.add_metric([kind, source], float(value))
        yield family


class ServiceMetrics:
    def __init__(self, service: str, model: str, gpu_memory: Callable[[], Dict[str, Optional[int]]] = dict) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "bascule_requests", "HTTP requests answered, by route and status", ["route", "method", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "bascule_request_duration_seconds", "HTTP request latency", ["route"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.inference_seconds = Histogram(
            "bascule_inference_duration_seconds", "Time spent in the model per request", buckets=LATENCY_BUCKETS, registry=r
        )
        self.queue_wait_seconds = Histogram(
            "bascule_queue_wait_seconds", "Time a request waited for the GPU", buckets=LATENCY_BUCKETS, registry=r
        )
        self.inflight = Gauge("bascule_inference_inflight", "Inferences running on the GPU", registry=r)
        self.queued = Gauge("bascule_queue_waiting", "Requests waiting for the GPU", registry=r)
        self.rejected = Counter(
            "bascule_queue_rejected", "Requests refused with 503 because the GPU queue was full", registry=r
        )
        self.deadline_exceeded = Counter(
            "bascule_deadline_exceeded", "Requests answered 504 because their deadline passed first", registry=r
        )
        self.dropped = Counter(
            "bascule_queue_dropped", "Queued work dropped before it ran (deadline passed or client gone)", registry=r
        )
        self.busy = BusyMeter(r)
        self.batch_size = Histogram(
            "bascule_batch_size", "Requests run together in one batched inference (micro-batching images only)",
            buckets=(1, 2, 4, 8, 16, 32, 64), registry=r,
        )
        self.model_load_seconds = Gauge("bascule_model_load_seconds", "Time taken to load the model", registry=r)
        self.model_warmup_seconds = Gauge("bascule_model_warmup_seconds", "Time taken by the warm-up inference", registry=r)
        self.model_ready = Gauge("bascule_model_ready", "1 once the model is loaded and warm", registry=r)
        info = Gauge("bascule_model_info", "The model this image serves", ["service", "model"], registry=r)
        info.labels(service=service, model=model).set(1)
        r.register(_GpuMemoryCollector(gpu_memory))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
