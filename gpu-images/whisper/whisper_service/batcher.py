"""Micro-batching across requests: gather for a few milliseconds, run ONE batched inference, answer each.

Requests arrive one by one; each is admitted to the GPU queue at once (or refused 503 when it is full) and
waits here. When a GPU worker is free, the batcher waits at most `window_s` after the oldest waiting request
(or until `max_batch` are waiting), then hands up to `max_batch` of them to `run_batch` as one piece of work
on the GPU queue's pool. While a batch runs, the next one gathers: under load batches grow by themselves,
and a lone request waits at most the window.

Per request:
- its own answer, or its own exception (`run_batch` returns one outcome per item, an exception for an item
  that failed alone);
- its deadline: passed while waiting → DeadlineExceeded (504) at once, and its work is left out of the batch;
- cancellation: a caller that goes away (its ticket abandoned, or its task cancelled) leaves the batch before
  it starts, so the model never sees its clip.
Work is checked once more on the GPU worker, when the batch starts (GpuQueue.submit_batch): what expired
between the gathering and the start is dropped there too.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence

from bascule_common.gpu_queue import DeadlineExceeded, GpuQueue, QueueClosed, Ticket

log = logging.getLogger("bascule.batcher")


@dataclass(eq=False)  # compared by identity: the items hold numpy arrays
class _Waiting:
    item: Any
    ticket: Ticket
    answer: "asyncio.Future[Any]"
    arrived: float


class MicroBatcher:
    def __init__(
        self,
        run_batch: Callable[[Sequence[Any]], List[Any]],
        queue: GpuQueue,
        window_s: float,
        max_batch: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        self._run_batch = run_batch
        self._queue = queue
        self.window_s = window_s
        self.max_batch = max_batch
        self._clock = clock
        self._waiting: List[_Waiting] = []
        self._collector: Optional["asyncio.Task[None]"] = None
        self._arrival: Optional[asyncio.Event] = None
        self._free_workers: Optional[asyncio.Semaphore] = None
        queue.allow_batches(max_batch)

    @property
    def waiting(self) -> int:
        """Requests gathered and not yet handed to a batch."""
        return len(self._waiting)

    async def submit(self, item: Any, ticket: Ticket) -> Any:
        """item's answer from the batch it joins; QueueFull/QueueClosed at once, DeadlineExceeded at its deadline,
        Abandoned when the ticket was abandoned before its batch started."""
        self._queue.admit(ticket)
        loop = asyncio.get_running_loop()
        waiting = _Waiting(item, ticket, loop.create_future(), self._clock())
        self._waiting.append(waiting)
        self._wake(loop)
        try:
            remaining = max(0.0, ticket.deadline - self._clock())
            return await asyncio.wait_for(asyncio.shield(waiting.answer), timeout=remaining)
        except asyncio.TimeoutError:
            ticket.abandoned = True  # still waiting: left out of the batch; running: its answer is ignored
            self._queue.note_deadline_exceeded()
            self._leave_if_waiting(waiting)
            raise DeadlineExceeded() from None
        except asyncio.CancelledError:
            ticket.abandoned = True
            self._leave_if_waiting(waiting)
            raise
        finally:
            waiting.answer.cancel()  # nobody reads it any more (no-op once answered)

    def _wake(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._arrival is None:
            self._arrival = asyncio.Event()
            self._free_workers = asyncio.Semaphore(self._queue.concurrency)
        self._arrival.set()
        if self._collector is None or self._collector.done():
            self._collector = loop.create_task(self._collect())

    def _leave_if_waiting(self, waiting: _Waiting) -> None:
        """A caller gone before its batch was formed: out of the list, its admission released, never run."""
        if waiting in self._waiting:
            self._waiting.remove(waiting)
            self._queue.drop(waiting.ticket)
            self._queue.release()

    def _prune(self) -> None:
        """Work abandoned while waiting (its client disconnected) leaves now, answered Abandoned, so that it
        takes no place in the batch being formed."""
        for waiting in [w for w in self._waiting if w.ticket.abandoned]:
            self._waiting.remove(waiting)
            self._settle(waiting, self._queue.drop(waiting.ticket))

    async def _collect(self) -> None:
        try:
            await self._form_batches()
        except Exception as exc:  # a bug here must not leave requests waiting for their deadline: they fail now
            log.error("micro-batcher failed", exc_info=True)
            waiting, self._waiting = self._waiting, []
            for item in waiting:
                self._settle(item, exc)

    async def _form_batches(self) -> None:
        assert self._arrival is not None and self._free_workers is not None
        while self._waiting:
            await self._free_workers.acquire()
            await self._gather()
            self._prune()
            batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch:]
            if not batch:
                self._free_workers.release()
                continue
            try:
                work = self._queue.submit_batch(functools.partial(self._run_live, batch), [w.ticket for w in batch])
            except RuntimeError:  # the pool is shut down: the service is stopping
                self._free_workers.release()
                for waiting in batch:
                    self._settle(waiting, QueueClosed())
                continue
            asyncio.wrap_future(work).add_done_callback(functools.partial(self._answer, batch))

    async def _gather(self) -> None:
        """Until max_batch are waiting, or the window after the oldest waiting request has passed."""
        assert self._arrival is not None
        while True:
            self._prune()
            if not self._waiting or len(self._waiting) >= self.max_batch:
                return
            remaining = self._waiting[0].arrived + self.window_s - self._clock()
            if remaining <= 0:
                return
            self._arrival.clear()
            try:
                await asyncio.wait_for(self._arrival.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                return

    def _run_live(self, batch: List[_Waiting], live: List[int]) -> List[Any]:
        """On the GPU worker: the items still wanted when the batch starts, as one call."""
        return self._run_batch([batch[i].item for i in live])

    def _answer(self, batch: List[_Waiting], outcome: "asyncio.Future[List[Any]]") -> None:
        assert self._free_workers is not None
        self._free_workers.release()
        failure = outcome.exception()
        results = [failure] * len(batch) if failure is not None else outcome.result()
        for waiting, result in zip(batch, results):
            self._settle(waiting, result)

    def _settle(self, waiting: _Waiting, result: Any) -> None:
        """One request's work is over: its admission is released and its caller, if still there, answered."""
        self._queue.release()
        if waiting.answer.done():
            return
        if isinstance(result, BaseException):
            waiting.answer.set_exception(result)
        else:
            waiting.answer.set_result(result)
