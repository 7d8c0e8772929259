"""Detector → recognizer → analysis: the whole answer of POST /analyze_writing except its latency."""
from __future__ import annotations

from typing import Any, Dict, List, Protocol, Tuple

from PIL import Image

from .analysis import Reading, analyze, clean_text
from .regions import detect_regions


class Recognizer(Protocol):
    def recognize(self, crops: List[Image.Image]) -> List[Tuple[str, float]]: ...


def analyze_writing(recognizer: Recognizer, image: Image.Image, target: str, max_regions: int) -> Dict[str, Any]:
    regions = detect_regions(image, max_regions)
    texts = recognizer.recognize([r.crop for r in regions]) if regions else []
    readings = [
        Reading(clean_text(text), float(confidence), region.bbox, region.marks_above, region.marks_below)
        for region, (text, confidence) in zip(regions, texts)
    ]
    readings = [r for r in readings if r.text]  # a region TrOCR reads as punctuation only is not a letter
    letters = [
        {"text": r.text, "confidence": round(min(1.0, max(0.0, r.confidence)), 4), "bbox": list(r.bbox)}
        for r in readings
    ]
    return {"letters": letters, "analysis": analyze(target, readings)}
