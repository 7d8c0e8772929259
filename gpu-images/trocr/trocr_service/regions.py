"""Find where the child wrote, before TrOCR reads it.

TrOCR reads one line of text from a whole picture; a child's picture is a letter (or a few attempts) with
lots of paper around it, sometimes on a dark slate. So the picture is first turned into dark ink on light
paper (Otsu threshold; the ink is the minority class), split into connected strokes, and the strokes are
grouped into letters: pieces of one letter that overlap horizontally are merged, and small marks (an
accent, the dot of an i, a cedilla) are attached to the letter under or above them and counted, because
TrOCR's English-trained vocabulary rarely writes accents and the analysis needs to know they are there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple

import numpy as np
from PIL import Image

DETECTION_SIDE = 512  # detection runs on a copy at most this large; boxes are scaled back


@dataclass
class Box:
    x0: int
    y0: int
    x1: int  # exclusive
    y1: int
    area: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    def union(self, other: "Box") -> "Box":
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1), self.area + other.area)

    def x_overlap(self, other: "Box") -> int:
        return max(0, min(self.x1, other.x1) - max(self.x0, other.x0))


@dataclass
class Region:
    """A letter found on the page: [x, y, width, height] in the original picture's pixels."""

    bbox: Tuple[int, int, int, int]
    marks_above: int = 0
    marks_below: int = 0
    crop: "Image.Image | None" = field(default=None, repr=False)


def otsu_threshold(gray: np.ndarray) -> float:
    hist = np.bincount(gray.reshape(-1).astype(np.uint8), minlength=256).astype(np.float64)
    total = hist.sum()
    weights = np.cumsum(hist)
    means = np.cumsum(hist * np.arange(256))
    background = weights[:-1]
    foreground = total - background
    valid = (background > 0) & (foreground > 0)
    mean_b = np.where(valid, means[:-1] / np.maximum(background, 1), 0)
    mean_f = np.where(valid, (means[-1] - means[:-1]) / np.maximum(foreground, 1), 0)
    between = np.where(valid, background * foreground * (mean_b - mean_f) ** 2, -1)
    # With two clean levels every threshold between them is optimal: take the middle of that plateau.
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    return float(best[0] + best[-1]) / 2 + 0.5


def connected_components(mask: np.ndarray) -> List[Box]:
    """8-connected components of a boolean mask.

    Works on horizontal runs of ink rather than pixels: a run touches a run of the previous row when
    their spans overlap or meet diagonally, and runs are joined with union-find. A letter is a few
    hundred runs, so this stays fast in pure Python and numpy.
    """
    runs: List[Tuple[int, int, int]] = []  # (row, start, end exclusive)
    row_runs: List[Tuple[int, int]] = []  # for each row: [first run index, last run index + 1)
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    for y in range(mask.shape[0]):
        first = len(runs)
        starts = np.flatnonzero(edges[y] == 1)
        ends = np.flatnonzero(edges[y] == -1)
        runs.extend((y, int(s), int(e)) for s, e in zip(starts, ends))
        row_runs.append((first, len(runs)))

    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for y in range(1, mask.shape[0]):
        above_i, above_end = row_runs[y - 1]
        here_i, here_end = row_runs[y]
        while above_i < above_end and here_i < here_end:
            _, a_start, a_end = runs[above_i]
            _, h_start, h_end = runs[here_i]
            if a_start <= h_end and h_start <= a_end:  # overlap, or diagonal contact (ends are exclusive)
                ra, rh = find(above_i), find(here_i)
                if ra != rh:
                    parent[rh] = ra
            if a_end < h_end:
                above_i += 1
            else:
                here_i += 1

    boxes: dict = {}
    for index, (y, start, end) in enumerate(runs):
        root = find(index)
        box = boxes.get(root)
        if box is None:
            boxes[root] = Box(start, y, end, y + 1, end - start)
        else:
            box.x0, box.x1 = min(box.x0, start), max(box.x1, end)
            box.y1 = y + 1
            box.area += end - start
    return list(boxes.values())


