"""Several short clips through ONE encoder pass and ONE CTranslate2 `generate`: faster-whisper's own steps.

faster-whisper's `WhisperModel.transcribe` handles one recording at a time: VAD, log-mel features, then for
each 30 s window an `encode` and a `generate` of batch size 1. A child's read is 1–3 s, so each request pays
for a whole window on its own. This module runs, for many clips at once, exactly the steps `transcribe` runs
for a recording that fits in one window with the service's options (language given, temperature 0 with no
fallback, `condition_on_previous_text` off, no word timestamps, no prefix or hotwords), calling
faster-whisper's own functions for each step (`get_speech_timestamps`, `collect_chunks`, the model's
`feature_extractor`, `get_prompt`, `get_suppressed_tokens`, `_split_segments_by_timestamps`,
`restore_speech_timestamps`), so that a clip's segments are the ones `transcribe` gives for it alone.

What is NOT done here, and goes through `transcribe` alone instead (`needs_full_path`): a clip longer than
the window after the VAD, and a clip whose first window leaves audio undecoded (Whisper stopped on an
unfinished segment: `transcribe` would decode a second window from its last timestamp).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from .settings import WhisperSettings

FRAMES_PER_SECOND = 100  # the feature extractor's hop: 160 samples at 16 kHz
MAX_INITIAL_TIMESTAMP_S = 1.0  # faster-whisper's default max_initial_timestamp


@dataclass
class PreparedClip:
    """A clip after the CPU steps (VAD, features, prompt), ready for the batched encode/decode."""

    samples: np.ndarray  # the decoded 16 kHz samples (what `transcribe` takes when the clip goes the full path)
    language: str
    initial_prompt: str
    features: Optional[np.ndarray] = None  # (mel bins, frames) of the speech the VAD kept; None: full path
    speech_chunks: List[Dict[str, int]] = field(default_factory=list)
    content_frames: int = 0

    @property
    def needs_full_path(self) -> bool:
        return self.features is None

    @property
    def silent(self) -> bool:
        """The VAD kept nothing: `transcribe` would decode no window at all."""
        return self.features is not None and self.content_frames <= 0


def prepare_clip(model: Any, samples: np.ndarray, language: str, initial_prompt: str, settings: WhisperSettings) -> PreparedClip:
    """VAD and log-mel features, as `transcribe(vad_filter=True)` computes them (CPU work, outside the GPU slot)."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    clip = PreparedClip(samples=samples, language=language, initial_prompt=initial_prompt)
    speech_chunks = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=settings.vad_min_silence_ms))
    audio_chunks, _metadata = collect_chunks(samples, speech_chunks)
    speech = np.concatenate(audio_chunks, axis=0)
    window_frames = settings.encoder_window_s * FRAMES_PER_SECOND
    if speech.shape[0] >= settings.encoder_window_s * 16_000:  # over one window: several windows, the full path
        return clip
    features = model.feature_extractor(speech)  # no chunk_length: the extractor is shared, never reconfigured
    clip.content_frames = features.shape[-1] - 1
    if clip.content_frames > window_frames:
        return clip
    clip.features = features
    clip.speech_chunks = speech_chunks
    return clip


@dataclass
class _Job:
    index: int
    clip: PreparedClip
    tokenizer: Any
    prompt: List[int]


Outcome = Union[List[Any], Exception, None]  # segments; the clip's own failure; None: run it through `transcribe`


def decode_clips(model: Any, clips: Sequence[PreparedClip], settings: WhisperSettings) -> List[Outcome]:
    """Segments for each clip (faster-whisper's `Segment`s), in order. A clip that fails alone (its prompt
    too long for max_new_tokens) gets its exception; one that needs the full path gets None."""
    outcomes: List[Outcome] = [None] * len(clips)
    by_prompt_length: Dict[int, List[_Job]] = {}
    for index, clip in enumerate(clips):
        if clip.needs_full_path:
            continue
        if clip.silent:
            outcomes[index] = []
            continue
        try:
            job = _job(model, index, clip, settings)
        except ValueError as exc:
            outcomes[index] = exc
            continue
        # CTranslate2 wants <|startoftranscript|> at the same position in every prompt of a batch: clips
        # with the same prompt length (same prompt, any language) share one generate.
        by_prompt_length.setdefault(len(job.prompt), []).append(job)
    for jobs in by_prompt_length.values():
        for job, outcome in zip(jobs, _decode_group(model, jobs, settings)):
            outcomes[job.index] = outcome
    return outcomes


