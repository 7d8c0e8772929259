"""Checks every image folder must pass: Dockerfile rules, pinned requirements, image.json for infra."""
from __future__ import annotations

import json
import pathlib
import re
from typing import Any, Dict, List, Optional

from bascule_common.settings import CommonSettings

from .dockerfile_lint import hadolint, instructions, lint, stage_chain

# Directories a model library downloads weights into: in an image they must point into the cache volume.
CACHE_ENV = ("HF_HOME", "TRANSFORMERS_CACHE", "TORCH_HOME", "TTS_HOME", "WHISPER_CACHE_DIR", "XDG_CACHE_HOME")
# The shutdown grace a service runs with when BASCULE_SHUTDOWN_GRACE_S is not set, read from the settings
# themselves so the check follows the default: `docker stop` must wait longer, or in-flight requests are killed.
SHUTDOWN_GRACE_S = CommonSettings.from_env(default_port=8000, env={}).shutdown_grace_s

GPU_IMAGES = pathlib.Path(__file__).resolve().parents[2]
DOCKERFILE = GPU_IMAGES / "Dockerfile"  # one file, one target per image
_PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][A-Za-z0-9.+!-]*$")
_LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)")


def dockerfile_text() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


def dockerfile_problems(image: str) -> List[str]:
    problems = [str(f) for f in lint(dockerfile_text(), target=image)]
    result = hadolint(str(DOCKERFILE), str(GPU_IMAGES / ".hadolint.yaml"))
    if result is not None and result.returncode != 0:
        problems.append("hadolint: " + (result.stdout + result.stderr).strip())
    return problems


def unpinned_lines(text: str) -> List[str]:
    """Requirement lines that do not pin one exact version (name==version); `-r` includes are allowed."""
    return [line for line in (l.split("#")[0].strip() for l in text.splitlines())
            if line and not line.startswith("-r ") and not _PINNED.match(line)]


def unpinned_requirements(image: str) -> List[str]:
    return unpinned_lines((GPU_IMAGES / image / "requirements.in").read_text(encoding="utf-8"))


def lock_entries(path: pathlib.Path) -> Dict[str, Dict[str, Any]]:
    """name → {"version", "hashes"} of a pip-compile / uv lock (`name==version \\` then `--hash=sha256:...`)."""
    entries: Dict[str, Dict[str, Any]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = _LOCKED.match(line)
        if match:
            current = match.group(1).lower().replace("_", "-")
            entries[current] = {"version": match.group(2), "hashes": []}
        elif line.startswith("--hash=sha256:") and current:
            entries[current]["hashes"].append(line.split(":", 1)[1].rstrip(" \\"))
    return entries


def requirement_versions(image: str) -> Dict[str, str]:
    """What the image installs: every package of its lock, at its locked version."""
    return {name: e["version"] for name, e in lock_entries(GPU_IMAGES / image / "requirements.lock").items()}


def image_json(image: str) -> Dict[str, Any]:
    return json.loads((GPU_IMAGES / image / "image.json").read_text(encoding="utf-8"))


def image_json_problems(image: str) -> List[str]:
    return spec_problems(image_json(image), image)


def spec_problems(spec: Dict[str, Any], image: str) -> List[str]:
    problems = []
    if spec.get("name") != image:
        problems.append(f"name: expected {image!r}")
    if not isinstance(spec.get("port"), int) or not 1 <= spec["port"] <= 65535:
        problems.append("port: expected an integer port")
    if not isinstance(spec.get("vramMb"), int) or spec["vramMb"] <= 0:
        problems.append("vramMb: expected a positive integer (MB)")
    if spec.get("healthPath") != "/health":
        problems.append("healthPath: expected /health")
    return problems


def final_stage(image: str) -> List[tuple]:
    """The instructions of the image's target and of the stages it is built FROM."""
    return stage_chain(instructions(dockerfile_text()), image)


def base_images(image: str) -> List[str]:
    return [args.split()[0] for _, keyword, args in final_stage(image) if keyword == "FROM"]


def _final_stage_of(text: str, target: Optional[str] = None) -> List[tuple]:
    return stage_chain(instructions(text), target)


def _env_of(stage: List[tuple]) -> Dict[str, str]:
    env: Dict[str, str] = {}
    for _, keyword, args in stage:
        if keyword == "ENV":
            for word in args.split():
                if "=" in word:
                    key, _, value = word.partition("=")
                    env[key] = value.strip('"')
    return env


def manifest_problems(spec: Dict[str, Any], dockerfile: str, target: Optional[str] = None) -> List[str]:
    """What image.json tells infra, checked against what the Dockerfile builds: user, port, cache, stop time."""
    stage = _final_stage_of(dockerfile, target)
    runs = " ".join(args for _, keyword, args in stage if keyword == "RUN")
    problems = []
    uid = re.search(r"useradd\b[^&;]*--uid\s+(\d+)", runs)
    gid = re.search(r"groupadd\b[^&;]*--gid\s+(\d+)", runs)
    built_user = f"{uid.group(1)}:{gid.group(1)}" if uid and gid else None
    if spec.get("user") != built_user:
        problems.append(f"user: image.json says {spec.get('user')!r}, the final stage creates {built_user!r}")
    exposed = [args.split()[0] for _, keyword, args in stage if keyword == "EXPOSE"]
    env = _env_of(stage)
    if exposed != [str(spec.get("port"))] or env.get("PORT") != str(spec.get("port")):
        problems.append(f"port: image.json says {spec.get('port')}, the image exposes {exposed} with PORT={env.get('PORT')}")
    cache = (spec.get("cacheVolume") or {}).get("containerPath")
    volumes = " ".join(args for _, keyword, args in stage if keyword == "VOLUME")
    if not cache or cache not in volumes:
        problems.append(f"cacheVolume: {cache!r} is not a VOLUME of the final stage ({volumes or 'none'})")
    for name in CACHE_ENV:
        if name in env and not env[name].startswith(f"{cache}/"):
            problems.append(f"{name}={env[name]} is outside the cache volume {cache}: weights would land in a layer")
    if not isinstance(spec.get("stopTimeoutS"), int) or spec["stopTimeoutS"] <= SHUTDOWN_GRACE_S:
        problems.append(f"stopTimeoutS: expected more than the {SHUTDOWN_GRACE_S:g} s shutdown grace, got {spec.get('stopTimeoutS')!r}")
    return problems


def image_manifest_problems(image: str) -> List[str]:
    spec = image_json(image)
    problems = manifest_problems(spec, dockerfile_text(), image)
    build = spec.get("build") or {}
    if build != {"context": ".", "dockerfile": "gpu-images/Dockerfile", "target": image}:
        problems.append(f"build: expected the shared Dockerfile's {image!r} target with the repository root as context, got {build}")
    return problems
