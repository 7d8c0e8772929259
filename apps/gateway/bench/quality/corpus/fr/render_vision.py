"""Renders the corpus's handwriting items (corpus.json, `vision`) as small grey-scale PNGs in vision/.

Each image is the letter or word in a DejaVu font (slanted ones look most like a child's writing), rotated a
little, moved off centre, blurred and sprinkled with noise, as a photo of a child's sheet would be. Each PNG
carries the lab's marker, a tEXt chunk `BASCULE-WROTE:<text>` (apps/lab/src/marker.ts), so the lab's fake
OCR "reads" it; a real OCR ignores the chunk. Seeded by the item's id: the same corpus gives the same bytes.

Run from this folder with the model images' venv (it has Pillow):
    $(ls -d ~/.cache/bascule/venvs/*/ | head -1)bin/python render_vision.py
Fonts: Debian's fonts-dejavu-core (/usr/share/fonts/truetype/dejavu).
"""
import json
import random
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from PIL.PngImagePlugin import PngInfo

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARKER = "BASCULE-WROTE:"


def render(text: str, font_name: str, seed: int) -> Image.Image:
    rng = random.Random(seed)
    width, height = (64, 64) if len(text) == 1 else (128, 56)
    font = ImageFont.truetype(str(FONT_DIR / f"{font_name}.ttf"), 40 if len(text) == 1 else 34)
    layer = Image.new("L", (width * 2, height * 2), 255)
    draw = ImageDraw.Draw(layer)
    box = draw.textbbox((0, 0), text, font=font)
    x = (layer.width - (box[2] - box[0])) / 2 - box[0] + rng.uniform(-4, 4)
    y = (layer.height - (box[3] - box[1])) / 2 - box[1] + rng.uniform(-3, 3)
    draw.text((x, y), text, font=font, fill=rng.randint(10, 60))
    layer = layer.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, fillcolor=255)
    left, top = (layer.width - width) // 2, (layer.height - height) // 2
    image = layer.crop((left, top, left + width, top + height)).filter(ImageFilter.GaussianBlur(0.6))
    pixels = image.load()
    for _ in range(width * height // 25):  # dust and paper grain: about 4 % of the pixels
        px, py = rng.randrange(width), rng.randrange(height)
        pixels[px, py] = max(0, min(255, pixels[px, py] + rng.randint(-90, 40)))
    return image


def main() -> None:
    corpus = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))
    out = HERE / "vision"
    out.mkdir(exist_ok=True)
    for item in corpus["vision"]:
        image = render(item["text"], item["font"], zlib.crc32(item["id"].encode()))
        info = PngInfo()
        # tEXt is Latin-1: the UTF-8 bytes viewed as Latin-1, as the lab's handwrittenPng writes them.
        info.add_text("Comment", (MARKER + item["text"]).encode("utf-8").decode("latin-1"))
        image.save(out / f"{item['id']}.png", pnginfo=info, optimize=True)
    print(f"{len(corpus['vision'])} images in {out}")


if __name__ == "__main__":
    main()