def _job(model: Any, index: int, clip: PreparedClip, settings: WhisperSettings) -> _Job:
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=clip.language)
    # As generate_segments does at seek 0: the initial prompt, stripped and led by a space, as previous text.
    previous = tokenizer.encode(" " + clip.initial_prompt.strip()) if clip.initial_prompt else []
    prompt = model.get_prompt(tokenizer, previous, without_timestamps=False, prefix=None, hotwords=None)
    if settings.max_new_tokens is not None and len(prompt) + settings.max_new_tokens > model.max_length:
        raise ValueError(f"the prompt ({len(prompt)} tokens) and max_new_tokens ({settings.max_new_tokens}) exceed "
                         f"Whisper's {model.max_length} tokens")
    return _Job(index=index, clip=clip, tokenizer=tokenizer, prompt=prompt)


def _decode_group(model: Any, jobs: List[_Job], settings: WhisperSettings) -> List[Outcome]:
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.transcribe import get_suppressed_tokens

    window_frames = settings.encoder_window_s * FRAMES_PER_SECOND
    features = np.stack([pad_or_trim(job.clip.features[:, : job.clip.content_frames], window_frames) for job in jobs])
    encoder_output = model.encode(features)  # one encoder pass for the whole batch
    prompt_length = len(jobs[0].prompt)
    max_length = prompt_length + settings.max_new_tokens if settings.max_new_tokens is not None else model.max_length
    results = model.model.generate(
        encoder_output,
        [job.prompt for job in jobs],
        beam_size=settings.beam_size,
        patience=1,
        length_penalty=1,
        repetition_penalty=1,
        no_repeat_ngram_size=0,
        max_length=max_length,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        # The suppressed set depends on the vocabulary only, not on the language: the first job's is everyone's.
        suppress_tokens=get_suppressed_tokens(jobs[0].tokenizer, [-1]),
        max_initial_timestamp_index=int(round(MAX_INITIAL_TIMESTAMP_S / model.time_precision)),
    )
    return [_segments(model, job, result, settings) for job, result in zip(jobs, results)]


def _segments(model: Any, job: _Job, result: Any, settings: WhisperSettings) -> Outcome:
    """generate_segments' handling of one window's result at seek 0, then restore_speech_timestamps."""
    from faster_whisper.transcribe import Segment, get_compression_ratio, restore_speech_timestamps

    tokens = result.sequences_ids[0]
    avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)  # length_penalty 1
    if result.no_speech_prob > settings.no_speech_threshold and not avg_logprob > settings.logprob_threshold:
        return []  # Whisper's silence rule: transcribe skips the window
    tokenizer = job.tokenizer
    compression_ratio = get_compression_ratio(tokenizer.decode(tokens).strip())
    segment_size = job.clip.content_frames
    pieces, seek, _single_ending = model._split_segments_by_timestamps(
        tokenizer=tokenizer, tokens=tokens, time_offset=0.0, segment_size=segment_size,
        segment_duration=segment_size * model.feature_extractor.time_per_frame, seek=0,
    )
    if seek < job.clip.content_frames:
        return None  # an unfinished segment: transcribe decodes a second window from here, so the full path does
    segments = []
    for piece in pieces:
        text = tokenizer.decode(piece["tokens"])
        if piece["start"] == piece["end"] or not text.strip():
            continue
        segments.append(Segment(
            id=len(segments) + 1, seek=0, start=piece["start"], end=piece["end"], text=text, tokens=piece["tokens"],
            avg_logprob=avg_logprob, compression_ratio=compression_ratio, no_speech_prob=result.no_speech_prob,
            words=None, temperature=0.0,
        ))
    if job.clip.speech_chunks:
        segments = list(restore_speech_timestamps(segments, job.clip.speech_chunks, 16_000))
    return segments
