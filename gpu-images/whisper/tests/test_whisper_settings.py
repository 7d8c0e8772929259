"""Settings from the environment: defaults for production, clear errors for bad values."""
import pytest

from bascule_common.settings import CommonSettings, SettingsError
from whisper_service.settings import WhisperSettings


def test_defaults_are_large_v3_float16_cuda_french():
    s = WhisperSettings.from_env({})
    assert (s.model, s.compute_type, s.device, s.default_language) == ("large-v3", "float16", "cuda", "fr")
    assert (s.no_speech_threshold, s.logprob_threshold) == (0.6, -1.0)


def test_model_and_compute_type_are_configurable():
    s = WhisperSettings.from_env({"WHISPER_MODEL": "small", "WHISPER_COMPUTE_TYPE": "int8_float16", "WHISPER_LOGPROB_THRESHOLD": "-0.8"})
    assert (s.model, s.compute_type, s.logprob_threshold) == ("small", "int8_float16", -0.8)


@pytest.mark.parametrize("env,name", [
    ({"WHISPER_DEFAULT_LANGUAGE": "french"}, "WHISPER_DEFAULT_LANGUAGE"),
    ({"WHISPER_BEAM_SIZE": "many"}, "WHISPER_BEAM_SIZE"),
    ({"WHISPER_NO_SPEECH_THRESHOLD": "2"}, "WHISPER_NO_SPEECH_THRESHOLD"),
    ({"WHISPER_LOCAL_FILES_ONLY": "perhaps"}, "WHISPER_LOCAL_FILES_ONLY"),
])
def test_bad_values_name_the_variable(env, name):
    with pytest.raises(SettingsError, match=name):
        WhisperSettings.from_env(env)


def test_common_settings_bound_the_queue():
    assert CommonSettings.from_env(8001, {}).port == 8001
    with pytest.raises(SettingsError, match="BASCULE_QUEUE_CONCURRENCY"):
        CommonSettings.from_env(8001, {"BASCULE_QUEUE_CONCURRENCY": "3"}, max_concurrency=2)
