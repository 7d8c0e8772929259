"""Voice catalogue and queue settings from the environment."""
import pytest

from bascule_common.settings import SettingsError
from tts_service.settings import DEFAULT_VOICES, TtsSettings


def test_default_voices_are_the_plans():
    assert TtsSettings.from_env({}).voices == {
        "fr-female-clear": "tts_models/fr/css10/vits",
        "fr-male-gentle": "tts_models/fr/mai/tacotron2-DDC",
    }
    assert DEFAULT_VOICES == TtsSettings().voices


def test_voices_can_be_replaced_by_json():
    s = TtsSettings.from_env({"TTS_VOICES": '{"fr-calm": "tts_models/fr/css10/vits"}'})
    assert s.voices == {"fr-calm": "tts_models/fr/css10/vits"}


@pytest.mark.parametrize("raw", ["not json", "{}", '["a"]', '{"Bad Name": "tts_models/x"}', '{"ok": "https://evil"}',
                                 # multilingual models need speaker= and language=, which a voice never passes
                                 '{"fr-xtts": "tts_models/multilingual/multi-dataset/xtts_v2"}',
                                 '{"fr-your": "tts_models/multilingual/multi-dataset/your_tts"}'])
def test_bad_voice_catalogues_are_refused(raw):
    with pytest.raises(SettingsError, match="TTS_VOICES"):
        TtsSettings.from_env({"TTS_VOICES": raw})


def test_more_than_one_synthesis_at_a_time_is_refused():
    from tts_service.main import load_settings
    assert load_settings({})[1].queue_concurrency == 1
    with pytest.raises(SettingsError, match="BASCULE_QUEUE_CONCURRENCY"):
        load_settings({"BASCULE_QUEUE_CONCURRENCY": "2"})
