"""The contract files this folder's tests rely on: every schema is valid draft 2020-12 and its fixtures agree."""
import pytest

from bascule_testkit.contracts import SCHEMAS, assert_matches, fixtures, validator

IMAGE_SCHEMAS = sorted(p.name[: -len(".schema.json")] for p in SCHEMAS.glob("*.schema.json"))


def test_the_image_schemas_are_there():
    for name in ("common.error", "common.health.response", "whisper.transcribe.response",
                 "tts.synthesize.request", "tts.synthesize.voice_error", "trocr.analyze_writing.response"):
        assert name in IMAGE_SCHEMAS, name


@pytest.mark.parametrize("name", IMAGE_SCHEMAS)
def test_each_schema_is_valid_and_its_fixtures_get_their_verdict(name):
    validator(name)  # raises when the schema itself is broken
    service, shape = name.split(".", 1)
    cases = fixtures(service, shape)
    assert any(valid for _, valid, _ in cases) and any(not valid for _, valid, _ in cases)
    for label, valid, body in cases:
        if valid:
            assert_matches(name, body)
        else:
            with pytest.raises(AssertionError):
                assert_matches(name, body)


def test_assert_matches_names_the_path_at_fault():
    with pytest.raises(AssertionError, match=r"error/message"):
        assert_matches("common.error", {"error": {"code": "x", "message": ""}})
