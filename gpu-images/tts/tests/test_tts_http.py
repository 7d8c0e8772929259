"""POST /synthesize, /health and /metrics over HTTP with a fake engine, checked against libs/contracts.

What every image does (health, contract fixtures, 4xx, queue, metrics) is ServiceBehaviour's; this file gives
it tts's requests and keeps what only tts does (the WAV, voices).
"""
import io

import numpy as np
import soundfile

from bascule_testkit.contracts import assert_matches, fixtures
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.helpers import common_settings
from bascule_testkit.service_behaviour import ServiceBehaviour, warm_fixture
from tts_service.app import create_app
from tts_service.settings import DEFAULT_VOICES, TtsSettings


class FakeTts(GatedFakeEngine):
    model_name = "tts_models/fr/css10/vits"
    rate = 22050

    def revision(self, voice):
        return f"{voice}@{self.model_revision}"

    model_revision = "r1"

    def synthesize(self, text, voice, speed):
        self._enter_inference(text=text, voice=voice, speed=speed)
        t = np.arange(int(0.05 * len(text) / speed * self.rate)) / self.rate
        return (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), self.rate


def make(engine=None, max_waiting=4, cache_max_bytes=0):
    # The shared behaviour (queue full, metrics...) counts every request reaching the model: no cache there.
    engine = engine or FakeTts()
    settings = TtsSettings(voices=dict(DEFAULT_VOICES), cache_max_bytes=cache_max_bytes)
    return engine, create_app(engine, settings, common_settings(queue_max_waiting=max_waiting))


def speak(**body):
    return {"json": {"voice": "fr-female-clear", **body}}


class TestTtsService(ServiceBehaviour):
    service, route, fake_engine = "tts", "/synthesize", FakeTts
    # The request fixtures name the plan's voices, which are the image's default catalogue: no TTS_VOICES needed.
    request_fixtures, answer_fixtures = "synthesize.request", ("synthesize.voice_error",)
    wrong_media_type = {"data": {"text": "maison", "voice": "fr-female-clear"}}

    def make(self, engine=None, max_waiting=4):
        return make(engine, max_waiting)

    def post_valid(self, client):
        return client.post("/synthesize", json={"text": "maison", "voice": "fr-female-clear"})

    def post_invalid(self, client):
        return client.post("/synthesize", json={"text": "maison", "voice": "nope"})

    def post_fixture(self, client, body):
        return client.post("/synthesize", json=body)

    def assert_answers(self, response):
        assert response.headers["content-type"] == "audio/wav"
        assert soundfile.info(io.BytesIO(response.content)).subtype == "PCM_16"

    def bad_requests(self):
        return [
            ("missing text", speak(), 400, "text"),
            ("blank text", speak(text=" \n "), 400, "text"),
            ("text not a string", speak(text=42), 400, "text"),
            ("text too long", speak(text="a" * 1001), 400, "text"),
            ("missing voice", {"json": {"text": "maison"}}, 400, "voice"),
            ("speed too slow", speak(text="maison", speed=0.2), 400, "speed"),
            ("speed as text", speak(text="maison", speed="fast"), 400, "speed"),
            ("speed as boolean", speak(text="maison", speed=True), 400, "speed"),
            ("OpenAI field names", speak(input="maison"), 400, "input"),
            ("broken JSON", {"content": b'{"text": ', "headers": {"content-type": "application/json"}}, 400, "body"),
            ("huge body", speak(text="a" * 20_000), 413, "body"),
        ]


warm = warm_fixture(make)


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


def test_the_contract_names_the_images_default_voices():
    # The gateway, the lab and this image agree on the plan's voice ids through the contract's fixtures.
    [body] = [b for _, valid, b in fixtures("tts", "synthesize.voice_error") if valid]
    assert body["error"]["voices"] == sorted(DEFAULT_VOICES)
    requested = {b["voice"] for _, valid, b in fixtures("tts", "synthesize.request") if valid}
    assert requested and requested <= set(DEFAULT_VOICES)


def test_repeated_text_is_served_from_the_bounded_cache_and_counted_in_metrics():
    from bascule_testkit.helpers import serve

    engine, app = make(cache_max_bytes=200_000)
    with serve(app) as client:
        first = client.post("/synthesize", **speak(text="maison"))
        again = client.post("/synthesize", **speak(text="maison"))
        assert first.status_code == again.status_code == 200 and first.content == again.content
        assert len(engine.calls) == 1  # the second one never reached the model
        assert float(again.headers["x-bascule-busy-ms"]) == 0.0  # and cost the GPU nothing
        client.post("/synthesize", **speak(text="maison", speed=1.5))  # another speed: another entry
        engine.model_revision = "r2"  # a new model: old audio is never served
        client.post("/synthesize", **speak(text="maison"))
        assert len(engine.calls) == 3
        metrics = client.get("/metrics").text
        assert 'bascule_tts_cache_requests_total{result="hit"} 1.0' in metrics
        assert 'bascule_tts_cache_requests_total{result="miss"} 3.0' in metrics
        assert "bascule_tts_cache_hit_ratio 0.25" in metrics


def test_the_cache_stays_within_its_bound():
    from tts_service.cache import AudioCache

    cache = AudioCache(max_bytes=10_000)
    for n in range(10):
        cache.put((f"mot {n}", "v", 1.0, "r"), np.zeros(1000, np.float32), 22050)  # 4 000 bytes each
        assert cache.size_bytes <= 10_000
    assert cache.get(("mot 9", "v", 1.0, "r")) is not None and cache.get(("mot 0", "v", 1.0, "r")) is None
    cache.put(("long", "v", 1.0, "r"), np.zeros(5000, np.float32), 22050)  # larger than the bound: not kept
    assert cache.get(("long", "v", 1.0, "r")) is None
