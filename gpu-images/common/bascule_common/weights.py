"""Model weights in the /models volume: filled once at pinned revisions, checked at every start.

`python -m bascule_common.fill_models <image>` (gpu-images/scripts/fill-models.sh) downloads an image's
models at the revisions pinned in gpu-images/models.json, checks the checksums pinned there, and writes a
manifest (MANIFEST_NAME: source, revision, sha256 of every file) next to them. At start, the engine calls
`verify(folder)`: a missing, changed or extra-truncated file stops the start with a message naming it, and
the image never asks the hub (HF_HUB_OFFLINE=1).
"""
from __future__ import annotations

import hashlib
import json
import pathlib
from typing import Any, Dict, Mapping, Optional

MANIFEST_NAME = "bascule-weights.json"


class WeightsError(RuntimeError):
    pass


def sha256_file(path: pathlib.Path, chunk: int = 8 * 1024 * 1024) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: pathlib.Path, source: Mapping[str, Any], expected: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Hash every file under folder, check the pinned checksums (`expected`), write the manifest."""
    files = {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != MANIFEST_NAME and ".cache" not in p.parts}
    for name, digest in (expected or {}).items():
        if files.get(name) != digest:
            raise WeightsError(f"{folder / name}: sha256 {files.get(name, 'missing')} is not the pinned {digest}")
    manifest = {"source": dict(source), "files": files}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def verify(folder: pathlib.Path) -> Dict[str, Any]:
    """The manifest, once every file it lists has its recorded sha256; WeightsError naming the first that has not."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise WeightsError(f"{folder}: no {MANIFEST_NAME}; fill the volume first (gpu-images/scripts/fill-models.sh)")
    manifest = json.loads(manifest_path.read_text())
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise WeightsError(f"{path}: listed in {MANIFEST_NAME} but missing")
        actual = sha256_file(path)
        if actual != digest:
            raise WeightsError(f"{path}: sha256 {actual} differs from the {digest} recorded when the volume was filled")
    return manifest


def verify_at_start(folder: pathlib.Path, env: Optional[Mapping[str, str]] = None) -> Optional[Dict[str, Any]]:
    """What an engine calls before loading from a local folder: verify it, unless BASCULE_VERIFY_WEIGHTS=false
    (a developer's own folder). A model name (not a folder) is not checked here: it is not a filled volume."""
    import os

    from .settings import env_bool

    if not folder.is_dir() or not env_bool(os.environ if env is None else env, "BASCULE_VERIFY_WEIGHTS", True):
        return None
    return verify(folder)
