"""TrOCR (handwritten) behind POST /analyze_writing (see ../README.md)."""
