"""POST /transcribe, /health and /metrics over HTTP with a fake engine, checked against libs/contracts.

What every image does (health, contract fixtures, 4xx, queue, metrics) is ServiceBehaviour's; this file gives
it whisper's requests and keeps what only whisper does.
"""

from bascule_testkit.contracts import assert_matches
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.helpers import common_settings, wav_bytes
from bascule_testkit.service_behaviour import ServiceBehaviour, multipart_without_file, warm_fixture
from bascule_testkit.third_party import FakeSegment
from whisper_service.app import create_app
from whisper_service.filtering import build_transcription
from whisper_service.settings import WhisperSettings

SETTINGS = WhisperSettings(max_audio_bytes=200_000, batch=False)


class FakeWhisper(GatedFakeEngine):
    model_name = "large-v3"

    def decode(self, audio):
        return audio  # the bytes, so tests can see what reached the model

    def transcribe(self, audio, language, initial_prompt):
        self._enter_inference(audio=audio, language=language, initial_prompt=initial_prompt)
        segments = [FakeSegment(0.0, 1.1, " Le chat dort", -0.1, 0.02), FakeSegment(1.1, 2.0, " Merci.", -1.6, 0.9)]
        return build_transcription(segments, language, 0.6, -1.0)


class FakeBatchingWhisper(FakeWhisper):
    """The batched path's two calls: prepare (CPU, before the queue) and one call per batch."""

    def prepare(self, audio, language, initial_prompt):
        return {"audio": audio, "language": language, "initial_prompt": initial_prompt}

    def transcribe_batch(self, clips):
        self._enter_inference(audio=clips[0]["audio"], language=clips[0]["language"],
                              initial_prompt=clips[0]["initial_prompt"], batch=len(clips))
        segments = [FakeSegment(0.0, 1.1, " Le chat dort", -0.1, 0.02)]
        return [build_transcription(segments, clip["language"], 0.6, -1.0) for clip in clips]


def make(engine=None, max_waiting=4):
    engine = engine or FakeWhisper()
    return engine, create_app(engine, SETTINGS, common_settings(queue_max_waiting=max_waiting))


# Batches of one, so that the shared checks' queue arithmetic (1 running + max_waiting) holds.
BATCHED = WhisperSettings(max_audio_bytes=200_000, batch=True, batch_window_ms=1.0, max_batch=1)


def make_batched(engine=None, max_waiting=4):
    engine = engine or FakeBatchingWhisper()
    return engine, create_app(engine, BATCHED, common_settings(queue_max_waiting=max_waiting))


def post(client, audio=None, **fields):
    files = {"audio": ("lecture.wav", wav_bytes() if audio is None else audio, "audio/wav")}
    return client.post("/transcribe", files=files, data=fields)


def with_audio(audio=None, **fields):
    return {"files": {"audio": ("a.wav", wav_bytes() if audio is None else audio, "audio/wav")}, "data": fields}


class TestWhisperService(ServiceBehaviour):
    service, route, fake_engine = "whisper", "/transcribe", FakeWhisper
    request_fixtures, answer_fixtures = "transcribe.fields", ("transcribe.response",)
    wrong_media_type = {"json": {"audio": "base64..."}}

    def make(self, engine=None, max_waiting=4):
        return make(engine, max_waiting)

    def post_valid(self, client):
        return post(client)

    def post_invalid(self, client):
        return post(client, language="xx")

    def post_fixture(self, client, body):
        return post(client, **body)

    def assert_answers(self, response):
        assert_matches("whisper.transcribe.response", response.json())

    def bad_requests(self):
        return [
            ("missing audio", multipart_without_file("language", "fr"), 400, "audio"),
            ("empty audio", with_audio(b""), 400, "audio"),
            ("not audio", with_audio(b"%PDF-1.7 not audio at all"), 415, "audio"),
            ("too large", with_audio(b"RIFF" + bytes(200_001)), 413, "audio"),
            ("unknown language", with_audio(language="xx"), 400, "language"),
            ("language name", with_audio(language="french"), 400, "language"),
            ("prompt too long", with_audio(initial_prompt="a" * 1001), 400, "initial_prompt"),
            ("expected text smuggled in", with_audio(expected_text="le chat"), 400, "expected_text"),
        ]


class TestWhisperServiceBatched(TestWhisperService):
    """Every shared check again, with the requests going through the micro-batcher."""

    fake_engine = FakeBatchingWhisper

    def make(self, engine=None, max_waiting=4):
        return make_batched(engine, max_waiting)


warm = warm_fixture(make)


def test_transcribe_answers_the_contract_and_drops_the_hallucinated_segment(warm):
    engine, client = warm
    response = post(client, language="fr")
    assert response.status_code == 200, response.text
    body = response.json()
    assert_matches("whisper.transcribe.response", body)
    assert body["text"] == "Le chat dort" and body["language"] == "fr"
    assert [s["text"] for s in body["segments"]] == [" Le chat dort"]
    assert 0.9 < body["confidence"] < 0.91  # exp(-0.1)
    assert engine.calls[0]["audio"][:4] == b"RIFF"


def test_french_is_the_default_and_no_prompt_means_the_engine_default(warm):
    engine, client = warm
    assert post(client).status_code == 200
    assert engine.calls[-1]["language"] == "fr" and engine.calls[-1]["initial_prompt"] is None


def test_requests_waiting_behind_a_running_batch_go_together_and_share_its_busy_time():
    from bascule_testkit.helpers import run_in_threads, serve, wait_until

    engine = FakeBatchingWhisper()
    settings = WhisperSettings(max_audio_bytes=200_000, batch=True, batch_window_ms=1.0, max_batch=4)
    app = create_app(engine, settings, common_settings(queue_max_waiting=4))
    with serve(app) as client:
        engine.inference_gate.clear()
        answers = []
        first = run_in_threads([lambda: answers.append(post(client))])
        assert engine.inference_started.acquire(timeout=10)
        others = run_in_threads([lambda: answers.append(post(client)) for _ in range(3)])
        wait_until(lambda: app.state.batcher.waiting == 3, what="three requests gathered behind the running batch")
        engine.inference_gate.set()
        for thread in first + others:
            thread.join(10)
    assert [call["batch"] for call in engine.calls] == [1, 3]
    assert [a.status_code for a in answers] == [200] * 4
    assert all(float(a.headers["x-bascule-busy-ms"]) >= 0 for a in answers)


def test_a_batched_request_past_its_deadline_is_a_504_and_never_reaches_the_model():
    from bascule_testkit.helpers import run_in_threads, serve

    engine = FakeBatchingWhisper()
    settings = WhisperSettings(max_audio_bytes=200_000, batch=True, batch_window_ms=1.0, max_batch=4)
    app = create_app(engine, settings, common_settings(queue_max_waiting=4))
    with serve(app) as client:
        engine.inference_gate.clear()
        first = []
        threads = run_in_threads([lambda: first.append(post(client))])
        assert engine.inference_started.acquire(timeout=10)
        late = client.post("/transcribe", files={"audio": ("a.wav", wav_bytes(), "audio/wav")},
                           headers={"X-Bascule-Deadline-Ms": "200"})
        assert late.status_code == 504 and late.json()["error"]["code"] == "deadline_exceeded"
        assert "x-bascule-busy-ms" not in late.headers
        assert_matches("common.error", late.json())
        engine.inference_gate.set()
        threads[0].join(10)
        metrics = client.get("/metrics").text
    assert first[0].status_code == 200
    assert [call["batch"] for call in engine.calls] == [1]  # the late request never reached the model
    assert "bascule_deadline_exceeded_total 1.0" in metrics
