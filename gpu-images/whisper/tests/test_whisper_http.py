"""POST /transcribe, /health and /metrics over HTTP with a fake engine, checked against libs/contracts."""
import pytest
from fastapi.testclient import TestClient

from bascule_common.settings import CommonSettings
from bascule_testkit.contracts import assert_matches, fixtures
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.helpers import run_in_threads, wait_warm, wav_bytes
from bascule_testkit.third_party import FakeSegment
from whisper_service.app import create_app
from whisper_service.filtering import build_transcription
from whisper_service.settings import WhisperSettings

SETTINGS = WhisperSettings(max_audio_bytes=200_000)


class FakeWhisper(GatedFakeEngine):
    model_name = "large-v3"

    def transcribe(self, audio, language, initial_prompt):
        self._enter_inference(audio=audio, language=language, initial_prompt=initial_prompt)
        segments = [FakeSegment(0.0, 1.1, " Le chat dort", -0.1, 0.02), FakeSegment(1.1, 2.0, " Merci.", -1.6, 0.9)]
        return build_transcription(segments, language, 0.6, -1.0)


def make(engine=None, max_waiting=4):
    engine = engine or FakeWhisper()
    common = CommonSettings(port=0, queue_max_waiting=max_waiting, exit_on_load_failure=False)
    return engine, create_app(engine, SETTINGS, common)


@pytest.fixture
def warm():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        yield engine, client


def post(client, audio=None, **fields):
    files = {"audio": ("lecture.wav", wav_bytes() if audio is None else audio, "audio/wav")}
    return client.post("/transcribe", files=files, data=fields)


def test_health_is_503_loading_then_200_warm():
    engine, app = make(FakeWhisper(hold_load=True))
    with TestClient(app) as client:
        first = client.get("/health")
        assert first.status_code == 503 and first.json()["status"] == "loading"
        assert_matches("common.health.response", first.json())
        engine.load_gate.set()
        wait_warm(client)
        ready = client.get("/health")
        assert ready.json()["model"] == "large-v3" and ready.json()["warm"] is True
        assert_matches("common.health.response", ready.json())


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


@pytest.mark.parametrize("label,valid,fields", fixtures("whisper", "transcribe.fields"))
def test_contract_field_fixtures_are_accepted_or_refused(warm, label, valid, fields):
    engine, client = warm
    response = post(client, **fields)
    if valid:
        assert response.status_code == 200, (label, response.text)
        assert_matches("whisper.transcribe.response", response.json())
    else:
        assert response.status_code == 400, (label, response.text)
        assert_matches("common.error", response.json())


def test_the_contract_response_fixtures_agree_with_the_schema():
    for label, valid, body in fixtures("whisper", "transcribe.response"):
        if valid:
            assert_matches("whisper.transcribe.response", body)
        else:
            with pytest.raises(AssertionError):
                assert_matches("whisper.transcribe.response", body)


@pytest.mark.parametrize(
    "case,request_kwargs,status,field",
    [
        ("missing audio", {"files": None, "data": {"language": "fr"}}, 400, "audio"),
        ("empty audio", {"files": {"audio": ("a.wav", b"", "audio/wav")}}, 400, "audio"),
        ("not audio", {"files": {"audio": ("a.wav", b"%PDF-1.7 not audio at all", "audio/wav")}}, 415, "audio"),
        ("too large", {"files": {"audio": ("a.wav", b"RIFF" + bytes(200_001), "audio/wav")}}, 413, "audio"),
        ("unknown language", {"data": {"language": "xx"}}, 400, "language"),
        ("language name", {"data": {"language": "french"}}, 400, "language"),
        ("prompt too long", {"data": {"initial_prompt": "a" * 1001}}, 400, "initial_prompt"),
        ("expected text smuggled in", {"data": {"expected_text": "le chat"}}, 400, "expected_text"),
    ],
)
def test_bad_requests_are_clear_4xx_naming_the_field(warm, case, request_kwargs, status, field):
    engine, client = warm
    files = request_kwargs.get("files", {"audio": ("a.wav", wav_bytes(), "audio/wav")})
    if files is None:
        response = client.post("/transcribe", data=request_kwargs["data"],
                               headers={"content-type": "multipart/form-data; boundary=b"},
                               content=b'--b\r\nContent-Disposition: form-data; name="language"\r\n\r\nfr\r\n--b--\r\n')
    else:
        response = client.post("/transcribe", files=files, data=request_kwargs.get("data", {}))
    assert response.status_code == status, (case, response.text)
    assert response.json()["error"]["field"] == field, case
    assert field in response.json()["error"]["message"]
    assert_matches("common.error", response.json())
    assert engine.calls == []


def test_json_instead_of_multipart_is_415(warm):
    engine, client = warm
    response = client.post("/transcribe", json={"audio": "base64..."})
    assert response.status_code == 415
    assert_matches("common.error", response.json())


def test_queue_full_is_503_with_retry_after():
    engine, app = make(max_waiting=0)
    with TestClient(app) as client:
        wait_warm(client)
        engine.inference_gate.clear()
        results = []
        threads = run_in_threads([lambda: results.append(post(client))])
        assert engine.inference_started.acquire(timeout=10)
        refused = post(client)
        assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
        assert_matches("common.error", refused.json())
        engine.inference_gate.set()
        threads[0].join(10)
        assert results[0].status_code == 200


def test_metrics_count_transcriptions(warm):
    engine, client = warm
    post(client)
    text = client.get("/metrics").text
    assert 'bascule_requests_total{method="POST",route="/transcribe",status="200"} 1.0' in text
    assert 'bascule_model_info{model="large-v3",service="whisper"} 1.0' in text
    assert "bascule_inference_duration_seconds_count 1.0" in text
