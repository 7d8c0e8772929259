"""Coqui TTS itself (the model manager, the VITS model, espeak-ng phonemes) on a tiny random VITS written
where the manager looks for tts_models/fr/css10/vits: the service's engine loads it by name, as it loads the
real voice from the filled volume, and speaks French text. The sound is noise; every call is the real one."""
import io

import numpy as np
import pytest
import soundfile

from bascule_testkit.helpers import common_settings, serve
from tts_service.app import create_app
from tts_service.engine import CoquiEngine, VoiceNotDrivable
from tts_service.settings import TtsSettings

VOICES = {"fr-female-clear": "tts_models/fr/css10/vits"}


@pytest.fixture(scope="module")
def engine(tiny_tts_home):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TTS_HOME", str(tiny_tts_home))
        engine = CoquiEngine(TtsSettings(voices=VOICES, device="cpu"))
        engine.load()
        engine.warmup()
        return engine


def test_a_french_sentence_is_spoken_at_the_models_rate(engine):
    samples, rate = engine.synthesize("Le petit chat boit du lait, il a 3 ans.", "fr-female-clear", 1.0)
    assert rate == 22050 and samples.dtype == np.float32 and samples.size > 0


def test_speed_goes_through_vits_length_scale_and_is_restored(engine):
    model = engine._voices["fr-female-clear"].synthesizer.tts_model
    before = model.length_scale
    engine.synthesize("maison", "fr-female-clear", 1.5)
    assert model.length_scale == before


def test_a_multi_speaker_voice_is_refused_at_load(tiny_tts_home, monkeypatch):
    from TTS.api import TTS

    monkeypatch.setenv("TTS_HOME", str(tiny_tts_home))
    monkeypatch.setattr(TTS, "is_multi_speaker", property(lambda self: True))
    with pytest.raises(VoiceNotDrivable, match="fr-female-clear"):
        CoquiEngine(TtsSettings(voices=VOICES, device="cpu")).load()


def test_over_http(tiny_tts_home, monkeypatch):
    monkeypatch.setenv("TTS_HOME", str(tiny_tts_home))
    settings = TtsSettings(voices=VOICES, device="cpu")
    app = create_app(CoquiEngine(settings), settings, common_settings())
    with serve(app, timeout_s=120) as client:
        response = client.post("/synthesize", json={"text": "Bonjour !", "voice": "fr-female-clear", "speed": 1.0})
        assert response.status_code == 200, response.text
        info = soundfile.info(io.BytesIO(response.content))
        assert (info.samplerate, info.channels, info.subtype) == (22050, 1, "PCM_16")
