"""faster-whisper itself (CTranslate2, PyAV, the bundled Silero VAD) on a tiny random Whisper of large-v3's
shape (128 mel bins, multilingual vocabulary), built at test time: the service's engine code, unchanged,
loads it and transcribes browser audio made here. The words are gibberish; every code path is real."""
import numpy as np
import pytest

from bascule_common.errors import ServiceError
from bascule_testkit.audio_files import encode
from bascule_testkit.contracts import assert_matches
from bascule_testkit.helpers import common_settings, serve
from whisper_service import audio_decode
from whisper_service.app import create_app
from whisper_service.engine import FasterWhisperEngine
from whisper_service.settings import WhisperSettings


def tiny_settings(model_dir, **overrides):
    return WhisperSettings(**{"model": str(model_dir), "device": "cpu", "compute_type": "float32", "beam_size": 1,
                              "local_files_only": True, **overrides})


@pytest.fixture(scope="module")
def engine(tiny_whisper_dir):
    from faster_whisper.vad import get_vad_model

    get_vad_model.cache_clear()  # so the warm-up's loading of the VAD is seen below
    engine = FasterWhisperEngine(tiny_settings(tiny_whisper_dir))
    engine.load()
    engine.warmup()
    return engine


def test_the_tiny_model_is_multilingual_with_large_v3s_mel_bins(engine):
    assert engine._model.model.is_multilingual
    assert engine._model.feature_extractor.mel_filters.shape[0] == 128


def test_the_warm_up_loads_the_silero_vad(engine):
    from faster_whisper.vad import get_vad_model

    assert get_vad_model.cache_info().currsize == 1  # loaded at start, not on the first child's request


@pytest.mark.parametrize("kind", ["wav", "webm", "m4a", "flac"])
def test_browser_audio_is_decoded_and_transcribed_into_the_contract(engine, kind):
    audio = encode(kind, seconds=1.5)
    samples = engine.decode(audio)
    assert samples.dtype == np.float32 and abs(samples.shape[0] - 24_000) < 1_000  # 1.5 s at 16 kHz
    body = engine.transcribe(samples, "fr", None)
    body["latency_ms"] = 1.0
    assert_matches("whisper.transcribe.response", body)
    assert body["language"] == "fr"


def test_the_same_audio_always_gives_the_same_transcript(engine):
    samples = engine.decode(encode("webm", seconds=2.0, freq=330.0))
    assert engine.transcribe(samples, "fr", None) == engine.transcribe(samples, "fr", None)


def test_too_long_audio_is_refused_from_the_header_before_any_frame_is_decoded(engine, monkeypatch):
    ten_minutes = encode("flac", seconds=600, silent=True)
    decoded = []
    import av

    real_resampler = av.AudioResampler

    def counting_resampler(**options):
        resampler = real_resampler(**options)

        class Counting:
            def resample(self, frame):
                decoded.append(frame)
                return resampler.resample(frame)

        return Counting()

    monkeypatch.setattr(av, "AudioResampler", counting_resampler)
    with pytest.raises(ServiceError) as error:
        engine.decode(ten_minutes)
    assert (error.value.status, error.value.field) == (413, "audio")
    assert decoded == []


def test_a_container_without_a_duration_stops_decoding_at_the_limit(monkeypatch):
    monkeypatch.setattr(audio_decode, "announced_seconds", lambda container: None)  # as a browser's live WebM
    with pytest.raises(ServiceError) as error:
        audio_decode.decode_audio(encode("webm", seconds=5.0), max_seconds=2)
    assert error.value.status == 413 and "longer than 2 s" in error.value.message


def test_over_http_long_audio_is_a_413_that_never_takes_a_gpu_slot(tiny_whisper_dir):
    settings = tiny_settings(tiny_whisper_dir, max_audio_seconds=120)
    app = create_app(FasterWhisperEngine(settings), settings, common_settings())
    with serve(app) as client:
        silence = encode("flac", seconds=600, silent=True)
        response = client.post("/transcribe", files={"audio": ("long.flac", silence, "audio/flac")})
        assert response.status_code == 413 and response.json()["error"]["field"] == "audio"
        metrics = client.get("/metrics").text
        assert "bascule_inference_duration_seconds_count 0.0" in metrics  # decoded (and refused) before the queue
        ok = client.post("/transcribe", files={"audio": ("a.webm", encode("webm"), "audio/webm")}, data={"language": "fr"})
        assert ok.status_code == 200, ok.text
        assert_matches("whisper.transcribe.response", ok.json())
        assert "bascule_inference_duration_seconds_count 1.0" in client.get("/metrics").text
