"""WAV encoding and the pitch-preserving time stretch."""
import io

import numpy as np
import pytest
import soundfile

from tts_service.stretch import time_stretch
from tts_service.wav import encode_wav

RATE = 22050


def sine(freq=220.0, seconds=1.0, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_frequency(samples, rate=RATE):
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return np.fft.rfftfreq(samples.size, 1 / rate)[np.argmax(spectrum)]


def test_wav_round_trips_through_soundfile():
    data = encode_wav(sine(), 16000)
    info = soundfile.info(io.BytesIO(data))
    assert (info.format, info.subtype, info.channels, info.samplerate, info.frames) == ("WAV", "PCM_16", 1, 16000, RATE)
    back, _ = soundfile.read(io.BytesIO(data), dtype="float32")
    assert np.max(np.abs(back - sine())) < 1e-3


def test_wav_clips_and_cleans_bad_samples():
    data = encode_wav(np.array([2.0, -3.0, np.nan, 0.25], dtype=np.float32), 8000)
    back, _ = soundfile.read(io.BytesIO(data), dtype="int16")
    assert back.tolist() == [32767, -32767, 0, 8192]


@pytest.mark.parametrize("speed", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_duration_but_not_pitch(speed):
    out = time_stretch(sine(), RATE, speed)
    assert out.size == round(RATE / speed)
    assert abs(dominant_frequency(out) - 220.0) < 5.0
    # A naive resample would have moved the pitch to 220 * speed.
    assert abs(dominant_frequency(out) - 220.0 * speed) > 20.0


def test_time_stretch_keeps_the_loudness_steady():
    out = time_stretch(sine(), RATE, 0.8)
    middle = out[RATE // 10 : -RATE // 10]
    assert 0.4 < np.abs(middle).max() < 0.6
    blocks = np.sqrt(np.mean(middle[: middle.size // 1000 * 1000].reshape(-1, 1000) ** 2, axis=1))
    assert blocks.min() > 0.25  # no holes where frames cancel out


def test_speed_one_is_the_identity():
    samples = sine()
    assert np.array_equal(time_stretch(samples, RATE, 1.0), samples)
