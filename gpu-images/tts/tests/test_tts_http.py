"""POST /synthesize, /health and /metrics over HTTP with a fake engine, checked against libs/contracts."""
import io

import numpy as np
import pytest
import soundfile
from fastapi.testclient import TestClient

from bascule_common.settings import CommonSettings
from bascule_testkit.contracts import assert_matches, fixtures
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.helpers import run_in_threads, wait_warm
from tts_service.app import create_app
from tts_service.settings import DEFAULT_VOICES, TtsSettings


class FakeTts(GatedFakeEngine):
    model_name = "tts_models/fr/css10/vits"
    rate = 22050

    def synthesize(self, text, voice, speed):
        self._enter_inference(text=text, voice=voice, speed=speed)
        t = np.arange(int(0.05 * len(text) / speed * self.rate)) / self.rate
        return (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), self.rate


def make(engine=None, voices=None, max_waiting=4):
    engine = engine or FakeTts()
    settings = TtsSettings(voices=voices or dict(DEFAULT_VOICES))
    common = CommonSettings(port=0, queue_max_waiting=max_waiting, exit_on_load_failure=False)
    return engine, create_app(engine, settings, common)


@pytest.fixture
def warm():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        yield engine, client


def test_health_is_503_loading_then_200_warm():
    engine, app = make(FakeTts(hold_load=True))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 503
        assert_matches("common.health.response", client.get("/health").json())
        engine.load_gate.set()
        wait_warm(client)
        assert_matches("common.health.response", client.get("/health").json())


def test_synthesize_returns_a_pcm16_mono_wav_at_the_model_rate(warm):
    engine, client = warm
    response = client.post("/synthesize", json={"text": "maison", "voice": "fr-female-clear", "speed": 0.9})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["x-sample-rate"] == "22050" and float(response.headers["x-latency-ms"]) >= 0
    samples, rate = soundfile.read(io.BytesIO(response.content), dtype="float32")
    info = soundfile.info(io.BytesIO(response.content))
    assert (info.format, info.subtype, info.channels, rate) == ("WAV", "PCM_16", 1, 22050)
    assert samples.size == int(0.05 * 6 / 0.9 * 22050)
    assert 0.45 < np.abs(samples).max() <= 0.51
    assert engine.calls[-1] == {"text": "maison", "voice": "fr-female-clear", "speed": 0.9}


def test_text_whitespace_is_collapsed_and_speed_defaults_to_one(warm):
    engine, client = warm
    assert client.post("/synthesize", json={"text": "  Le petit\nchat  ", "voice": "fr-male-gentle"}).status_code == 200
    assert engine.calls[-1] == {"text": "Le petit chat", "voice": "fr-male-gentle", "speed": 1.0}


def test_unknown_voice_is_400_listing_the_voices(warm):
    engine, client = warm
    response = client.post("/synthesize", json={"text": "maison", "voice": "alloy"})
    assert response.status_code == 400
    assert_matches("tts.synthesize.voice_error", response.json())
    assert response.json()["error"]["voices"] == ["fr-female-clear", "fr-male-gentle"]
    assert "fr-female-clear" in response.json()["error"]["message"]


@pytest.mark.parametrize("label,valid,body", fixtures("tts", "synthesize.request"))
def test_contract_request_fixtures_are_accepted_or_refused(label, valid, body):
    # The fixtures name the plan's voices, which are the image's default catalogue: no TTS_VOICES needed.
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        response = client.post("/synthesize", json=body)
    if valid:
        assert response.status_code == 200, (label, response.text)
        assert soundfile.info(io.BytesIO(response.content)).subtype == "PCM_16"
    else:
        assert response.status_code == 400, (label, response.text)
        assert_matches("common.error", response.json())


def test_the_contract_names_the_images_default_voices():
    # The gateway, the lab and this image agree on the plan's voice ids through the contract's fixtures.
    [body] = [b for _, valid, b in fixtures("tts", "synthesize.voice_error") if valid]
    assert body["error"]["voices"] == sorted(DEFAULT_VOICES)
    requested = {b["voice"] for _, valid, b in fixtures("tts", "synthesize.request") if valid}
    assert requested and requested <= set(DEFAULT_VOICES)


def test_the_contract_voice_error_fixtures_agree_with_the_schema():
    for label, valid, body in fixtures("tts", "synthesize.voice_error"):
        if valid:
            assert_matches("tts.synthesize.voice_error", body)
        else:
            with pytest.raises(AssertionError):
                assert_matches("tts.synthesize.voice_error", body)


@pytest.mark.parametrize(
    "case,body,status,field",
    [
        ("missing text", {"voice": "fr-female-clear"}, 400, "text"),
        ("blank text", {"text": " \n ", "voice": "fr-female-clear"}, 400, "text"),
        ("text not a string", {"text": 42, "voice": "fr-female-clear"}, 400, "text"),
        ("text too long", {"text": "a" * 1001, "voice": "fr-female-clear"}, 400, "text"),
        ("missing voice", {"text": "maison"}, 400, "voice"),
        ("speed too slow", {"text": "maison", "voice": "fr-female-clear", "speed": 0.2}, 400, "speed"),
        ("speed as text", {"text": "maison", "voice": "fr-female-clear", "speed": "fast"}, 400, "speed"),
        ("speed as boolean", {"text": "maison", "voice": "fr-female-clear", "speed": True}, 400, "speed"),
        ("OpenAI field names", {"input": "maison", "voice": "fr-female-clear"}, 400, "input"),
    ],
)
def test_bad_bodies_are_400_naming_the_field(warm, case, body, status, field):
    engine, client = warm
    response = client.post("/synthesize", json=body)
    assert response.status_code == status, case
    assert response.json()["error"]["field"] == field, case
    assert_matches("common.error", response.json())
    assert engine.calls == []


def test_wrong_media_type_bad_json_and_huge_body(warm):
    engine, client = warm
    as_form = client.post("/synthesize", data={"text": "maison", "voice": "fr-female-clear"})
    assert as_form.status_code == 415 and as_form.json()["error"]["code"] == "unsupported_media_type"
    broken = client.post("/synthesize", content=b'{"text": ', headers={"content-type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["field"] == "body"
    huge = client.post("/synthesize", json={"text": "a" * 20_000, "voice": "fr-female-clear"})
    assert huge.status_code == 413
    for response in (as_form, broken, huge):
        assert_matches("common.error", response.json())


def test_queue_full_is_503_with_retry_after():
    engine, app = make(max_waiting=0)
    with TestClient(app) as client:
        wait_warm(client)
        engine.inference_gate.clear()
        results = []
        threads = run_in_threads([lambda: results.append(client.post("/synthesize", json={"text": "a", "voice": "fr-female-clear"}))])
        assert engine.inference_started.acquire(timeout=10)
        refused = client.post("/synthesize", json={"text": "b", "voice": "fr-female-clear"})
        assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
        assert_matches("common.error", refused.json())
        engine.inference_gate.set()
        threads[0].join(10)
        assert results[0].status_code == 200


def test_metrics_count_syntheses(warm):
    engine, client = warm
    client.post("/synthesize", json={"text": "maison", "voice": "fr-female-clear"})
    client.post("/synthesize", json={"text": "maison", "voice": "nope"})
    text = client.get("/metrics").text
    assert 'bascule_requests_total{method="POST",route="/synthesize",status="200"} 1.0' in text
    assert 'bascule_requests_total{method="POST",route="/synthesize",status="400"} 1.0' in text
    assert "bascule_inference_duration_seconds_count 1.0" in text
