"""Coqui TTS behind POST /synthesize (see ../README.md)."""
