"""The real faster-whisper glue, run against a fake `faster_whisper` module injected into sys.modules."""
import math

import numpy as np
import pytest

from bascule_testkit.contracts import assert_matches
from bascule_testkit.helpers import common_settings, install_modules, modules_loaded_by, serve, wav_bytes
from bascule_testkit.third_party import FakeSegment, fake_faster_whisper
from whisper_service.app import create_app
from whisper_service.engine import FasterWhisperEngine
from whisper_service.filtering import build_transcription, is_hallucination
from whisper_service.settings import CHILD_READER_PROMPT, WhisperSettings

SEGMENTS = [
    FakeSegment(0.0, 0.8, " Le", -0.20, 0.05),
    FakeSegment(0.8, 1.6, " chat", -0.30, 0.70),          # quiet but confident: kept
    FakeSegment(1.6, 2.0, " euh", -1.40, 0.10),           # unsure but speech: kept
    FakeSegment(2.0, 4.0, " Sous-titrage ST' 501", -1.20, 0.92),  # silence hallucination: dropped
    FakeSegment(4.0, 4.1, "   ", -0.1, 0.1),              # nothing said: dropped
]


@pytest.fixture
def fake_module(monkeypatch):
    module = fake_faster_whisper(SEGMENTS)
    install_modules(monkeypatch, {"faster_whisper": module})
    return module


def loaded_engine(settings=None):
    # The unbatched glue (faster-whisper's own transcribe); the batched path runs the real library in
    # test_whisper_batching.py.
    engine = FasterWhisperEngine(settings or WhisperSettings(batch=False))
    engine.load()
    return engine


def test_importing_the_service_does_not_import_faster_whisper():
    assert modules_loaded_by(["whisper_service.main", "whisper_service.engine"], ["faster_whisper"]) == []


def test_load_uses_large_v3_float16_on_cuda_with_the_cache_volume(fake_module):
    loaded_engine()
    assert fake_module.instances[0].init == {
        "model": "large-v3", "device": "cuda", "device_index": 0, "compute_type": "float16",
        "download_root": "/models/whisper", "local_files_only": False,
    }


def test_a_device_with_an_index_is_split_for_ctranslate2(fake_module):
    loaded_engine(WhisperSettings.from_env({"WHISPER_DEVICE": "cuda:1"}))
    init = fake_module.instances[0].init
    assert (init["device"], init["device_index"]) == ("cuda", 1)  # CTranslate2 refuses "cuda:1"


def test_transcripts_are_deterministic_without_sampling_fallback(fake_module):
    engine = loaded_engine()
    engine.transcribe(engine.decode(wav_bytes()), "fr", None)
    engine.warmup()
    temperatures = [call["temperature"] for call in fake_module.instances[0].calls]
    assert temperatures and all(t == 0.0 for t in temperatures)  # a float: no list of fallback temperatures


def test_transcribe_decodes_from_memory_with_vad_and_without_conditioning(fake_module):
    engine = loaded_engine()
    result = engine.transcribe(engine.decode(wav_bytes()), "fr", None)
    call = fake_module.instances[0].calls[-1]
    assert isinstance(call["audio"], np.ndarray) and call["audio"].dtype == np.float32 and call["audio"].size == 16000
    assert call["vad_filter"] is True
    assert call["condition_on_previous_text"] is False
    assert call["language"] == "fr" and call["task"] == "transcribe"
    assert call["initial_prompt"] == CHILD_READER_PROMPT
    assert result["text"] == "Le chat euh"
    assert [s["text"] for s in result["segments"]] == [" Le", " chat", " euh"]
    assert result["confidence"] == pytest.approx(math.exp((-0.2 - 0.3 - 1.4) / 3), abs=1e-4)


def test_a_client_prompt_replaces_the_default_and_the_expected_text_is_never_sent(fake_module):
    engine = loaded_engine()
    engine.transcribe(engine.decode(wav_bytes()), "fr", "Lecture à voix haute, CP.")
    assert fake_module.instances[0].calls[-1]["initial_prompt"] == "Lecture à voix haute, CP."
    assert "le chat" not in CHILD_READER_PROMPT.lower()


