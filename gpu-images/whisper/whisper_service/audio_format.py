"""Recognise the audio container from its first bytes: the client's Content-Type is not trusted."""
from typing import Optional

SUPPORTED = ("wav", "mp3", "ogg", "webm", "flac", "m4a")


def sniff_audio(data: bytes) -> Optional[str]:
    head = data[:12]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM / Matroska
        return "webm"
    if head[:4] == b"fLaC":
        return "flac"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None
