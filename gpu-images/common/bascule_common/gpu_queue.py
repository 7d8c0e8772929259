"""A bounded queue in front of the GPU, with a deadline on every piece of work.

At most `concurrency` inferences run at once (1 for TTS: concurrent synthesis corrupts audio) on a dedicated
thread pool, and at most `max_waiting` more wait their turn. Anything beyond is refused at once with
QueueFull, which the HTTP layer turns into 503 + Retry-After: a child waiting 20 s behind a queue is worse than
the gateway falling back to the MVP provider right away.

Every piece of work carries a deadline (the gateway's remaining budget, bounded by a setting). Work whose
deadline passed, or whose client went away, while it waited is dropped without touching the GPU; a caller
whose deadline passes while its work runs gets DeadlineExceeded at once. The running inference itself cannot
be interrupted (CTranslate2 and PyTorch calls are not cancellable), so it goes on holding its slot; `stuck()`
names a worker still running well past its deadline, which /health reports so the host restarts the service.

A micro-batcher (whisper) admits each request here too, then runs several of them as one piece of work
(`submit_batch`): the work of the requests that are still wanted when the batch starts. The compute time of
every piece of work is recorded on its tickets (`busy_s`, a batch's divided by its size) and in the metrics.
"""
from __future__ import annotations

import asyncio
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, TypeVar

from .metrics import ServiceMetrics

T = TypeVar("T")