def test_warmup_decodes_real_samples_with_the_vad_off_then_warms_the_vad(fake_module):
    engine = loaded_engine()
    engine.warmup()
    model = fake_module.instances[0]
    first, second = model.calls
    assert isinstance(first["audio"], np.ndarray) and first["audio"].dtype == np.float32 and first["audio"].size == 32000
    assert first["vad_filter"] is False and second["vad_filter"] is True
    assert model.consumed == 2 * len(SEGMENTS)  # the lazy generators were consumed, so decoding ran


def test_undecodable_audio_is_a_400_and_too_long_audio_a_413(fake_module):
    from bascule_common.errors import ServiceError

    engine = loaded_engine(WhisperSettings(max_audio_seconds=2, batch=False))
    with pytest.raises(ServiceError) as corrupt:
        engine.decode(b"RIFF\x00\x00\x00\x00WAVEjunk")
    assert (corrupt.value.status, corrupt.value.field) == (400, "audio")
    with pytest.raises(ServiceError) as long:
        engine.decode(wav_bytes(seconds=3))
    assert (long.value.status, long.value.code) == (413, "payload_too_large")
    assert fake_module.instances[0].calls == []


def test_a_click_too_short_to_be_a_word_is_not_sent_to_the_model(fake_module):
    engine = loaded_engine()
    body = engine.transcribe(engine.decode(wav_bytes(seconds=0.05)), "fr", None)
    assert body["text"] == "" and body["segments"] == []
    assert fake_module.instances[0].calls == []


def test_hallucination_rule_needs_both_signals():
    assert is_hallucination(FakeSegment(0, 1, "x", -1.5, 0.9), 0.6, -1.0)
    assert not is_hallucination(FakeSegment(0, 1, "x", -0.5, 0.9), 0.6, -1.0)
    assert not is_hallucination(FakeSegment(0, 1, "x", -1.5, 0.3), 0.6, -1.0)


def test_nothing_heard_gives_empty_text_and_zero_confidence():
    body = build_transcription([FakeSegment(0, 2, " Merci d'avoir regardé", -1.3, 0.95)], "fr", 0.6, -1.0)
    assert body == {"text": "", "language": "fr", "confidence": 0.0, "segments": []}


def test_out_of_range_numbers_are_clamped_into_the_contract():
    body = build_transcription([FakeSegment(-0.01, -0.5, " a", 0.002, 1.0000001)], "fr", 0.6, -1.0)
    body["latency_ms"] = 1
    assert_matches("whisper.transcribe.response", body)


def test_real_engine_behind_http_answers_the_contract(fake_module):
    settings = WhisperSettings(model="large-v3", batch=False)
    app = create_app(FasterWhisperEngine(settings), settings, common_settings())
    with serve(app) as client:
        response = client.post("/transcribe", files={"audio": ("a.wav", wav_bytes(), "audio/wav")}, data={"language": "fr"})
        assert response.status_code == 200, response.text
        assert_matches("whisper.transcribe.response", response.json())
        assert response.json()["text"] == "Le chat euh"
        health = client.get("/health").json()
        assert health["compute_type"] == "float16" and health["device"] == "cuda"
        assert_matches("common.health.response", health)
        corrupt = client.post("/transcribe", files={"audio": ("a.wav", b"RIFF\x00\x00\x00\x00WAVEjunk", "audio/wav")})
        assert corrupt.status_code == 400 and corrupt.json()["error"]["field"] == "audio"
        assert_matches("common.error", corrupt.json())


def test_decoding_can_be_capped_in_tokens(fake_module):
    engine = loaded_engine(WhisperSettings.from_env({"WHISPER_MAX_NEW_TOKENS": "64", "WHISPER_BATCH": "false"}))
    engine.transcribe(engine.decode(wav_bytes()), "fr", None)
    assert fake_module.instances[0].calls[-1]["max_new_tokens"] == 64
    assert WhisperSettings.from_env({}).max_new_tokens is None  # Whisper's own limit by default
