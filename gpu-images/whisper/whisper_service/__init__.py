"""faster-whisper behind POST /transcribe (see ../README.md)."""
