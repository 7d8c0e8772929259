"""The real TrOCR glue, run against fake `torch` and `transformers` modules injected into sys.modules."""
import math

import pytest

from bascule_testkit.contracts import assert_matches
from bascule_testkit.handwriting import draw_a, draw_o, page
from bascule_testkit.helpers import common_settings, install_modules, modules_loaded_by, png_bytes, serve
from bascule_testkit.third_party import fake_torch, fake_transformers
from trocr_service.app import create_app
from trocr_service.engine import TrOcrEngine, sequence_confidence
from trocr_service.settings import TrocrSettings


@pytest.fixture
def install(monkeypatch):
    def _install(script):
        transformers = fake_transformers(script)
        install_modules(monkeypatch, {"transformers": transformers, "torch": fake_torch(cuda=True)})
        return transformers
    return _install


def test_importing_the_service_does_not_import_torch_or_transformers():
    assert modules_loaded_by(["trocr_service.main", "trocr_service.engine"], ["torch", "transformers"]) == []


def test_load_uses_trocr_base_handwritten_in_fp16_on_cuda(install):
    transformers = install([("a", [-0.1, -0.05])])
    engine = TrOcrEngine(TrocrSettings())
    engine.load()
    assert [(kind, name) for kind, name, _ in transformers.loaded] == [
        ("processor", "microsoft/trocr-base-handwritten"), ("model", "microsoft/trocr-base-handwritten")]
    assert transformers.loaded[1][2]["torch_dtype"] == "float16"
    assert transformers.model.device == "cuda"


def test_recognize_batches_crops_and_scores_only_real_tokens(install):
    transformers = install([("a.", [-0.1, -0.3, -0.05]), ("o", [-0.7, -0.1])])
    engine = TrOcrEngine(TrocrSettings())
    engine.load()
    image, d = page()
    draw_a(d, 60, 150)
    draw_o(d, 400, 150)
    result = engine.analyze(image, "a")
    assert len(transformers.batches) == 1 and len(transformers.batches[0]) == 2  # one generate for both letters
    assert all(mode == "RGB" and w == h for mode, (w, h) in transformers.batches[0])
    gen = transformers.model.generate_kwargs
    assert gen["output_scores"] and gen["return_dict_in_generate"] and gen["device"] == "cuda" and gen["dtype"] == "float16"
    texts = [(l["text"], l["confidence"]) for l in result["letters"]]
    assert texts == [("a", round(math.exp(-0.15), 4)), ("o", round(math.exp(-0.4), 4))]  # pad scores ignored
    assert result["analysis"]["recognized"] == "ao" and result["analysis"]["match"] is False


def test_warmup_runs_one_generation(install):
    transformers = install([("a", [-0.1, -0.1])])
    engine = TrOcrEngine(TrocrSettings())
    engine.load()
    engine.warmup()
    assert len(transformers.batches) == 1


def test_sequence_confidence_stops_at_the_end_token():
    assert sequence_confidence([10, 2, 1, 1], [-0.2, -0.2, -9, -9], eos_id=2, pad_id=1) == pytest.approx(math.exp(-0.2))
    assert sequence_confidence([], [], eos_id=2, pad_id=1) == 0.0


def test_real_engine_behind_http_answers_the_contract(install):
    install([("a", [-0.05, -0.02])])
    settings = TrocrSettings()
    app = create_app(TrOcrEngine(settings), settings, common_settings())
    image, d = page()
    draw_a(d, 250, 150)
    with serve(app) as client:
        response = client.post("/analyze_writing", files={"image": ("a.png", png_bytes(image), "image/png")},
                               data={"target_letter": "a"})
        assert response.status_code == 200, response.text
        assert_matches("trocr.analyze_writing.response", response.json())
        assert response.json()["analysis"]["match"] is True
        assert 'bascule_gpu_memory_bytes{kind="process_reserved",source="torch"} 9.87654321e+08' in client.get("/metrics").text
