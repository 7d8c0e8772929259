"""Letters drawn with PIL, thick strokes like a child's felt pen, to feed the region detector."""
from __future__ import annotations

from typing import Tuple

from PIL import Image, ImageDraw

INK = "black"


def page(size: Tuple[int, int] = (600, 400), paper: str = "white") -> Tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", size, paper)
    return image, ImageDraw.Draw(image)


def draw_a(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, ink: str = INK) -> None:
    d.ellipse((x, y, x + s, y + s), outline=ink, width=s // 8)
    d.line((x + s, y, x + s, y + s), fill=ink, width=s // 8)


def draw_o(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, ink: str = INK) -> None:
    d.ellipse((x, y, x + s, y + s), outline=ink, width=s // 8)


def draw_e_acute(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, ink: str = INK) -> None:
    d.ellipse((x, y, x + s, y + s), outline=ink, width=s // 8)
    d.line((x, y + s // 2, x + s, y + s // 2), fill=ink, width=s // 10)
    d.line((x + s // 3, y - s // 5, x + 2 * s // 3, y - s // 2), fill=ink, width=s // 12)  # the accent


def draw_i(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, dot: bool = True, ink: str = INK) -> None:
    d.line((x, y, x, y + s), fill=ink, width=s // 8)
    if dot:
        r = s // 10
        d.ellipse((x - r, y - s // 3 - r, x + r, y - s // 3 + r), fill=ink)


def draw_c_cedilla(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, ink: str = INK) -> None:
    d.arc((x, y, x + s, y + s), 40, 320, fill=ink, width=s // 8)
    d.line((x + s // 2, y + s + s // 5, x + s // 2 - s // 6, y + s + s // 2), fill=ink, width=s // 12)


def draw_k_two_strokes(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 100, ink: str = INK) -> None:
    d.line((x, y - s // 2, x, y + s), fill=ink, width=s // 8)
    d.line((x + s // 6, y + s // 2, x + s * 3 // 4, y), fill=ink, width=s // 8)  # a small gap to the stem
    d.line((x + s // 6, y + s // 2, x + s * 3 // 4, y + s), fill=ink, width=s // 8)
