"""POST /analyze_writing, /health and /metrics over HTTP with a fake recognizer, against libs/contracts."""
import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bascule_common.settings import CommonSettings
from bascule_testkit.contracts import assert_matches, fixtures
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.handwriting import draw_a, draw_e_acute, draw_o, page
from bascule_testkit.helpers import png_bytes, run_in_threads, wait_warm
from trocr_service.app import create_app
from trocr_service.pipeline import analyze_writing
from trocr_service.settings import TrocrSettings

SETTINGS = TrocrSettings(max_image_bytes=300_000, max_image_pixels=2000 * 2000)


class FakeTrocr(GatedFakeEngine):
    """Reads each crop as the next scripted (text, confidence); detection and analysis are the real ones."""

    model_name = "microsoft/trocr-base-handwritten"

    def __init__(self, script=(("a", 0.94),), **kw):
        super().__init__(**kw)
        self.script = list(script)
        self.crops = []

    def recognize(self, crops):
        self.crops.extend(crops)
        return [self.script[i % len(self.script)] for i in range(len(crops))]

    def analyze(self, image, target):
        self._enter_inference(size=image.size, target=target)
        return analyze_writing(self, image, target, 8)


def make(engine=None, max_waiting=4):
    engine = engine or FakeTrocr()
    return engine, create_app(engine, SETTINGS, CommonSettings(port=0, queue_max_waiting=max_waiting, exit_on_load_failure=False))


def letter_a_png():
    image, d = page()
    draw_a(d, 250, 150)
    return png_bytes(image)


def post(client, image=None, **fields):
    fields.setdefault("target_letter", "a")
    files = {"image": ("lettre.png", letter_a_png() if image is None else image, "image/png")}
    return client.post("/analyze_writing", files=files, data=fields)


@pytest.fixture
def warm():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        yield engine, client


def test_health_is_503_loading_then_200_warm():
    engine, app = make(FakeTrocr(hold_load=True))
    with TestClient(app) as client:
        loading = client.get("/health")
        assert loading.status_code == 503 and loading.json()["model"] == "microsoft/trocr-base-handwritten"
        assert_matches("common.health.response", loading.json())
        engine.load_gate.set()
        wait_warm(client)
        assert_matches("common.health.response", client.get("/health").json())


def test_a_written_a_is_a_match(warm):
    engine, client = warm
    response = post(client)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_matches("trocr.analyze_writing.response", body)
    assert body["analysis"] == {"target": "a", "recognized": "a", "match": True, "confidence": 0.94,
                                "advice": "Bravo, c'est bien un a !"}
    (letter,) = body["letters"]
    x, y, w, h = letter["bbox"]
    assert x <= 250 and y <= 150 and x + w >= 350 and y + h >= 250 and w < 200
    assert len(engine.crops) == 1 and engine.crops[0].size[0] == engine.crops[0].size[1]


def test_a_mismatch_answers_with_advice(warm):
    engine, client = warm
    engine.script = [("o", 0.71)]
    body = post(client).json()
    assert_matches("trocr.analyze_writing.response", body)
    assert body["analysis"]["match"] is False and body["analysis"]["advice"] == "Presque ! N'oublie pas la petite barre du a."


def test_a_blank_page_reads_nothing_and_never_calls_the_model(warm):
    engine, client = warm
    body = post(client, image=png_bytes(page()[0]), target_letter="b").json()
    assert_matches("trocr.analyze_writing.response", body)
    assert body["letters"] == [] and body["analysis"]["match"] is False and body["analysis"]["confidence"] == 0
    assert engine.crops == []


def test_an_accented_target_is_confirmed_by_the_drawn_accent(warm):
    engine, client = warm
    engine.script = [("e", 0.88)]
    image, d = page()
    draw_e_acute(d, 250, 170)
    body = post(client, image=png_bytes(image), target_letter="é").json()
    assert_matches("trocr.analyze_writing.response", body)
    assert body["analysis"]["match"] is True and body["analysis"]["recognized"] == "é"


