"""Make the shared code and each image's service package importable, as they are inside the images (/app)."""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
for folder in ("common", "whisper", "tts", "trocr"):
    path = str(HERE / folder)
    if path not in sys.path:
        sys.path.insert(0, path)
