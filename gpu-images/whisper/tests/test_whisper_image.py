"""The whisper image's packaging: Dockerfile rules, pins that agree with each other, image.json for infra."""
import json

from bascule_testkit import image_checks as checks


def test_dockerfile_passes_the_rules():
    assert checks.dockerfile_problems("whisper") == []


def test_requirements_are_pinned():
    assert checks.unpinned_requirements("whisper") == []


def test_ctranslate2_gets_the_cuda_libraries_it_was_built_for_from_the_lock():
    # CTranslate2 >= 4.5 needs CUDA 12 with cuDNN 9 (earlier 4.x builds want cuDNN 8): they come as NVIDIA's
    # wheels in the lock, and no CUDA base image carries a second copy.
    versions = checks.requirement_versions("whisper")
    major, minor = (int(x) for x in versions["ctranslate2"].split(".")[:2])
    assert (major, minor) >= (4, 5)
    assert versions["nvidia-cudnn-cu12"].startswith("9.") and versions["nvidia-cublas-cu12"].startswith("12.")
    assert not [b for b in checks.base_images("whisper") if b.startswith("nvidia/")]


def test_the_lock_has_a_hash_for_every_package_and_agrees_with_the_test_lock():
    lock = checks.lock_entries(checks.GPU_IMAGES / "whisper" / "requirements.lock")
    test = checks.lock_entries(checks.GPU_IMAGES / "requirements-test.lock")
    assert lock and all(entry["hashes"] for entry in lock.values())
    assert {name: e["version"] for name, e in lock.items() if test.get(name, {}).get("version") != e["version"]} == {}


def test_final_stage_is_run_time_only_and_serves_on_the_declared_port():
    stage = checks.final_stage("whisper")
    text = json.dumps(stage)
    assert "pip install" not in text and "install-venv" not in text
    assert ("EXPOSE", "8001") in [(k, a) for _, k, a in stage]
    assert any(k == "VOLUME" and "/models" in a for _, k, a in stage)
    assert any(k == "CMD" and "whisper_service" in a for _, k, a in stage)


def test_image_json_declares_what_infra_reads():
    assert checks.image_json_problems("whisper") == []
    spec = checks.image_json("whisper")
    assert spec["vramMb"] == 4500 and spec["port"] == 8001
    from whisper_service.main import DEFAULT_PORT
    assert DEFAULT_PORT == spec["port"]
