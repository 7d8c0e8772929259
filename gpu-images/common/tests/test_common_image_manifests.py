"""image.json (what infra reads) agrees with the Dockerfile (what runs): user, port, cache volume, stop time."""
import pytest

from bascule_testkit.image_checks import image_manifest_problems, manifest_problems

GOOD_DOCKERFILE = """FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04 AS base
FROM base AS runtime
RUN groupadd --system --gid 10001 bascule \\
    && useradd --system --uid 10001 --gid bascule bascule
ENV PORT=8003 \\
    HF_HOME=/models/huggingface
VOLUME ["/models"]
USER bascule
EXPOSE 8003
"""
GOOD_SPEC = {"port": 8003, "user": "10001:10001", "cacheVolume": {"name": "bascule-models", "containerPath": "/models"}, "stopTimeoutS": 40}


@pytest.mark.parametrize("image", ["whisper", "tts", "trocr"])
def test_each_image_json_matches_its_dockerfile(image):
    assert image_manifest_problems(image) == []


def test_a_consistent_pair_passes():
    assert manifest_problems(GOOD_SPEC, GOOD_DOCKERFILE) == []


def test_each_disagreement_is_named():
    cases = {
        "user": ({**GOOD_SPEC, "user": "1000:1000"}, GOOD_DOCKERFILE),
        "port": ({**GOOD_SPEC, "port": 8001}, GOOD_DOCKERFILE),
        "cacheVolume": ({**GOOD_SPEC, "cacheVolume": {"name": "x", "containerPath": "/cache"}}, GOOD_DOCKERFILE),
        "HF_HOME": (GOOD_SPEC, GOOD_DOCKERFILE.replace("/models/huggingface", "/root/.cache/huggingface")),
        "stopTimeoutS": ({**GOOD_SPEC, "stopTimeoutS": 10}, GOOD_DOCKERFILE),
    }
    for field, (spec, dockerfile) in cases.items():
        problems = manifest_problems(spec, dockerfile)
        assert any(p.startswith(field) for p in problems), (field, problems)
