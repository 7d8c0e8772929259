"""The trocr image's packaging: Dockerfile rules, pins that agree with each other, image.json for infra."""
from bascule_testkit import image_checks as checks


def test_dockerfile_passes_the_rules():
    assert checks.dockerfile_problems("trocr") == []


def test_requirements_are_pinned():
    assert checks.unpinned_requirements("trocr") == []


def test_torch_and_the_cuda_base_agree():
    assert checks.requirement_versions("trocr")["torch"].startswith("2.4.")
    assert all(b.startswith("nvidia/cuda:12.1.") for b in checks.base_images("trocr") if b.startswith("nvidia/"))


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
