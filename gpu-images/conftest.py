"""Make the shared code and each image's service package importable, as they are inside the images (/app)."""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
for folder in ("common", "whisper", "tts", "trocr"):
    path = str(HERE / folder)
    if path not in sys.path:
        sys.path.insert(0, path)


# ---- tiny random models of the real architectures, built once per test run (see bascule_testkit/tiny_models.py)
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tiny_whisper_dir(tmp_path_factory):
    from bascule_testkit.tiny_models import build_tiny_whisper

    return build_tiny_whisper(tmp_path_factory.mktemp("tiny-whisper"))


@pytest.fixture(scope="session")
def tiny_trocr_dir(tmp_path_factory):
    from bascule_testkit.tiny_models import build_tiny_trocr

    return build_tiny_trocr(tmp_path_factory.mktemp("tiny-trocr"))


@pytest.fixture(scope="session")
def tiny_tts_home(tmp_path_factory):
    """$TTS_HOME holding a tiny tts_models/fr/css10/vits, where Coqui's model manager looks for it."""
    from bascule_testkit.tiny_models import build_tiny_vits

    home = tmp_path_factory.mktemp("tts-home")
    build_tiny_vits(home)
    return home
