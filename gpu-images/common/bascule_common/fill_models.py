"""Fill the /models volume with one image's weights (run once per host, with network; see weights.py).

    docker run --rm -e HF_HUB_OFFLINE=0 -v bascule-models:/models bascule/whisper:<v> \
        python -m bascule_common.fill_models whisper
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
from typing import Any, Dict

from .weights import MANIFEST_NAME, WeightsError, write_manifest

MODELS_JSON = pathlib.Path(os.environ.get("BASCULE_MODELS_JSON", "/app/models.json"))


def fill(image: str, spec: Dict[str, Any], root: pathlib.Path) -> Dict[str, Any]:
    folder = root / spec["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    if spec["kind"] == "huggingface":
        from huggingface_hub import HfApi, snapshot_download

        revision = spec["revision"]
        previous = folder / MANIFEST_NAME
        if revision is None and previous.is_file():
            revision = json.loads(previous.read_text())["source"]["revision"]  # pinned by the first fill
        resolved = HfApi().model_info(spec["repo"], revision=revision).sha
        snapshot_download(spec["repo"], revision=resolved, local_dir=str(folder))
        source = {"repo": spec["repo"], "revision": resolved}
    else:  # Coqui's model manager downloads each model into $TTS_HOME/tts
        os.environ["TTS_HOME"] = str(folder.parent)
        from TTS.utils.manage import ModelManager

        manager = ModelManager(progress_bar=False)
        for model in spec["models"]:
            manager.download_model(model)
        source = {"models": spec["models"]}
    return write_manifest(folder, source, spec.get("sha256"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("image", choices=["whisper", "tts", "trocr"])
    parser.add_argument("--models", default="/models", help="the volume's mount point")
    args = parser.parse_args()
    spec = json.loads(MODELS_JSON.read_text())[args.image]
    try:
        manifest = fill(args.image, spec, pathlib.Path(args.models))
    except WeightsError as error:
        sys.exit(f"fill-models: {error}")
    print(json.dumps({"image": args.image, "source": manifest["source"], "files": len(manifest["files"])}))


if __name__ == "__main__":
    main()
