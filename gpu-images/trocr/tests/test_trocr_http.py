"""POST /analyze_writing, /health and /metrics over HTTP with a fake recognizer, against libs/contracts.

What every image does (health, contract fixtures, 4xx, queue, metrics) is ServiceBehaviour's; this file gives
it trocr's requests and keeps what only trocr does (letters, analysis, image formats).
"""
import io

from PIL import Image, ImageDraw

from bascule_testkit.contracts import assert_matches
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.handwriting import draw_a, draw_e_acute, draw_o, page
from bascule_testkit.helpers import common_settings, png_bytes
from bascule_testkit.service_behaviour import ServiceBehaviour, multipart_without_file, warm_fixture
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
    return engine, create_app(engine, SETTINGS, common_settings(queue_max_waiting=max_waiting))


def letter_a_png():
    image, d = page()
    draw_a(d, 250, 150)
    return png_bytes(image)


def post(client, image=None, **fields):
    fields.setdefault("target_letter", "a")
    files = {"image": ("lettre.png", letter_a_png() if image is None else image, "image/png")}
    return client.post("/analyze_writing", files=files, data=fields)


def with_image(image, **fields):
    return {"files": {"image": ("x.png", image, "image/png")}, "data": fields}


class TestTrocrService(ServiceBehaviour):
    service, route, fake_engine = "trocr", "/analyze_writing", FakeTrocr
    request_fixtures, answer_fixtures = "analyze_writing.fields", ("analyze_writing.response",)
    wrong_media_type = {"json": {"image": "base64...", "target_letter": "a"}}

    def make(self, engine=None, max_waiting=4):
        return make(engine, max_waiting)

    def post_valid(self, client):
        return post(client)

    def post_invalid(self, client):
        return post(client, target_letter="4")

    def post_fixture(self, client, body):
        return client.post("/analyze_writing", **with_image(letter_a_png(), **body))

    def assert_answers(self, response):
        assert_matches("trocr.analyze_writing.response", response.json())

    def bad_requests(self):
        ok, a = letter_a_png(), {"target_letter": "a"}
        return [
            ("missing image", multipart_without_file("target_letter", "a"), 400, "image"),
            ("not an image", with_image(b"GIF89a....", **a), 415, "image"),
            ("broken png", with_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, **a), 400, "image"),
            ("too many pixels", with_image(png_bytes(Image.new("L", (2100, 2000), 255)), **a), 413, "image"),
            ("too many bytes", with_image(b"\x89PNG\r\n\x1a\n" + bytes(300_001), **a), 413, "image"),
            ("tiny image", with_image(png_bytes(Image.new("L", (4, 4), 255)), **a), 400, "image"),
            ("digit target", with_image(ok, target_letter="4"), 400, "target_letter"),
            ("sentence target", with_image(ok, target_letter="le chat"), 400, "target_letter"),
            ("missing target", with_image(ok), 400, "target_letter"),
            ("unknown field", with_image(ok, target_letter="a", expected="a"), 400, "expected"),
        ]


warm = warm_fixture(make)


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