def _group(components: List[Box]) -> List[Tuple[Box, int, int]]:
    """Letters as (box, marks above, marks below) from raw strokes."""
    if not components:
        return []
    tallest = max(c.h for c in components)
    largest = max(c.area for c in components)
    bodies = [c for c in components if c.h >= 0.4 * tallest or c.area >= 0.25 * largest]
    marks = [c for c in components if c not in bodies]
    # Strokes of one letter (a k or an x drawn in two strokes) overlap horizontally or almost touch;
    # neighbouring letters barely overlap and leave a gap.
    bodies.sort(key=lambda b: b.x0)
    merged: List[Box] = []
    for body in bodies:
        if merged and (
            merged[-1].x_overlap(body) >= 0.5 * min(merged[-1].w, body.w)
            or body.x0 - merged[-1].x1 < 0.1 * max(merged[-1].h, body.h)
        ):
            merged[-1] = merged[-1].union(body)
        else:
            merged.append(body)
    letters = [[b, 0, 0] for b in merged]
    for mark in marks:
        centre = (mark.x0 + mark.x1) / 2
        near = [l for l in letters if l[0].x0 - 0.3 * l[0].w <= centre <= l[0].x1 + 0.3 * l[0].w]
        if not near:
            continue  # a stray speck beside the letters
        letter = min(near, key=lambda l: abs((l[0].x0 + l[0].x1) / 2 - centre))
        body = letter[0]
        if mark.y1 <= body.y0 + 0.2 * body.h:
            letter[1] += 1
        elif mark.y0 >= body.y1 - 0.2 * body.h:
            letter[2] += 1
        letter[0] = body.union(mark)
    return [(b, above, below) for b, above, below in letters]


def detect_regions(image: Image.Image, max_regions: int = 8) -> List[Region]:
    """Letters on the page, left to right, each with its crop (dark ink on white, square, padded)."""
    gray = image.convert("L")
    width, height = gray.size
    scale = min(1.0, DETECTION_SIDE / max(height, width))
    small_img = gray.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.BILINEAR)
    small = np.asarray(small_img, dtype=np.float32)
    if small.max() - small.min() < 40:
        return []  # a blank page: no contrast, no ink
    inverted = float((small < otsu_threshold(small)).mean()) > 0.5  # the ink is the minority class
    if inverted:
        small = 255.0 - small
    mask = small < otsu_threshold(small)
    min_area = max(6, int(0.0002 * mask.size))
    components = [c for c in connected_components(mask) if c.area >= min_area]
    letters = _group(components)
    letters.sort(key=lambda l: l[0].area, reverse=True)
    letters = sorted(letters[:max_regions], key=lambda l: l[0].x0)

    full = Image.eval(gray, lambda v: 255 - v) if inverted else gray
    regions: List[Region] = []
    for box, above, below in letters:
        x0, y0 = box.x0 / scale, box.y0 / scale
        x1, y1 = box.x1 / scale, box.y1 / scale
        pad = 0.12 * max(x1 - x0, y1 - y0)
        bx0, by0 = max(0, int(x0 - pad)), max(0, int(y0 - pad))
        bx1, by1 = min(width, int(round(x1 + pad))), min(height, int(round(y1 + pad)))
        crop = _square_on_white(full.crop((bx0, by0, bx1, by1)))
        regions.append(Region((bx0, by0, bx1 - bx0, by1 - by0), above, below, crop))
    return regions


def _square_on_white(crop: Image.Image) -> Image.Image:
    """TrOCR resizes to 384x384: centre the letter on a white square so it is not squashed."""
    side = max(crop.size)
    canvas = Image.new("L", (side, side), 255)
    canvas.paste(crop, ((side - crop.size[0]) // 2, (side - crop.size[1]) // 2))
    return canvas.convert("RGB")
