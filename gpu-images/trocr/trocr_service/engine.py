"""The real engine: TrOCR (transformers) on the GPU, reading a batch of letter crops. Imported lazily."""
from __future__ import annotations

import math
import pathlib
from typing import Any, Dict, List, Optional, Tuple

from PIL import Image, ImageDraw

from bascule_common.gpu_memory import readings as gpu_memory_readings
from bascule_common.weights import verify_at_start

from .pipeline import analyze_writing
from .settings import TrocrSettings


class TrOcrEngine:
    def __init__(self, settings: TrocrSettings) -> None:
        self.settings = settings
        self.model_name = settings.model
        self.device = "cuda" if settings.device.startswith("cuda") else "cpu"
        self._torch: Any = None
        self._processor: Any = None
        self._model: Any = None
        self._dtype: Any = None

    def load(self) -> None:
        import torch  # heavy: only when the image starts
        from transformers import TrOCRProcessor, VisionEncoderDecoderModel

        verify_at_start(pathlib.Path(self.settings.model))  # a filled volume: every file as it was when filled
        self._torch = torch
        self._dtype = torch.float16 if self.device == "cuda" else torch.float32
        # Weights land in $HF_HOME (the mounted /models volume), downloaded on first start only.
        self._processor = TrOCRProcessor.from_pretrained(self.settings.model, local_files_only=self.settings.local_files_only)
        model = VisionEncoderDecoderModel.from_pretrained(
            self.settings.model, torch_dtype=self._dtype, local_files_only=self.settings.local_files_only
        )
        if getattr(model.config, "vocab_size", None) is None:
            # compute_transition_scores(normalize_logits=True) reads config.vocab_size, which a
            # VisionEncoderDecoderConfig (TrOCR's) does not have: it is the decoder's.
            model.config.vocab_size = model.config.decoder.vocab_size
        self._model = model.to(self.settings.device).eval()

    def warmup(self) -> None:
        page = Image.new("RGB", (384, 384), "white")
        draw = ImageDraw.Draw(page)
        draw.ellipse((120, 140, 240, 260), outline="black", width=14)
        draw.line((240, 140, 240, 262), fill="black", width=14)
        self.recognize([page])

    def recognize(self, crops: List[Image.Image]) -> List[Tuple[str, float]]:
        if not crops:
            return []
        torch = self._torch
        pixel_values = self._processor(images=crops, return_tensors="pt").pixel_values.to(self.settings.device, self._dtype)
        with torch.inference_mode():
            out = self._model.generate(
                pixel_values, max_new_tokens=self.settings.max_new_tokens, num_beams=1,
                output_scores=True, return_dict_in_generate=True,
            )
            logprobs = self._model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        texts = self._processor.batch_decode(out.sequences, skip_special_tokens=True)
        generated = out.sequences[:, 1:].cpu().numpy()  # the first token is the decoder's start token
        scores = logprobs.float().cpu().numpy()
        config = self._model.generation_config
        return [(text, sequence_confidence(generated[i], scores[i], config.eos_token_id, config.pad_token_id))
                for i, text in enumerate(texts)]

    def analyze(self, image: Image.Image, target: str) -> Dict[str, Any]:
        return analyze_writing(self, image, target, self.settings.max_regions)

    def close(self) -> None:
        self._model = None
        torch = self._torch
        if torch is not None and torch.cuda.is_available():
            torch.cuda.empty_cache()

    def gpu_memory(self) -> Dict[str, Optional[int]]:
        return gpu_memory_readings(self.settings.device_index, torch_allocator=True)

    def health_details(self) -> Dict[str, Any]:
        return {}


def sequence_confidence(tokens: Any, logprobs: Any, eos_id: Optional[int], pad_id: Optional[int]) -> float:
    """exp(mean log-probability) of the generated tokens up to and including the end token."""
    kept: List[float] = []
    for token, logprob in zip(list(tokens), list(logprobs)):
        if pad_id is not None and int(token) == pad_id and int(token) != eos_id:
            break
        if math.isfinite(float(logprob)):
            kept.append(float(logprob))
        if eos_id is not None and int(token) == eos_id:
            break
    return math.exp(sum(kept) / len(kept)) if kept else 0.0
