"""Micro-batching across requests, with faster-whisper and CTranslate2 themselves on the tiny random Whisper of
large-v3's shape: batched answers equal unbatched ones, a request that leaves before its batch starts is not
run (the model sees the others only), and a deadline that passes while waiting is a 504 with no model work.

The GPU worker is held by a gate in front of the engine's batch call (the fake part is the gate only: the
model calls are real), so that requests gather behind a running batch exactly as they do under load.
"""
import asyncio
import threading

import numpy as np
import pytest

from bascule_common.gpu_queue import Abandoned, DeadlineExceeded, GpuQueue
from bascule_common.metrics import ServiceMetrics
from bascule_testkit.audio_files import voiced
from bascule_testkit.contracts import assert_matches
from bascule_testkit.helpers import common_settings, run_in_threads, serve, wait_until
from whisper_service.app import create_app
from whisper_service.batcher import MicroBatcher
from whisper_service.engine import FasterWhisperEngine
from whisper_service.settings import WhisperSettings

LANGUAGES = ["fr", "en", "de", "fr", "es"]


class CountingGenerate:
    """CTranslate2's Whisper with its `generate` counted: the batch sizes the model itself sees, and the shapes
    of the encoder's outputs (batch, frames / 2, width)."""

    def __init__(self, model):
        self._model = model
        self.batch_sizes = []
        self.encoded = []

    def encode(self, features, **options):
        output = self._model.encode(features, **options)
        self.encoded.append(tuple(output.shape))
        return output

    def generate(self, features, prompts, **options):
        self.batch_sizes.append(len(prompts))
        return self._model.generate(features, prompts, **options)

    def __getattr__(self, name):
        return getattr(self._model, name)


def tiny_settings(model_dir, **overrides):
    # 32 new tokens: a random model never writes its end token, and a child's read is about that long.
    return WhisperSettings(**{"model": str(model_dir), "device": "cpu", "compute_type": "float32", "beam_size": 1,
                              "local_files_only": True, "max_new_tokens": 32, **overrides})


@pytest.fixture(scope="module")
def engine(tiny_whisper_dir):
    engine = FasterWhisperEngine(tiny_settings(tiny_whisper_dir, batch=True))
    engine.load()
    engine.warmup()
    engine._model.model = CountingGenerate(engine._model.model)
    return engine


def clips():
    """Five different reads (lengths, voices, one after 0.8 s of silence that the VAD removes) and one silence."""
    reads = [voiced(1.0 + 0.4 * i, f0=140 + 25 * i, seed=i, silence_before_s=0.8 if i == 2 else 0.0) for i in range(5)]
    return reads + [np.zeros(16_000, dtype=np.float32)], LANGUAGES + ["fr"]


def test_batched_answers_equal_unbatched_ones_with_one_generate_for_the_batch(engine):
    samples, languages = clips()
    alone = [engine.transcribe(s, lang, None) for s, lang in zip(samples, languages)]
    engine._model.model.batch_sizes.clear()
    together = engine.transcribe_batch([engine.prepare(s, lang, None) for s, lang in zip(samples, languages)])
    assert together == alone
    assert engine._model.model.batch_sizes == [5]  # the five reads in one generate; the silence never reaches it
    assert [a["language"] for a in together] == languages
    assert all(a["segments"] for a in together[:5]) and together[5]["segments"] == []
    # Timestamps are on the recording's clock: the silence the VAD removed (0.8 s less its 400 ms of padding)
    # is put back, as transcribe does.
    assert together[2]["segments"][0]["start"] >= 0.4
    for answer in together:
        assert_matches("whisper.transcribe.response", {**answer, "latency_ms": 1.0})


def test_a_clip_longer_than_the_window_takes_faster_whispers_own_path_inside_the_batch(engine):
    long_read = voiced(34.0, f0=160, seed=7)
    short = voiced(1.2, f0=150, seed=8)
    alone = [engine.transcribe(long_read, "fr", None), engine.transcribe(short, "fr", None)]
    together = engine.transcribe_batch([engine.prepare(long_read, "fr", None), engine.prepare(short, "fr", None)])
    assert together == alone


def test_a_shorter_encoder_window_still_answers_the_contract(tiny_whisper_dir):
    engine = FasterWhisperEngine(tiny_settings(tiny_whisper_dir, encoder_window_s=10, batch=False))
    engine.load()
    engine._model.model = CountingGenerate(engine._model.model)
    answer = engine.transcribe(voiced(1.5, seed=3), "fr", None)
    assert engine._model.model.encoded == [(1, 500, 32)]  # 10 s: 1 000 mel frames, 500 encoder positions (not 1 500)
    assert engine._model.model.batch_sizes == [1]
    assert answer["segments"]
    assert_matches("whisper.transcribe.response", {**answer, "latency_ms": 1.0})


class GatedBatches:
    """The engine's batch call behind a gate: the first batch holds the GPU worker until the test opens it."""

    def __init__(self, engine):
        self.engine = engine
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.sizes = []

    def __call__(self, clips):
        self.sizes.append(len(clips))
        self.entered.set()
        if not self.gate.wait(timeout=60):
            raise TimeoutError("the test never opened the gate")
        return self.engine.transcribe_batch(clips)


async def hold_the_gpu(batcher, queue, engine, gated):
    """A first request starts a batch that blocks at the gate: later requests gather behind it."""
    first = asyncio.ensure_future(batcher.submit(engine.prepare(voiced(1.0, seed=20), "fr", None), queue.ticket(60)))
    await asyncio.get_running_loop().run_in_executor(None, gated.entered.wait, 30)
    return first


