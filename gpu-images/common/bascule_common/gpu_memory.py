"""GPU memory readings for /metrics, when the libraries to read them are there (None otherwise)."""
from __future__ import annotations

import sys
from typing import Dict, Optional


def torch_reserved_bytes() -> Optional[int]:
    """Memory this process's PyTorch caching allocator holds (the TTS and TrOCR images)."""
    torch = sys.modules.get("torch")  # never import torch just to answer a scrape
    if torch is None or not torch.cuda.is_available():
        return None
    return int(torch.cuda.memory_reserved())


def nvml_used_bytes(device_index: int = 0) -> Optional[int]:
    """Memory used on the whole card, from NVML (the whisper image: CTranslate2 does not report its own)."""
    try:
        import pynvml  # nvidia-ml-py
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
        handle = pynvml.nvmlDeviceGetHandleByIndex(device_index)
        return int(pynvml.nvmlDeviceGetMemoryInfo(handle).used)
    except Exception:  # no driver, no device: no sample
        return None


def readings(device_index: int = 0, torch_allocator: bool = False) -> Dict[str, Optional[int]]:
    """The figures /metrics labels apart: the whole card (NVML) and, for PyTorch images, this process's share."""
    found: Dict[str, Optional[int]] = {"card_used": nvml_used_bytes(device_index)}
    if torch_allocator:
        found["process_reserved"] = torch_reserved_bytes()
    return found
