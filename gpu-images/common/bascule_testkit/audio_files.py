"""Audio files as browsers and phones send them, encoded in the test with PyAV (FFmpeg's encoders): WAV,
WebM/Opus (Chrome and Firefox's MediaRecorder), M4A/AAC (Safari, iOS), FLAC."""
from __future__ import annotations

import io

import numpy as np

# (container format, codec, sample rate) of each kind of upload
FORMATS = {
    "wav": ("wav", "pcm_s16le", 16000),
    "webm": ("webm", "libopus", 48000),
    "m4a": ("mp4", "aac", 44100),
    "flac": ("flac", "flac", 16000),
}


def encode(kind: str, seconds: float = 1.5, freq: float = 220.0, amplitude: float = 0.3, silent: bool = False) -> bytes:
    import av

    container_format, codec, rate = FORMATS[kind]
    t = np.arange(int(seconds * rate)) / rate
    samples = np.zeros_like(t, dtype=np.float32) if silent else (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        frame_size = stream.codec_context.frame_size or 1024
        sample_format = stream.codec_context.format.name
        for start in range(0, samples.shape[0], frame_size):
            chunk = samples[start:start + frame_size]
            if sample_format.startswith("s16"):
                data = (chunk * 32767).astype(np.int16).reshape(1, -1)
            else:
                data = chunk.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(data, format=sample_format, layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def voiced(seconds: float, f0: float = 150.0, seed: int = 0, silence_before_s: float = 0.0) -> np.ndarray:
    """16 kHz mono float32 samples that Silero's VAD takes for speech (a harmonic-rich voice whose pitch drifts,
    its loudness pulsing at 4 Hz like syllables, over faint noise), optionally after some silence: clips that
    reach the model through the service's VAD, where a pure tone is dropped as non-speech."""
    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    pitch = f0 * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = 0.5 * (1 + np.sin(2 * np.pi * 4 * t + seed))
    noise = np.random.default_rng(seed).normal(size=t.size)
    voice = 0.3 * harmonics * syllables + 0.01 * noise
    silence = np.zeros(int(silence_before_s * rate))
    return np.concatenate([silence, voice]).astype(np.float32)
