"""transformers and torch themselves on a tiny random TrOCR (ViT encoder + TrOCR decoder, with a processor
and tokenizer made at test time): the service's engine loads it with local_files_only and reads drawn
letters through the real processor, generate() and transition scores. The letters read are gibberish;
every call is the real one."""
import pytest

from bascule_testkit.contracts import assert_matches
from bascule_testkit.handwriting import draw_a, draw_o, page
from bascule_testkit.helpers import common_settings, png_bytes, serve
from trocr_service.app import create_app
from trocr_service.engine import TrOcrEngine
from trocr_service.settings import TrocrSettings


def tiny_settings(model_dir):
    return TrocrSettings(model=str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine(tiny_trocr_dir):
    engine = TrOcrEngine(tiny_settings(tiny_trocr_dir))
    engine.load()
    engine.warmup()
    return engine


def test_recognize_reads_a_batch_of_crops_with_a_confidence_each(engine):
    image, d = page()
    draw_a(d, 60, 150)
    draw_o(d, 400, 150)
    crops = [image.crop((0, 0, 300, 384)), image.crop((300, 0, 600, 384))]
    readings = engine.recognize(crops)
    assert len(readings) == 2
    assert all(isinstance(text, str) and 0.0 <= confidence <= 1.0 for text, confidence in readings)
    assert readings == engine.recognize(crops)  # greedy decoding: the same crops read the same


def test_the_whole_analysis_answers_the_contract(engine):
    image, d = page()
    draw_a(d, 250, 150)
    result = engine.analyze(image, "a")
    result["latency_ms"] = 1.0
    assert_matches("trocr.analyze_writing.response", result)


def test_over_http(tiny_trocr_dir):
    settings = tiny_settings(tiny_trocr_dir)
    app = create_app(TrOcrEngine(settings), settings, common_settings())
    image, d = page()
    draw_o(d, 250, 150)
    with serve(app) as client:
        response = client.post("/analyze_writing", files={"image": ("o.png", png_bytes(image), "image/png")},
                               data={"target_letter": "o"})
        assert response.status_code == 200, response.text
        assert_matches("trocr.analyze_writing.response", response.json())
