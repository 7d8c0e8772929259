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


def test_throughput_defaults_beam_1_temperature_0_batching_on_cuda_only_30_s_window():
    s = WhisperSettings.from_env({})
    assert (s.beam_size, s.temperatures, s.encoder_window_s) == (1, (0.0,), 30)
    assert s.batching and (s.batch_window_ms, s.max_batch) == (5.0, 8)
    assert not WhisperSettings.from_env({"WHISPER_DEVICE": "cpu"}).batching
    assert WhisperSettings.from_env({"WHISPER_DEVICE": "cpu", "WHISPER_BATCH": "true"}).batching
    assert not WhisperSettings.from_env({"WHISPER_BATCH": "false"}).batching


def test_the_sampling_fallback_brings_the_temperature_ladder_and_turns_batching_off():
    s = WhisperSettings.from_env({"WHISPER_SAMPLING_FALLBACK": "true"})
    assert s.temperatures == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) and not s.batching


def test_large_v3_turbo_int8_and_a_shorter_window_are_settings():
    s = WhisperSettings.from_env({"WHISPER_MODEL": "large-v3-turbo", "WHISPER_COMPUTE_TYPE": "int8_float16",
                                  "WHISPER_ENCODER_WINDOW_S": "10", "WHISPER_BATCH_WINDOW_MS": "3", "WHISPER_MAX_BATCH": "16"})
    assert (s.model, s.compute_type, s.encoder_window_s, s.batch_window_ms, s.max_batch) == ("large-v3-turbo", "int8_float16", 10, 3.0, 16)


@pytest.mark.parametrize("env,name", [
    ({"WHISPER_COMPUTE_TYPE": "fp16"}, "WHISPER_COMPUTE_TYPE"),
    ({"WHISPER_BATCH": "sometimes"}, "WHISPER_BATCH"),
    ({"WHISPER_BATCH_WINDOW_MS": "500"}, "WHISPER_BATCH_WINDOW_MS"),
    ({"WHISPER_MAX_BATCH": "0"}, "WHISPER_MAX_BATCH"),
    ({"WHISPER_ENCODER_WINDOW_S": "45"}, "WHISPER_ENCODER_WINDOW_S"),
    ({"WHISPER_SAMPLING_FALLBACK": "maybe"}, "WHISPER_SAMPLING_FALLBACK"),
])
def test_bad_throughput_values_name_the_variable(env, name):
    with pytest.raises(SettingsError, match=name):
        WhisperSettings.from_env(env)
