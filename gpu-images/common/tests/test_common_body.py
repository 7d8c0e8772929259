"""Request bodies are parsed in memory, with limits, and never touch the disk."""
import tempfile

import pytest
import starlette.formparsers
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse

from bascule_common.body import read_json_object, read_multipart
from bascule_common.errors import ServiceError
from bascule_testkit.contracts import assert_matches


def make_app() -> FastAPI:
    app = FastAPI()

    @app.exception_handler(ServiceError)
    async def on_error(_r, exc: ServiceError):
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.post("/form")
    async def form(request: Request):
        parsed = await read_multipart(request, {"audio": 2 * 1024 * 1024})
        return {"fields": parsed.fields,
                "files": {k: {"size": len(v.data), "type": v.content_type, "head": v.data[:4].hex()} for k, v in parsed.files.items()}}

    @app.post("/json")
    async def body(request: Request):
        return await read_json_object(request, 1000)

    return app


@pytest.fixture
def no_disk(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("a temporary file was created")
    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", refuse)


def test_large_file_part_stays_in_memory(no_disk):
    payload = b"RIFF" + bytes(1_500_000)  # larger than Starlette's 1 MiB spooling threshold
    with TestClient(make_app()) as client:
        r = client.post("/form", files={"audio": ("a.wav", payload, "audio/wav")}, data={"language": "fr"})
    assert r.status_code == 200, r.text
    assert r.json() == {"fields": {"language": "fr"}, "files": {"audio": {"size": len(payload), "type": "audio/wav", "head": "52494646"}}}


def test_file_over_the_limit_is_413_naming_the_field():
    with TestClient(make_app()) as client:
        r = client.post("/form", files={"audio": ("a.wav", bytes(2 * 1024 * 1024 + 1), "audio/wav")})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large" and r.json()["error"]["field"] in ("audio", "body")
    assert_matches("common.error", r.json())


def test_unknown_file_part_and_duplicate_field_are_400():
    with TestClient(make_app()) as client:
        unknown = client.post("/form", files={"picture": ("a.png", b"x", "image/png")})
        duplicate = client.post("/form", files=[("audio", ("a", b"1", "audio/wav")), ("audio", ("b", b"2", "audio/wav"))])
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "picture"
    assert duplicate.status_code == 400 and duplicate.json()["error"]["field"] == "audio"


def test_wrong_media_types_are_415():
    with TestClient(make_app()) as client:
        form_as_json = client.post("/form", json={"audio": "x"})
        json_as_text = client.post("/json", content=b"{}", headers={"content-type": "text/plain"})
    assert form_as_json.status_code == 415 and json_as_text.status_code == 415
    assert_matches("common.error", form_as_json.json())


def test_json_must_be_an_object_within_the_limit():
    with TestClient(make_app()) as client:
        assert client.post("/json", json={"a": 1}).json() == {"a": 1}
        assert client.post("/json", json=[1]).status_code == 400
        assert client.post("/json", content=b"{nope", headers={"content-type": "application/json"}).status_code == 400
        assert client.post("/json", json={"a": "x" * 2000}).status_code == 413
