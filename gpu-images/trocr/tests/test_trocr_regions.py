"""The writing-region detector on PIL-drawn pages."""
from PIL import Image, ImageFilter

from bascule_testkit.handwriting import draw_a, draw_c_cedilla, draw_e_acute, draw_i, draw_k_two_strokes, draw_o, page
from trocr_service.regions import connected_components, detect_regions, otsu_threshold

import numpy as np


def contains(bbox, x0, y0, x1, y1):
    x, y, w, h = bbox
    return x <= x0 and y <= y0 and x + w >= x1 and y + h >= y1


def test_one_letter_gives_one_region_around_it():
    image, d = page()
    draw_a(d, 250, 150)
    regions = detect_regions(image)
    assert len(regions) == 1
    assert contains(regions[0].bbox, 250, 150, 350, 250)
    x, y, w, h = regions[0].bbox
    assert w < 200 and h < 200  # tight, not the whole page


def test_letters_are_found_left_to_right():
    image, d = page()
    draw_o(d, 400, 150)
    draw_a(d, 80, 150)
    regions = detect_regions(image)
    assert [r.bbox[0] < 200 for r in regions] == [True, False]


def test_accent_dot_and_cedilla_are_attached_and_counted():
    image, d = page((800, 400))
    draw_e_acute(d, 60, 170)
    draw_i(d, 330, 170)
    draw_c_cedilla(d, 520, 150)
    regions = detect_regions(image)
    assert len(regions) == 3
    assert [(r.marks_above, r.marks_below) for r in regions] == [(1, 0), (1, 0), (0, 1)]
    assert contains(regions[0].bbox, 60, 120, 160, 270)  # the box includes the accent


def test_an_i_without_its_dot_has_no_mark():
    image, d = page()
    draw_i(d, 300, 150, dot=False)
    assert [r.marks_above for r in detect_regions(image)] == [0]


def test_strokes_of_one_letter_are_merged():
    image, d = page()
    draw_k_two_strokes(d, 250, 180)
    assert len(detect_regions(image)) == 1


def test_chalk_on_a_slate_is_read_as_ink():
    image, d = page(paper="#202020")
    draw_a(d, 250, 150, ink="#f0f0f0")
    regions = detect_regions(image)
    assert len(regions) == 1
    crop = np.asarray(regions[0].crop.convert("L"))
    assert crop.mean() > 128  # the crop handed to TrOCR is dark ink on light paper


def test_blank_page_and_specks_give_no_region():
    assert detect_regions(page()[0]) == []
    image, d = page()
    for x in range(50, 550, 60):
        d.point((x, 200), fill="black")
    assert detect_regions(image) == []


def test_photo_noise_and_blur_still_find_the_letter():
    image, d = page()
    draw_a(d, 250, 150)
    rng = np.random.default_rng(1)
    noisy = np.clip(np.asarray(image, dtype=np.float32) + rng.normal(0, 12, (400, 600, 3)), 0, 255).astype(np.uint8)
    blurred = Image.fromarray(noisy).filter(ImageFilter.GaussianBlur(1.5))
    regions = detect_regions(blurred)
    assert len(regions) == 1 and contains(regions[0].bbox, 255, 155, 345, 245)


def test_boxes_are_in_the_original_pixels_of_a_large_photo():
    image, d = page((2400, 1600))
    draw_a(d, 1000, 600, s=400)
    (region,) = detect_regions(image)
    assert contains(region.bbox, 1000, 600, 1400, 1000)
    assert region.bbox[2] < 700


def test_crops_are_square_rgb():
    image, d = page()
    draw_i(d, 300, 150)
    crop = detect_regions(image)[0].crop
    assert crop.mode == "RGB" and crop.size[0] == crop.size[1]


def test_max_regions_keeps_the_biggest():
    image, d = page((900, 300))
    for n, x in enumerate(range(30, 870, 110)):
        draw_o(d, x, 100, s=40 + 6 * n)
    regions = detect_regions(image, max_regions=3)
    assert len(regions) == 3 and all(r.bbox[0] > 500 for r in regions)


def test_building_blocks():
    mask = np.zeros((5, 7), bool)
    mask[0, 0] = mask[1, 1] = True  # diagonal: one 8-connected component
    mask[3:5, 4:7] = True
    boxes = sorted((b.x0, b.y0, b.w, b.h, b.area) for b in connected_components(mask))
    assert boxes == [(0, 0, 2, 2, 2), (4, 3, 3, 2, 6)]
    assert 50 < otsu_threshold(np.array([[30] * 10 + [220] * 10], dtype=np.float32)) < 220


def flood_fill_reference(mask):
    """Pixel-by-pixel 8-connected flood fill: slow but obviously right."""
    h, w = mask.shape
    seen = np.zeros_like(mask)
    found = []
    for y, x in zip(*np.nonzero(mask)):
        if seen[y, x]:
            continue
        stack, pixels = [(y, x)], []
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            pixels.append((cy, cx))
            for ny in (cy - 1, cy, cy + 1):
                for nx in (cx - 1, cx, cx + 1):
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        ys, xs = [p[0] for p in pixels], [p[1] for p in pixels]
        found.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1, len(pixels)))
    return sorted(found)


def test_run_based_labelling_agrees_with_a_flood_fill_on_random_masks():
    for seed in range(100):
        mask = np.random.default_rng(seed).random((20, 30)) < 0.35
        fast = sorted((b.x0, b.y0, b.x1, b.y1, b.area) for b in connected_components(mask))
        assert fast == flood_fill_reference(mask), f"seed {seed}"
