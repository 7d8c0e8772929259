"""The trocr image's packaging: Dockerfile rules, pins that agree with each other, image.json for infra."""
from bascule_testkit import image_checks as checks


def test_dockerfile_passes_the_rules():
    assert checks.dockerfile_problems("trocr") == []


def test_requirements_are_pinned():
    assert checks.unpinned_requirements("trocr") == []


def test_torch_brings_its_cuda_libraries_and_no_cuda_base_image_repeats_them():
    versions = checks.requirement_versions("trocr")
    assert versions["torch"].startswith("2.4.")
    assert versions["nvidia-cudnn-cu12"].startswith("9.") and versions["nvidia-cublas-cu12"].startswith("12.1.")
    assert not [b for b in checks.base_images("trocr") if b.startswith("nvidia/")]


def test_image_json_declares_the_cuda_architectures_of_the_locked_torch():
    # infra fails the preview when the stack's card is not among them (infra/src/gpu-arch.ts)
    import torch

    assert checks.image_json("trocr")["cudaArchs"] == torch._C._cuda_getArchFlags().split()


def test_the_lock_has_a_hash_for_every_package_and_agrees_with_the_test_lock():
    lock = checks.lock_entries(checks.GPU_IMAGES / "trocr" / "requirements.lock")
    test = checks.lock_entries(checks.GPU_IMAGES / "requirements-test.lock")
    assert lock and all(entry["hashes"] for entry in lock.values())
    assert {name: e["version"] for name, e in lock.items() if test.get(name, {}).get("version") != e["version"]} == {}


def test_final_stage_is_run_time_only():
    stage = checks.final_stage("trocr")
    assert "pip" not in " ".join(a for _, k, a in stage if k == "RUN")
    assert ("EXPOSE", "8003") in [(k, a) for _, k, a in stage]
    assert any(k == "CMD" and "trocr_service" in a for _, k, a in stage)


def test_image_json_declares_what_infra_reads():
    assert checks.image_json_problems("trocr") == []
    spec = checks.image_json("trocr")
    from trocr_service.main import DEFAULT_PORT
    assert spec["vramMb"] == 1500 and spec["port"] == DEFAULT_PORT
