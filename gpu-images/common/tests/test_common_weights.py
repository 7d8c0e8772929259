"""Weights in the volume are checked at every start against the manifest written when it was filled."""
import json

import pytest

from bascule_common.weights import MANIFEST_NAME, WeightsError, verify, verify_at_start, write_manifest


def filled(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"weights" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "config.json").write_text("{}")
    write_manifest(tmp_path, {"repo": "org/model", "revision": "abc123"})
    return tmp_path


def test_a_filled_folder_verifies_and_names_its_source(tmp_path):
    manifest = verify(filled(tmp_path))
    assert manifest["source"] == {"repo": "org/model", "revision": "abc123"}
    assert set(manifest["files"]) == {"model.bin", "sub/config.json"}


def test_a_changed_or_missing_file_stops_the_start_naming_it(tmp_path):
    folder = filled(tmp_path)
    (folder / "model.bin").write_bytes(b"tampered")
    with pytest.raises(WeightsError, match="model.bin"):
        verify(folder)
    again = tmp_path / "again"
    again.mkdir()
    folder = filled(again)
    (folder / "sub" / "config.json").unlink()
    with pytest.raises(WeightsError, match="config.json.*missing"):
        verify(folder)


def test_a_pinned_checksum_is_checked_when_filling(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(WeightsError, match="pinned"):
        write_manifest(tmp_path, {"repo": "r"}, {"model.bin": "0" * 64})
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_an_unfilled_folder_is_refused_unless_verification_is_off(tmp_path):
    with pytest.raises(WeightsError, match="fill"):
        verify_at_start(tmp_path, {})
    assert verify_at_start(tmp_path, {"BASCULE_VERIFY_WEIGHTS": "false"}) is None
    assert verify_at_start(tmp_path / "large-v3", {}) is None  # a model name, not a folder


def test_models_json_pins_whisper_and_says_where_each_image_fills():
    import pathlib

    spec = json.loads((pathlib.Path(__file__).resolve().parents[2] / "models.json").read_text())
    assert len(spec["whisper"]["revision"]) == 40 and spec["whisper"]["sha256"]["model.bin"]
    assert {spec[i]["folder"].split("/")[0] for i in ("whisper", "trocr", "tts")} == {"whisper", "huggingface", "tts"}