async def until(predicate, what):
    for _ in range(3000):  # a hung test stops after about 30 s; nothing here is timed
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_cancelled_request_leaves_the_batch_and_the_others_are_answered(engine):
    samples, languages = clips()
    reads = list(zip(samples[:4], languages[:4]))
    expected = [engine.transcribe(s, lang, None) for s, lang in reads]

    async def scenario():
        queue = GpuQueue(concurrency=1, max_waiting=8, metrics=ServiceMetrics("whisper", "tiny"))
        gated = GatedBatches(engine)
        batcher = MicroBatcher(gated, queue, window_s=0.001, max_batch=8)
        first = await hold_the_gpu(batcher, queue, engine, gated)
        tickets = [queue.ticket(60) for _ in reads]
        waiting = [asyncio.ensure_future(batcher.submit(engine.prepare(s, lang, None), t))
                   for (s, lang), t in zip(reads, tickets)]
        await until(lambda: batcher.waiting == len(reads), "the requests to gather")
        waiting[1].cancel()  # this client goes away while its request waits
        engine._model.model.batch_sizes.clear()
        gated.gate.set()
        answers = await asyncio.gather(*waiting, return_exceptions=True)
        await first
        await until(lambda: queue.admitted == 0, "every admission to be released")
        return gated.sizes, answers, tickets

    sizes, answers, tickets = asyncio.run(scenario())
    assert isinstance(answers[1], asyncio.CancelledError) and tickets[1].started_at is None
    assert [answers[i] for i in (0, 2, 3)] == [expected[i] for i in (0, 2, 3)]
    assert sizes == [1, len(reads) - 1]  # the gate's batch, then the others without the cancelled one
    assert engine._model.model.batch_sizes[-1] == len(reads) - 1  # what CTranslate2's generate saw


def test_a_disconnected_client_is_dropped_before_its_batch_starts(engine):
    async def scenario():
        queue = GpuQueue(concurrency=1, max_waiting=8)
        gated = GatedBatches(engine)
        batcher = MicroBatcher(gated, queue, window_s=0.001, max_batch=8)
        first = await hold_the_gpu(batcher, queue, engine, gated)
        kept, gone = queue.ticket(60), queue.ticket(60)
        tasks = [asyncio.ensure_future(batcher.submit(engine.prepare(voiced(1.1, seed=s), "fr", None), t))
                 for s, t in ((30, kept), (31, gone))]
        await until(lambda: batcher.waiting == 2, "the requests to gather")
        gone.abandoned = True  # what the HTTP layer's disconnect watcher does
        gated.gate.set()
        answers = await asyncio.gather(*tasks, return_exceptions=True)
        await first
        return gated.sizes, answers

    sizes, answers = asyncio.run(scenario())
    assert isinstance(answers[1], Abandoned) and isinstance(answers[0], dict)
    assert sizes == [1, 1]


def test_a_deadline_passed_while_waiting_is_exceeded_and_never_run(engine):
    async def scenario():
        metrics = ServiceMetrics("whisper", "tiny")
        queue = GpuQueue(concurrency=1, max_waiting=8, metrics=metrics)
        gated = GatedBatches(engine)
        batcher = MicroBatcher(gated, queue, window_s=0.001, max_batch=8)
        first = await hold_the_gpu(batcher, queue, engine, gated)
        hurried = queue.ticket(0.2)
        patient = queue.ticket(60)
        late = asyncio.ensure_future(batcher.submit(engine.prepare(voiced(1.0, seed=40), "fr", None), hurried))
        on_time = asyncio.ensure_future(batcher.submit(engine.prepare(voiced(1.0, seed=41), "fr", None), patient))
        with pytest.raises(DeadlineExceeded):
            await late  # answered at its deadline, while the GPU is still busy
        assert batcher.waiting == 1
        gated.gate.set()
        answer = await on_time
        await first
        return gated.sizes, answer, hurried, metrics

    sizes, answer, hurried, metrics = asyncio.run(scenario())
    assert sizes == [1, 1] and hurried.started_at is None and answer["language"] == "fr"
    assert "bascule_deadline_exceeded_total 1.0" in metrics.exposition().decode()


def test_requests_over_http_are_batched_and_answer_like_unbatched_ones(tiny_whisper_dir):
    settings = tiny_settings(tiny_whisper_dir, batch=True, batch_window_ms=50.0, max_batch=4)
    app = create_app(FasterWhisperEngine(settings), settings, common_settings(queue_max_waiting=8))
    unbatched = FasterWhisperEngine(tiny_settings(tiny_whisper_dir, batch=False))
    unbatched.load()
    audio = [voiced_wav(1.0 + 0.25 * i, f0=130 + 30 * i, seed=50 + i) for i in range(4)]
    with serve(app) as client:
        answers = {}
        threads = run_in_threads([
            (lambda i=i: answers.__setitem__(i, client.post("/transcribe", files={"audio": ("a.wav", audio[i], "audio/wav")})))
            for i in range(4)
        ])
        for thread in threads:
            thread.join(120)
        wait_until(lambda: len(answers) == 4, 120, "the four answers")
        metrics = client.get("/metrics").text
    for i, response in answers.items():
        assert response.status_code == 200, response.text
        body = response.json()
        body.pop("latency_ms")
        assert body == unbatched.transcribe(unbatched.decode(audio[i]), "fr", None)
        assert float(response.headers["x-bascule-busy-ms"]) >= 0
    batches = [line for line in metrics.splitlines() if line.startswith("bascule_batch_size_count ")]
    assert batches and float(batches[0].split()[1]) >= 1


def voiced_wav(seconds, f0, seed):
    import io

    import soundfile

    buf = io.BytesIO()
    soundfile.write(buf, voiced(seconds, f0=f0, seed=seed), 16000, format="WAV", subtype="PCM_16")
    return buf.getvalue()
