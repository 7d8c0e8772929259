"""The whisper image's packaging: Dockerfile rules, pins that agree with each other, image.json for infra."""
import json

from bascule_testkit import image_checks as checks


def test_dockerfile_passes_the_rules():
    assert checks.dockerfile_problems("whisper") == []


def test_requirements_are_pinned():
    assert checks.unpinned_requirements("whisper") == []


def test_ctranslate2_and_the_cuda_base_agree():
    # CTranslate2 >= 4.5 needs CUDA 12 with cuDNN 9; earlier 4.x builds want cuDNN 8.
    versions = checks.requirement_versions("whisper")
    major, minor = (int(x) for x in versions["ctranslate2"].split(".")[:2])
    assert (major, minor) >= (4, 5)
    for base in checks.base_images("whisper"):
        if base.startswith("nvidia/cuda:"):
            assert base.split(":")[1].startswith("12.") and "cudnn9" in base, base


def test_final_stage_is_run_time_only_and_serves_on_the_declared_port():
    stage = checks.final_stage("whisper")
    text = json.dumps(stage)
    assert "pip install" not in text and "venv" not in " ".join(a for _, k, a in stage if k == "RUN")
    assert ("EXPOSE", "8001") in [(k, a) for _, k, a in stage]
    assert any(k == "VOLUME" and "/models" in a for _, k, a in stage)
    assert any(k == "CMD" and "whisper_service" in a for _, k, a in stage)


def test_image_json_declares_what_infra_reads():
    assert checks.image_json_problems("whisper") == []
    spec = checks.image_json("whisper")
    assert spec["vramMb"] == 4500 and spec["port"] == 8001
    from whisper_service.main import DEFAULT_PORT
    assert DEFAULT_PORT == spec["port"]