def test_jpeg_and_transparent_png_are_accepted(warm):
    engine, client = warm
    image, d = page()
    draw_a(d, 250, 150)
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=85)
    assert post(client, image=jpeg.getvalue()).status_code == 200
    transparent = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw_o(ImageDraw.Draw(transparent), 100, 100, ink=(0, 0, 0, 255))
    body = post(client, image=png_bytes(transparent)).json()
    assert len(body["letters"]) == 1  # transparent pixels are paper, not black


@pytest.mark.parametrize("label,valid,fields", fixtures("trocr", "analyze_writing.fields"))
def test_contract_field_fixtures_are_accepted_or_refused(warm, label, valid, fields):
    engine, client = warm
    files = {"image": ("lettre.png", letter_a_png(), "image/png")}
    response = client.post("/analyze_writing", files=files, data=fields)
    if valid:
        assert response.status_code == 200, (label, response.text)
        assert_matches("trocr.analyze_writing.response", response.json())
    else:
        assert response.status_code == 400, (label, response.text)
        assert_matches("common.error", response.json())


def test_the_contract_response_fixtures_agree_with_the_schema():
    for label, valid, body in fixtures("trocr", "analyze_writing.response"):
        if valid:
            assert_matches("trocr.analyze_writing.response", body)
        else:
            with pytest.raises(AssertionError):
                assert_matches("trocr.analyze_writing.response", body)


def big_png():
    return png_bytes(Image.new("L", (2100, 2000), 255))


@pytest.mark.parametrize(
    "case,image,fields,status,field",
    [
        ("missing image", None, {"target_letter": "a"}, 400, "image"),
        ("not an image", b"GIF89a....", {"target_letter": "a"}, 415, "image"),
        ("broken png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, {"target_letter": "a"}, 400, "image"),
        ("too many pixels", "big", {"target_letter": "a"}, 413, "image"),
        ("too many bytes", b"\x89PNG\r\n\x1a\n" + bytes(300_001), {"target_letter": "a"}, 413, "image"),
        ("tiny image", "tiny", {"target_letter": "a"}, 400, "image"),
        ("digit target", "ok", {"target_letter": "4"}, 400, "target_letter"),
        ("sentence target", "ok", {"target_letter": "le chat"}, 400, "target_letter"),
        ("missing target", "ok", {}, 400, "target_letter"),
        ("unknown field", "ok", {"target_letter": "a", "expected": "a"}, 400, "expected"),
    ],
)
def test_bad_requests_are_clear_4xx_naming_the_field(warm, case, image, fields, status, field):
    engine, client = warm
    data = {"ok": letter_a_png(), "big": big_png(), "tiny": png_bytes(Image.new("L", (4, 4), 255))}.get(image, image) \
        if isinstance(image, str) else image
    if data is None:
        response = client.post("/analyze_writing", headers={"content-type": "multipart/form-data; boundary=b"},
                               content=b'--b\r\nContent-Disposition: form-data; name="target_letter"\r\n\r\na\r\n--b--\r\n')
    else:
        response = client.post("/analyze_writing", files={"image": ("x.png", data, "image/png")}, data=fields)
    assert response.status_code == status, (case, response.text)
    assert response.json()["error"]["field"] == field, case
    assert_matches("common.error", response.json())
    assert engine.calls == []


def test_queue_full_is_503_with_retry_after():
    engine, app = make(max_waiting=0)
    with TestClient(app) as client:
        wait_warm(client)
        engine.inference_gate.clear()
        results = []
        threads = run_in_threads([lambda: results.append(post(client))])
        assert engine.inference_started.acquire(timeout=10)
        refused = post(client)
        assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
        assert_matches("common.error", refused.json())
        engine.inference_gate.set()
        threads[0].join(10)
        assert results[0].status_code == 200


def test_metrics_count_analyses(warm):
    engine, client = warm
    post(client)
    text = client.get("/metrics").text
    assert 'bascule_requests_total{method="POST",route="/analyze_writing",status="200"} 1.0' in text
    assert 'bascule_model_info{model="microsoft/trocr-base-handwritten",service="trocr"} 1.0' in text
