"""The tts image's packaging: Dockerfile rules, pins that agree with each other, image.json for infra."""
from bascule_testkit import image_checks as checks
from tts_service.settings import DEFAULT_VOICES


def test_dockerfile_passes_the_rules():
    assert checks.dockerfile_problems("tts") == []


def test_requirements_are_pinned_and_use_the_maintained_fork():
    assert checks.unpinned_requirements("tts") == []
    versions = checks.requirement_versions("tts")
    assert "coqui-tts" in versions and "tts" not in versions  # the original TTS package is abandoned


def test_torch_brings_its_cuda_libraries_and_no_cuda_base_image_repeats_them():
    versions = checks.requirement_versions("tts")
    assert versions["torch"].startswith("2.4.")
    assert versions["nvidia-cudnn-cu12"].startswith("9.") and versions["nvidia-cublas-cu12"].startswith("12.1.")
    assert not [b for b in checks.base_images("tts") if b.startswith("nvidia/")]


def test_image_json_declares_the_cuda_architectures_of_the_locked_torch():
    # infra fails the preview when the stack's card is not among them (infra/src/gpu-arch.ts)
    import torch

    assert checks.image_json("tts")["cudaArchs"] == torch._C._cuda_getArchFlags().split()


def test_the_lock_has_a_hash_for_every_package_and_agrees_with_the_test_lock():
    lock = checks.lock_entries(checks.GPU_IMAGES / "tts" / "requirements.lock")
    test = checks.lock_entries(checks.GPU_IMAGES / "requirements-test.lock")
    assert lock and all(entry["hashes"] for entry in lock.values())
    assert {name: e["version"] for name, e in lock.items() if test.get(name, {}).get("version") != e["version"]} == {}


def test_final_stage_is_run_time_only():
    stage = checks.final_stage("tts")
    runs = " ".join(a for _, k, a in stage if k == "RUN")
    assert "pip" not in runs
    assert ("EXPOSE", "8002") in [(k, a) for _, k, a in stage]
    assert any(k == "CMD" and "tts_service" in a for _, k, a in stage)


def test_image_json_declares_what_infra_reads():
    assert checks.image_json_problems("tts") == []
    spec = checks.image_json("tts")
    from tts_service.main import DEFAULT_PORT
    assert spec["vramMb"] == 1000 and spec["port"] == DEFAULT_PORT
    assert spec["voices"] == sorted(DEFAULT_VOICES)
