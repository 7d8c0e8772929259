"""The bounded GPU queue on its own: limits, rejection, Retry-After and drain."""
import asyncio
import threading

import pytest

from bascule_common.gpu_queue import Abandoned, DeadlineExceeded, GpuQueue, QueueClosed, QueueFull


def test_rejects_beyond_capacity_and_runs_at_most_concurrency_at_once():
    async def scenario():
        queue = GpuQueue(concurrency=1, max_waiting=2)
        gate = threading.Event()
        running, peak = [0], [0]
        lock = threading.Lock()

        def work(n):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            gate.wait(10)
            with lock:
                running[0] -= 1
            return n

        tasks = [asyncio.ensure_future(queue.run(work, n)) for n in range(3)]
        await asyncio.sleep(0)
        assert queue.admitted == 3
        with pytest.raises(QueueFull) as full:
            await queue.run(work, 99)
        assert full.value.retry_after_s >= 1
        gate.set()
        assert await asyncio.gather(*tasks) == [0, 1, 2]
        assert peak[0] == 1 and queue.admitted == 0
        return queue

    asyncio.run(scenario())


def test_retry_after_grows_with_the_queue():
    queue = GpuQueue(concurrency=1, max_waiting=10, initial_estimate_s=2.0)
    queue._admitted = 5
    assert queue.retry_after_s() == 10
    queue._admitted = 0
    assert queue.retry_after_s() == 1


def test_drain_refuses_new_work():
    async def scenario():
        queue = GpuQueue(concurrency=2, max_waiting=0)
        assert await queue.run(lambda: 7) == 7
        assert await queue.drain(1.0) is True
        with pytest.raises(QueueClosed):
            await queue.run(lambda: 8)

    asyncio.run(scenario())


def test_rejects_bad_bounds():
    with pytest.raises(ValueError):
        GpuQueue(concurrency=0)
    with pytest.raises(ValueError):
        GpuQueue(max_waiting=-1)


def test_work_whose_deadline_passes_while_it_waits_is_dropped_without_running():
    async def scenario():
        queue = GpuQueue(concurrency=1, max_waiting=2)
        gate, ran = threading.Event(), []
        blocker = asyncio.ensure_future(queue.run(gate.wait, 10))
        await asyncio.sleep(0.05)
        with pytest.raises(DeadlineExceeded):
            await queue.run(ran.append, "late", ticket=queue.ticket(0.05))
        gate.set()
        await blocker
        await asyncio.sleep(0.05)
        assert ran == [] and queue.admitted == 0

    asyncio.run(scenario())


def test_work_of_a_client_that_left_is_dropped_before_it_runs():
    async def scenario():
        queue = GpuQueue(concurrency=1, max_waiting=2)
        gate, ran = threading.Event(), []
        blocker = asyncio.ensure_future(queue.run(gate.wait, 10))
        await asyncio.sleep(0.05)
        ticket = queue.ticket(30)
        waiting = asyncio.ensure_future(queue.run(ran.append, "gone", ticket=ticket))
        await asyncio.sleep(0.05)
        ticket.abandoned = True  # what the app's disconnect watcher does
        gate.set()
        await blocker
        with pytest.raises(Abandoned):
            await waiting
        assert ran == []

    asyncio.run(scenario())


def test_a_worker_running_past_its_deadline_is_reported_stuck():
    now = [100.0]
    queue = GpuQueue(concurrency=1, max_waiting=0, clock=lambda: now[0])

    async def scenario():
        gate = threading.Event()
        running = asyncio.ensure_future(queue.run(gate.wait, 10, ticket=queue.ticket(2.0)))
        while not queue._running:
            await asyncio.sleep(0.01)
        assert queue.stuck(grace_s=5.0) is None
        now[0] += 8.0  # 6 s past its 2 s deadline, more than the 5 s grace
        assert queue.stuck(grace_s=5.0) == pytest.approx(6.0)
        gate.set()
        assert await running is True
        assert queue.stuck(grace_s=5.0) is None  # finished: no longer stuck

    asyncio.run(scenario())
