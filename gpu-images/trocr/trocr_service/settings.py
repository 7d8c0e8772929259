"""The trocr image's settings, from the environment (see ../README.md for the table)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from bascule_common.settings import env_bool, env_int, env_str


@dataclass(frozen=True)
class TrocrSettings:
    model: str = "microsoft/trocr-base-handwritten"
    device: str = "cuda"
    local_files_only: bool = False
    max_image_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 4096 * 4096  # a decompression bomb is refused before it is decoded
    max_regions: int = 8
    max_new_tokens: int = 8

    @property
    def device_index(self) -> int:
        """The card's index in the device ("cuda:1" → 1), for the NVML reading of /metrics."""
        _kind, _, index = self.device.partition(":")
        return int(index) if index.isdigit() else 0

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "TrocrSettings":
        e = os.environ if env is None else env
        return cls(
            model=env_str(e, "TROCR_MODEL", "microsoft/trocr-base-handwritten"),
            device=env_str(e, "TROCR_DEVICE", "cuda"),
            local_files_only=env_bool(e, "TROCR_LOCAL_FILES_ONLY", False),
            max_image_bytes=env_int(e, "TROCR_MAX_IMAGE_BYTES", 5 * 1024 * 1024, 1024),
            max_image_pixels=env_int(e, "TROCR_MAX_IMAGE_PIXELS", 4096 * 4096, 64 * 64),
            max_regions=env_int(e, "TROCR_MAX_REGIONS", 8, 1, 32),
        )
