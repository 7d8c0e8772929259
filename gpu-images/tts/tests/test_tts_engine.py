"""The real Coqui glue, run against fake `TTS` / `TTS.api` modules injected into sys.modules."""
import io
import threading

import pytest
import soundfile

from bascule_testkit.contracts import assert_matches
from bascule_testkit.helpers import common_settings, install_modules, modules_loaded_by, serve
from bascule_testkit.third_party import fake_coqui_tts
from tts_service.app import create_app
from tts_service.engine import CoquiEngine
from tts_service.settings import TtsSettings

RATES = {"tts_models/fr/css10/vits": 22050, "tts_models/fr/mai/tacotron2-DDC": 16000}


@pytest.fixture
def coqui(monkeypatch):
    modules = fake_coqui_tts(RATES)
    install_modules(monkeypatch, modules)
    return modules["TTS.api"]


def loaded():
    engine = CoquiEngine(TtsSettings())
    engine.load()
    return engine


def test_importing_the_service_does_not_import_coqui_or_torch():
    assert modules_loaded_by(["tts_service.main", "tts_service.engine"], ["TTS", "torch"]) == []


def test_load_opens_the_plans_two_french_voices_on_cuda(coqui):
    loaded()
    assert {(t.model_name, t.device, t.progress_bar) for t in coqui.instances} == {
        ("tts_models/fr/css10/vits", "cuda", False),
        ("tts_models/fr/mai/tacotron2-DDC", "cuda", False),
    }


def test_audio_comes_at_each_models_own_sample_rate(coqui):
    engine = loaded()
    _, female_rate = engine.synthesize("maison", "fr-female-clear", 1.0)
    _, male_rate = engine.synthesize("maison", "fr-male-gentle", 1.0)
    assert (female_rate, male_rate) == (22050, 16000)


def test_vits_speed_goes_through_length_scale_and_is_restored(coqui):
    engine = loaded()
    normal, _ = engine.synthesize("maison", "fr-female-clear", 1.0)
    fast, _ = engine.synthesize("maison", "fr-female-clear", 2.0)
    vits = next(t for t in coqui.instances if "vits" in t.model_name)
    assert [c["length_scale"] for c in vits.calls] == [1.0, 0.5]
    assert vits.synthesizer.tts_model.length_scale == 1.0
    assert fast.size == pytest.approx(normal.size / 2, rel=0.01)


def test_tacotron_speed_is_applied_by_time_stretching(coqui):
    engine = loaded()
    normal, _ = engine.synthesize("maison", "fr-male-gentle", 1.0)
    slow, _ = engine.synthesize("maison", "fr-male-gentle", 0.8)
    assert slow.size == round(normal.size / 0.8)


def test_warmup_speaks_with_every_voice(coqui):
    engine = loaded()
    engine.warmup()
    assert all(len(t.calls) == 1 for t in coqui.instances)


def test_one_synthesis_at_a_time_even_when_called_from_many_threads(coqui):
    engine = loaded()
    threads = [threading.Thread(target=engine.synthesize, args=("bonjour", "fr-female-clear", 1.0)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert coqui.state["max_active"] == 1
    assert sum(len(t.calls) for t in coqui.instances) == 6


def test_real_engine_behind_http_returns_a_wav(coqui):
    settings = TtsSettings()
    app = create_app(CoquiEngine(settings), settings, common_settings())
    with serve(app) as client:
        health = client.get("/health").json()
        assert_matches("common.health.response", health)
        assert health["voices"] == ["fr-female-clear", "fr-male-gentle"]
        response = client.post("/synthesize", json={"text": "Le petit chat boit du lait.", "voice": "fr-male-gentle", "speed": 1.2})
        assert response.status_code == 200
        info = soundfile.info(io.BytesIO(response.content))
        assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")


def test_a_multi_speaker_model_is_refused_at_load(coqui):
    from tts_service.engine import VoiceNotDrivable

    engine = CoquiEngine(TtsSettings(voices={"en-vctk": "tts_models/en/vctk/vits"}))
    with pytest.raises(VoiceNotDrivable, match="en-vctk"):
        engine.load()


def test_synthesis_passes_no_speaker_nor_language(coqui):
    engine = loaded()
    engine.synthesize("maison", "fr-female-clear", 1.0)
    call = next(t for t in coqui.instances if "vits" in t.model_name).calls[-1]
    assert (call["speaker"], call["language"], call["speed"]) == (None, None, None)
