"""The busy meter: compute seconds summed, utilisation = busy fraction of the last 60 s (overlaps count once)."""
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from bascule_common.busy import BusyMeter
from bascule_common.gpu_queue import GpuQueue
from bascule_common.metrics import ServiceMetrics


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def meter(clock):
    return BusyMeter(CollectorRegistry(), clock=clock)


def test_utilisation_is_the_busy_fraction_of_the_last_minute():
    clock = Clock()
    busy = meter(clock)
    assert busy.utilisation() == 0.0
    busy.record(1000.0, 1006.0)  # 6 s of compute
    busy.record(1010.0, 1013.0)  # 3 s more
    clock.now = 1030.0
    assert busy.utilisation() == pytest.approx(9 / 60)
    assert busy.seconds._value.get() == pytest.approx(9.0)


def test_overlapping_computations_count_once_and_utilisation_stays_within_one():
    clock = Clock(1060.0)
    busy = meter(clock)
    busy.record(1000.0, 1060.0)
    busy.record(1010.0, 1050.0)  # a second worker, at the same time
    assert busy.utilisation() == pytest.approx(1.0)
    assert busy.seconds._value.get() == pytest.approx(100.0)  # compute seconds do add up


def test_computations_older_than_the_window_are_forgotten_and_a_straddling_one_counts_its_recent_part():
    clock = Clock()
    busy = meter(clock)
    busy.record(1000.0, 1010.0)
    busy.record(1050.0, 1080.0)
    clock.now = 1100.0  # the window is [1040, 1100]
    assert busy.utilisation() == pytest.approx(30 / 60)
    clock.now = 1135.0  # [1075, 1135]: 5 s of the second one
    assert busy.utilisation() == pytest.approx(5 / 60)


def test_the_metrics_carry_the_contracts_names():
    metrics = ServiceMetrics("whisper", "large-v3")
    metrics.busy.record(0.0, 0.25)
    text = generate_latest(metrics.registry).decode()
    assert "bascule_model_busy_seconds_total 0.25" in text
    assert "# TYPE bascule_model_busy_seconds_total counter" in text
    assert "# TYPE bascule_model_utilisation gauge" in text


def test_a_batchs_compute_time_is_shared_by_its_requests():
    import asyncio

    clock = Clock()
    metrics = ServiceMetrics("whisper", "large-v3")
    queue = GpuQueue(concurrency=1, max_waiting=8, metrics=metrics, clock=clock)
    queue.allow_batches(4)
    tickets = [queue.ticket(60) for _ in range(4)]
    for ticket in tickets:
        queue.admit(ticket)
    tickets[3].abandoned = True  # its client left: dropped, so the batch is three

    def work(live):
        clock.now += 0.3  # the model takes 300 ms for the batch
        return [f"answer {i}" for i in live]

    outcomes = queue.submit_batch(work, tickets).result(timeout=10)
    assert outcomes[:3] == ["answer 0", "answer 1", "answer 2"]
    assert type(outcomes[3]).__name__ == "Abandoned"
    assert [t.busy_s for t in tickets[:3]] == [pytest.approx(0.1)] * 3 and tickets[3].busy_s is None
    assert metrics.busy.seconds._value.get() == pytest.approx(0.3)
    asyncio.run(queue.drain(1))