class QueueFull(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"GPU queue full, retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class QueueClosed(Exception):
    """The service is shutting down and admits no new work."""


class DeadlineExceeded(Exception):
    """The work's deadline passed before it finished (waiting, or running)."""


class Abandoned(Exception):
    """The client went away before the work started: it was dropped."""


@dataclass
class Ticket:
    """One admitted piece of work: its deadline, whether its caller still wants it, when it started."""

    deadline: float  # time.monotonic()
    abandoned: bool = False
    started_at: Optional[float] = None
    enqueued_at: Optional[float] = None
    busy_s: Optional[float] = None  # the model's compute time for this request (a batch's, divided by its size)
    finished: bool = False
    thread: Optional[str] = field(default=None)


class GpuQueue:
    def __init__(
        self,
        concurrency: int = 1,
        max_waiting: int = 8,
        metrics: Optional[ServiceMetrics] = None,
        initial_estimate_s: float = 1.0,
        default_timeout_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if max_waiting < 0:
            raise ValueError("max_waiting must be >= 0")
        self.concurrency = concurrency
        self.max_waiting = max_waiting
        self.default_timeout_s = default_timeout_s
        self._clock = clock
        self._metrics = metrics
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="gpu")
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self._running: List[Ticket] = []
        self._closed = False
        self.batch_size = 1  # requests one piece of work may carry (allow_batches)
        # Exponentially weighted mean inference time, to tell a refused client when to come back.
        self._ewma_s = initial_estimate_s

    @property
    def admitted(self) -> int:
        return self._admitted

    @property
    def waiting(self) -> int:
        return self._admitted - len(self._running)

    @property
    def capacity(self) -> int:
        return self.concurrency * self.batch_size + self.max_waiting

    def allow_batches(self, max_batch: int) -> None:
        """Each worker runs up to max_batch requests at once: that many more may be admitted per worker."""
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        self.batch_size = max_batch

    def retry_after_s(self) -> int:
        """Seconds until a slot is likely free: the queue ahead divided among the workers, at least 1."""
        return max(1, math.ceil(self._admitted * self._ewma_s / (self.concurrency * self.batch_size)))

    def stuck(self, grace_s: float) -> Optional[float]:
        """Seconds past its deadline of the worst worker still running more than grace_s past it, else None."""
        now = self._clock()
        with self._lock:
            late = [now - t.deadline for t in self._running if now - t.deadline > grace_s]
        return max(late) if late else None

    def ticket(self, timeout_s: Optional[float] = None) -> Ticket:
        return Ticket(deadline=self._clock() + (self.default_timeout_s if timeout_s is None else timeout_s))

    async def run(self, fn: Callable[..., T], *args: Any, ticket: Optional[Ticket] = None) -> T:
        """Run fn(*args) on the GPU pool when a slot is free, within the ticket's deadline.

        Raises QueueFull/QueueClosed without waiting, DeadlineExceeded when the deadline passes first, and
        Abandoned when the ticket was abandoned (its client left) before the work started.
        """
        ticket = ticket or self.ticket()
        self.admit(ticket)
        future: "Future[T]" = self._executor.submit(self._timed, fn, args, ticket)
        future.add_done_callback(self._release)  # the slot is free when the work ends, not when its caller leaves
        remaining = ticket.deadline - self._clock()
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout=max(0.0, remaining))
        except asyncio.TimeoutError:
            ticket.abandoned = True  # if it is still waiting, the worker drops it
            self.note_deadline_exceeded()
            raise DeadlineExceeded() from None
        except asyncio.CancelledError:
            ticket.abandoned = True
            raise

    def admit(self, ticket: Ticket) -> None:
        """Count the ticket's work in (running or waiting), or refuse it at once: QueueClosed, QueueFull."""
        with self._lock:
            if self._closed:
                raise QueueClosed()
            if self._admitted >= self.capacity:
                if self._metrics:
                    self._metrics.rejected.inc()
                raise QueueFull(self.retry_after_s())
            self._admitted += 1
        ticket.enqueued_at = self._clock()
        self._publish()

    def release(self) -> None:
        """The admitted work of one ticket is over (answered, failed or dropped)."""
        with self._lock:
            self._admitted -= 1
        self._publish()

    def _release(self, _future: Future) -> None:
        self.release()

    def note_deadline_exceeded(self) -> None:
        if self._metrics:
            self._metrics.deadline_exceeded.inc()

    def drop(self, ticket: Ticket) -> Exception:
        """Counts the ticket's work as dropped unrun and says why (Abandoned, or DeadlineExceeded)."""
        if self._metrics:
            self._metrics.dropped.inc()
        return Abandoned() if ticket.abandoned else DeadlineExceeded()

    def submit_batch(self, fn: Callable[[List[int]], List[Any]], tickets: List[Ticket]) -> "Future[List[Any]]":
        """Run fn(live) on the GPU pool, live being the indices of the tickets still wanted when the batch
        starts; the future gives one outcome per ticket: fn's result for it, or the exception that ended it
        (Abandoned/DeadlineExceeded for the dropped ones). Each ticket must have been admitted; releasing it
        is the caller's (the batcher's) business."""
        return self._executor.submit(self._timed_batch, fn, tickets)

    def _timed_batch(self, fn: Callable[[List[int]], List[Any]], tickets: List[Ticket]) -> List[Any]:
        started = self._clock()
        outcomes: List[Any] = [None] * len(tickets)
        live: List[int] = []
        for index, ticket in enumerate(tickets):
            if ticket.abandoned or started >= ticket.deadline:
                outcomes[index] = self.drop(ticket)
            else:
                live.append(index)
        if not live:
            return outcomes
        for index in live:
            self._start(tickets[index], started)
        try:
            results = fn(live)
            for index, result in zip(live, results):
                outcomes[index] = result
        except Exception as exc:  # the whole batch failed: each of its requests gets the failure
            for index in live:
                outcomes[index] = exc
        finally:
            self._finish([tickets[i] for i in live], started)
        if self._metrics:
            self._metrics.batch_size.observe(len(live))
        return outcomes

    def _start(self, ticket: Ticket, started: float) -> None:
        ticket.started_at = started
        ticket.thread = threading.current_thread().name
        with self._lock:
            self._running.append(ticket)
        self._publish()
        if self._metrics and ticket.enqueued_at is not None:
            self._metrics.queue_wait_seconds.observe(started - ticket.enqueued_at)

    def _finish(self, tickets: List[Ticket], started: float) -> None:
        """The computation that started at `started` for these tickets is over: its time is theirs, shared."""
        ended = self._clock()
        elapsed = ended - started
        for ticket in tickets:
            ticket.finished = True
            ticket.busy_s = elapsed / len(tickets)
        with self._lock:
            for ticket in tickets:
                self._running.remove(ticket)
            self._ewma_s = 0.8 * self._ewma_s + 0.2 * elapsed
        if self._metrics:
            self._metrics.busy.record(started, ended)
            for _ticket in tickets:
                self._metrics.inference_seconds.observe(elapsed)
        self._publish()

    def _timed(self, fn: Callable[..., T], args: tuple, ticket: Ticket) -> T:
        started = self._clock()
        if ticket.abandoned or started >= ticket.deadline:
            raise self.drop(ticket)
        self._start(ticket, started)
        try:
            return fn(*args)
        finally:
            self._finish([ticket], started)

    def _publish(self) -> None:
        if self._metrics:
            self._metrics.inflight.set(len(self._running))
            self._metrics.queued.set(max(0, self._admitted - len(self._running)))

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
