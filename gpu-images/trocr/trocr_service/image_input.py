"""The uploaded picture: recognised from its bytes, bounded in size, decoded in memory."""
from __future__ import annotations

import io
import unicodedata
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from bascule_common.errors import ServiceError, bad_request, unsupported_media_type

FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}


def sniff_image(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return ""


def decode_image(data: bytes, max_pixels: int) -> Image.Image:
    """An upright RGB image, or a 4xx naming the `image` field."""
    if not data:
        raise bad_request("image", "missing (expected a PNG or JPEG file part named image)")
    if not sniff_image(data):
        raise unsupported_media_type("image", "not a PNG, JPEG or WebP picture")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height = image.size
            if width * height > max_pixels:
                raise ServiceError(413, "payload_too_large", f"image: {width}x{height} is more than {max_pixels} pixels", field="image")
            if width < 8 or height < 8:
                raise bad_request("image", f"{width}x{height} is too small to hold a letter")
            image.load()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise bad_request("image", f"could not be decoded ({exc.__class__.__name__})")
    image = ImageOps.exif_transpose(image)  # phones store the rotation apart from the pixels
    if image.mode in ("RGBA", "LA", "P"):
        # A transparent canvas (a drawing app) reads as paper, not as black.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def normalize_target(raw: str) -> str:
    """The target letter(s): NFC, 1 to 4 letters, no spaces or digits."""
    target = unicodedata.normalize("NFC", raw.strip())
    if not target:
        raise bad_request("target_letter", "empty (expected the letter to write, e.g. a or é)")
    if len(target) > 4 or not target.isalpha():
        raise bad_request("target_letter", f"expected one letter (or up to 4 letters such as ou), got {raw[:10]!r}")
    return target
