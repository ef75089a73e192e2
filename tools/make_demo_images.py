#!/usr/bin/env python3
"""Draw the demo site's story pictures.

Simple, flat illustrations with no people in them, written into the story bundles under
content/stories/<slug>/ as cover.jpg (and detail.jpg where a story uses one).

- deterministic: every picture uses its own fixed random seed, so re-running the script
  produces identical files;
- 1200x800 JPEG, quality 80, no metadata, kept under 150 KB;
- drawn at twice the size and scaled down, for smooth edges.

The alt texts in the stories' front matter describe what each function draws: if you change
a drawing, change the alt text too.

Usage:  python3 tools/make_demo_images.py [--root PATH]     (needs Pillow: pip install pillow)
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 800
S = 2  # supersampling factor
MAX_BYTES = 150 * 1024


# --------------------------------------------------------------------------------------------
# helpers

def canvas(top, bottom):
    """A vertical gradient background at supersampled size."""
    img = Image.new("RGB", (W * S, H * S), top)
    d = ImageDraw.Draw(img)
    for y in range(H * S):
        t = y / (H * S - 1)
        c = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom))
        d.line([(0, y), (W * S, y)], fill=c)
    return img, d


def p(*xy):
    """Scale logical coordinates to the supersampled canvas."""
    return [v * S for v in xy]


def rect(d, x0, y0, x1, y1, fill, radius=0, outline=None, width=0):
    if radius:
        d.rounded_rectangle(p(x0, y0, x1, y1), radius=radius * S, fill=fill,
                            outline=outline, width=width * S)
    else:
        d.rectangle(p(x0, y0, x1, y1), fill=fill, outline=outline, width=width * S)


def ellipse(d, cx, cy, rx, ry, fill, outline=None, width=0):
    d.ellipse(p(cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=outline,
              width=width * S)


def poly(d, pts, fill, outline=None):
    d.polygon([(x * S, y * S) for x, y in pts], fill=fill, outline=outline)


def line(d, pts, fill, width):
    d.line([(x * S, y * S) for x, y in pts], fill=fill, width=width * S, joint="curve")


def wood(d, rng, x0, y0, x1, y1, base, dark):
    """A plank surface with faint grain lines."""
    rect(d, x0, y0, x1, y1, base)
    for _ in range(int((y1 - y0) / 9)):
        y = rng.uniform(y0 + 4, y1 - 4)
        xa = rng.uniform(x0, x1 - 200)
        line(d, [(xa, y), (xa + rng.uniform(120, 420), y + rng.uniform(-2, 2))], dark, 2)


def finish(img, path: Path):
    img = img.resize((W, H), Image.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(0.3))
    for q in (80, 76, 72, 68, 64):
        buf = io.BytesIO()
        # No exif/icc arguments: the file carries no metadata at all.
        img.save(buf, "JPEG", quality=q, optimize=True, progressive=True)
        if buf.tell() <= MAX_BYTES:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    print(f"{path}  {buf.tell() // 1024} KB  (quality {q})")


# --------------------------------------------------------------------------------------------
# drawings

def kitchen_counter(path):
    """Kitchen counter: cutting board with tomatoes, peppers, a courgette and a knife,
    tiled wall behind."""
    rng = random.Random(101)
    img, d = canvas((236, 230, 218), (226, 218, 204))
    # tiled wall
    for y in range(0, 430, 60):
        for x in range(-30 if (y // 60) % 2 else 0, W, 90):
            rect(d, x + 3, y + 3, x + 87, y + 57, (244, 241, 234), radius=4)
    # counter
    wood(d, rng, 0, 430, W, H, (196, 150, 104), (176, 130, 88))
    rect(d, 0, 422, W, 438, (160, 116, 76))
    # cutting board
    rect(d, 230, 480, 860, 740, (226, 190, 140), radius=26)
    ellipse(d, 820, 520, 14, 14, (196, 150, 104))
    # tomatoes
    for cx, cy, r in [(330, 560, 58), (440, 600, 50), (350, 670, 44)]:
        ellipse(d, cx, cy, r, r * 0.92, (214, 58, 44))
        ellipse(d, cx - r * 0.3, cy - r * 0.35, r * 0.22, r * 0.14, (236, 120, 100))
        poly(d, [(cx - 16, cy - r * 0.85), (cx, cy - r * 0.7), (cx + 16, cy - r * 0.85),
                 (cx + 6, cy - r * 0.6), (cx - 6, cy - r * 0.6)], (70, 130, 60))
    # peppers
    for cx, cy, col in [(580, 580, (240, 190, 40)), (680, 620, (60, 150, 70))]:
        ellipse(d, cx, cy, 62, 74, col)
        ellipse(d, cx - 26, cy + 6, 26, 60, tuple(min(255, c + 25) for c in col))
        rect(d, cx - 8, cy - 100, cx + 8, cy - 66, (70, 110, 50), radius=6)
    # courgette slices
    for i in range(5):
        cx = 520 + i * 48
        ellipse(d, cx, 700, 22, 22, (80, 140, 70))
        ellipse(d, cx, 700, 16, 16, (226, 236, 170))
    # knife
    poly(d, [(880, 640), (1120, 600), (1130, 612), (890, 668)], (205, 210, 216))
    rect(d, 1090, 585, 1180, 625, (60, 50, 45), radius=10)
    # basil pot on the wall shelf
    rect(d, 960, 300, 1160, 318, (170, 130, 90))
    poly(d, [(1000, 318), (1120, 318), (1105, 420), (1015, 420)], (196, 100, 60))
    for _ in range(14):
        a = rng.uniform(-2.6, -0.5)
        ellipse(d, 1060 + math.cos(a) * rng.uniform(20, 70), 300 + math.sin(a) * rng.uniform(20, 70),
                22, 14, (80, 150, 70))
    finish(img, path)


def stove_pot(path):
    """Stove top with a steaming pot and a wooden spoon resting beside it."""
    rng = random.Random(102)
    img, d = canvas((232, 228, 222), (210, 206, 200))
    rect(d, 0, 520, W, H, (70, 74, 80))
    rect(d, 0, 510, W, 530, (120, 124, 130))
    # burners
    for cx in (300, 880):
        ellipse(d, cx, 600, 150, 40, (40, 42, 46))
        ellipse(d, cx, 600, 110, 28, (30, 32, 36))
    # pot
    rect(d, 170, 330, 430, 590, (180, 186, 194), radius=18)
    rect(d, 150, 318, 450, 346, (150, 156, 164), radius=12)
    rect(d, 120, 380, 172, 400, (90, 94, 100), radius=8)
    rect(d, 428, 380, 480, 400, (90, 94, 100), radius=8)
    # steam
    for k in range(3):
        x = 240 + k * 60
        pts = [(x + 18 * math.sin(t / 9 + k), 300 - t * 4) for t in range(0, 50)]
        line(d, pts, (250, 250, 250), 8)
    # small pan with sauce
    ellipse(d, 880, 560, 170, 48, (60, 62, 66))
    ellipse(d, 880, 552, 150, 38, (190, 60, 40))
    rect(d, 1040, 540, 1190, 560, (50, 50, 54), radius=8)
    # wooden spoon
    line(d, [(560, 500), (720, 360)], (186, 140, 90), 14)
    ellipse(d, 545, 512, 30, 20, (186, 140, 90))
    # herbs jar on the back wall
    rect(d, 640, 140, 760, 300, (214, 230, 226), radius=20)
    for _ in range(10):
        ellipse(d, rng.uniform(660, 740), rng.uniform(180, 280), 12, 7, (90, 150, 80))
    finish(img, path)


def workbench(path):
    """Workshop: pegboard wall with hammer, wrench, saw and pliers; workbench with a vice
    and a plank."""
    rng = random.Random(201)
    img, d = canvas((214, 224, 230), (196, 208, 216))
    # pegboard
    rect(d, 80, 60, 1120, 470, (205, 170, 120), radius=8)
    for y in range(90, 460, 36):
        for x in range(110, 1110, 36):
            ellipse(d, x, y, 4, 4, (170, 135, 90))
    # hammer
    rect(d, 180, 140, 200, 400, (150, 100, 60), radius=6)
    rect(d, 140, 120, 250, 160, (90, 94, 100), radius=6)
    # wrench
    line(d, [(330, 130), (330, 400)], (150, 156, 166), 22)
    ellipse(d, 330, 125, 34, 34, (150, 156, 166))
    rect(d, 320, 90, 340, 125, (205, 170, 120))
    ellipse(d, 330, 405, 26, 26, (150, 156, 166))
    # saw
    poly(d, [(430, 150), (720, 170), (720, 240), (430, 200)], (190, 196, 204))
    for x in range(440, 720, 14):
        poly(d, [(x, 200 + (x - 430) * 0.13), (x + 7, 212 + (x - 430) * 0.13),
                 (x + 14, 202 + (x - 430) * 0.13)], (190, 196, 204))
    rect(d, 380, 130, 450, 220, (40, 110, 150), radius=16)
    # pliers
    line(d, [(830, 140), (800, 400)], (200, 60, 50), 18)
    line(d, [(850, 140), (880, 400)], (200, 60, 50), 18)
    ellipse(d, 840, 150, 22, 30, (110, 116, 124))
    # screwdrivers
    for i, col in enumerate([(240, 190, 40), (40, 130, 90), (40, 110, 150)]):
        x = 960 + i * 50
        rect(d, x - 12, 140, x + 12, 240, col, radius=8)
        rect(d, x - 4, 240, x + 4, 400, (150, 156, 166))
    # bench
    wood(d, rng, 0, 520, W, 620, (170, 120, 72), (146, 100, 60))
    rect(d, 60, 620, 110, H, (120, 84, 52))
    rect(d, 1090, 620, 1140, H, (120, 84, 52))
    rect(d, 0, 740, W, H, (120, 124, 130))
    # vice
    rect(d, 140, 440, 320, 520, (50, 90, 130), radius=8)
    rect(d, 320, 470, 420, 486, (150, 156, 166))
    # plank with shavings
    rect(d, 520, 480, 1000, 520, (226, 196, 150))
    for _ in range(9):
        cx, cy = rng.uniform(560, 1000), rng.uniform(530, 600)
        d.arc(p(cx - 18, cy - 10, cx + 18, cy + 10), 0, 300, fill=(236, 210, 160), width=5 * S)
    finish(img, path)


def greenhouse(path):
    """Inside a greenhouse: arched frame, rows of green seedlings on raised beds, a watering
    can, sunlight through the roof."""
    rng = random.Random(301)
    img, d = canvas((226, 240, 246), (238, 244, 232))
    # sun glow
    for r, c in [(180, (250, 244, 214)), (120, (252, 236, 180)), (70, (252, 224, 140))]:
        ellipse(d, 980, 120, r, r, c)
    # arched frame seen from inside: three arches one behind the other
    for k, (inset, col) in enumerate([(0, (130, 150, 150)), (110, (150, 170, 170)),
                                      (200, (170, 188, 188))]):
        d.arc(p(-80 + inset, 10 + inset * 0.6, W + 80 - inset, 860), 180, 360,
              fill=col, width=(8 - 2 * k) * S)
    # ground
    rect(d, 0, 430, W, H, (150, 116, 86))
    # raised beds with seedlings
    for row, (y, h) in enumerate([(450, 70), (560, 90), (690, 110)]):
        rect(d, 40, y, 1160, y + h, (110, 80, 56), radius=8)
        n = 14 - row * 3
        for k in range(n):
            cx = 80 + k * (1080 / (n - 1)) * 0.96 + rng.uniform(-6, 6)
            size = 16 + row * 10
            stem_top = y - size * 0.9
            line(d, [(cx, y + 6), (cx, stem_top)], (70, 120, 60), 3 + row)
            ellipse(d, cx - size * 0.6, stem_top, size * 0.7, size * 0.35, (90, 160, 80))
            ellipse(d, cx + size * 0.6, stem_top - 4, size * 0.7, size * 0.35, (110, 176, 90))
            if row == 2 and k % 2 == 0:
                ellipse(d, cx, stem_top + 24, 12, 12, (214, 70, 50))
    # watering can
    rect(d, 960, 330, 1090, 430, (40, 130, 150), radius=14)
    line(d, [(960, 360), (890, 320)], (40, 130, 150), 14)
    d.arc(p(990, 290, 1070, 370), 180, 360, fill=(40, 130, 150), width=10 * S)
    finish(img, path)


def crates_detail(path):
    """Detail: wooden crates full of tomatoes and courgettes on the greenhouse floor."""
    rng = random.Random(302)
    img, d = canvas((238, 240, 228), (200, 176, 140))
    rect(d, 0, 560, W, H, (150, 116, 86))
    for i, (x, veg) in enumerate([(120, "tomato"), (500, "courgette"), (860, "tomato")]):
        y = 330 + (i % 2) * 30
        for cx in range(0, 40):
            vx, vy = x + rng.uniform(20, 300), y + rng.uniform(-40, 30)
            if veg == "tomato":
                ellipse(d, vx, vy, 30, 27, (210 + rng.randint(-10, 20), 60, 44))
            else:
                ellipse(d, vx, vy, 60, 18, (70 + rng.randint(-10, 20), 130, 64))
        rect(d, x, y, x + 320, y + 260, (196, 150, 96), radius=6)
        for k in range(4):
            rect(d, x, y + 20 + k * 60, x + 320, y + 60 + k * 60, (214, 172, 116), radius=4)
    finish(img, path)


def notebook(path):
    """Desk seen from above: open lined notebook with handwriting-like strokes, a pen,
    a cup of tea and a few coloured index cards."""
    rng = random.Random(401)
    img, d = canvas((120, 150, 170), (104, 134, 156))
    # index cards
    for x, y, col in [(60, 80, (250, 220, 120)), (140, 560, (240, 160, 140)),
                      (980, 560, (170, 210, 170))]:
        rect(d, x, y, x + 180, y + 120, col, radius=6)
        for k in range(3):
            line(d, [(x + 20, y + 30 + k * 30), (x + 150 - k * 30, y + 30 + k * 30)],
                 (120, 110, 100), 3)
    # notebook
    rect(d, 300, 120, 900, 700, (60, 70, 90), radius=14)
    rect(d, 315, 132, 598, 688, (252, 250, 244), radius=8)
    rect(d, 602, 132, 885, 688, (252, 250, 244), radius=8)
    for y in range(180, 670, 34):
        line(d, [(330, y), (585, y)], (190, 210, 226), 2)
        line(d, [(615, y), (870, y)], (190, 210, 226), 2)
    # handwriting-like strokes on the left page
    for y in range(180, 470, 34):
        x = 340
        while x < 560:
            w = rng.uniform(18, 60)
            pts = [(x + t, y - 8 + 5 * math.sin(t / 4 + y)) for t in range(0, int(w), 3)]
            if len(pts) > 1:
                line(d, pts, (40, 60, 120), 3)
            x += w + rng.uniform(8, 16)
    # pen
    poly(d, [(700, 520), (1010, 300), (1024, 318), (714, 540)], (200, 60, 50))
    poly(d, [(700, 520), (714, 540), (684, 548)], (230, 210, 170))
    # tea cup
    ellipse(d, 1040, 170, 100, 100, (244, 244, 240))
    ellipse(d, 1040, 170, 78, 78, (180, 120, 60))
    rect(d, 1130, 150, 1180, 190, (244, 244, 240), radius=16)
    finish(img, path)


def help_desk(path):
    """Counter of a service desk: two empty chairs facing each other across a desk with
    folders and a laptop; two speech-bubble shapes in different colours above."""
    rng = random.Random(501)
    img, d = canvas((232, 238, 242), (214, 224, 232))
    # speech bubbles
    rect(d, 230, 70, 560, 230, (40, 110, 150), radius=40)
    poly(d, [(330, 228), (380, 228), (320, 290)], (40, 110, 150))
    rect(d, 640, 110, 970, 270, (230, 150, 60), radius=40)
    poly(d, [(860, 268), (910, 268), (920, 330)], (230, 150, 60))
    for k in range(3):
        rect(d, 270, 110 + k * 34, 520 - k * 50, 126 + k * 34, (220, 236, 246), radius=8)
        rect(d, 680, 150 + k * 34, 930 - k * 40, 166 + k * 34, (252, 236, 214), radius=8)
    # floor
    rect(d, 0, 620, W, H, (196, 200, 206))
    # desk
    rect(d, 330, 420, 870, 450, (170, 120, 72), radius=6)
    rect(d, 360, 450, 390, 660, (140, 96, 60))
    rect(d, 810, 450, 840, 660, (140, 96, 60))
    # laptop
    poly(d, [(520, 420), (680, 420), (700, 412), (500, 412)], (80, 84, 90))
    poly(d, [(530, 412), (670, 412), (650, 320), (550, 320)], (60, 64, 70))
    # folders
    for k, col in enumerate([(200, 60, 50), (40, 130, 90), (240, 190, 40)]):
        rect(d, 380 + k * 8, 396 - k * 12, 480 + k * 8, 408 - k * 12, col, radius=3)
    # chairs
    for x, flip in ((180, 1), (1020, -1)):
        rect(d, x - 60, 520, x + 60, 545, (50, 90, 130), radius=8)
        back = x - 70 * flip
        rect(d, min(back, back + 20 * flip) - 5, 380, max(back, back + 20 * flip) + 5, 545,
             (50, 90, 130), radius=8)
        rect(d, x - 50, 545, x - 40, 650, (90, 94, 100))
        rect(d, x + 40, 545, x + 50, 650, (90, 94, 100))
    # plant
    rect(d, 1080, 330, 1150, 420, (196, 100, 60), radius=6)
    for _ in range(12):
        ellipse(d, 1115 + rng.uniform(-50, 50), 300 + rng.uniform(-60, 20), 18, 10, (80, 150, 70))
    finish(img, path)


def street_map(path):
    """Stylised town map: streets, blocks, a river and a green park, with a bunch of keys
    lying on top."""
    rng = random.Random(601)
    img, d = canvas((240, 236, 226), (232, 226, 214))
    # blocks
    for y in range(30, H, 130):
        for x in range(20, W, 170):
            if rng.random() < 0.12:
                rect(d, x, y, x + 150, y + 110, (176, 214, 170), radius=10)  # park
            else:
                shade = rng.randint(-10, 10)
                rect(d, x, y, x + 150, y + 110, (222 + shade, 214 + shade, 200 + shade),
                     radius=6)
    # river
    pts = [(-20, 560)] + [(x, 560 + 50 * math.sin(x / 170)) for x in range(0, W + 40, 20)]
    line(d, pts, (150, 196, 222), 46)
    # main streets
    line(d, [(0, 160), (W, 290)], (252, 250, 246), 26)
    line(d, [(420, 0), (560, H)], (252, 250, 246), 26)
    line(d, [(900, 0), (820, H)], (252, 250, 246), 20)
    # route marker line
    line(d, [(150, 700), (480, 430), (700, 360), (940, 220)], (214, 80, 60), 8)
    ellipse(d, 150, 700, 16, 16, (214, 80, 60))
    ellipse(d, 940, 220, 22, 22, (214, 80, 60))
    ellipse(d, 940, 220, 9, 9, (252, 250, 246))
    # keys on a ring
    ellipse(d, 640, 600, 56, 56, None, outline=(120, 124, 130), width=8)
    for ang, col in [(-0.3, (214, 170, 60)), (0.5, (176, 180, 188))]:
        cx, cy = 640 + math.cos(ang) * 56, 600 + math.sin(ang) * 56
        ex, ey = cx + math.cos(ang) * 190, cy + math.sin(ang) * 190
        ellipse(d, cx + math.cos(ang) * 30, cy + math.sin(ang) * 30, 34, 34, col)
        ellipse(d, cx + math.cos(ang) * 30, cy + math.sin(ang) * 30, 12, 12,
                (240, 236, 226))
        line(d, [(cx + math.cos(ang) * 60, cy + math.sin(ang) * 60), (ex, ey)], col, 20)
        for t in (0.55, 0.75, 0.9):
            tx = cx + math.cos(ang) * 60 + (ex - cx - math.cos(ang) * 60) * t
            ty = cy + math.sin(ang) * 60 + (ey - cy - math.sin(ang) * 60) * t
            nx, ny = -math.sin(ang), math.cos(ang)
            line(d, [(tx, ty), (tx + nx * 26, ty + ny * 26)], col, 12)
    finish(img, path)


# story slug -> {file name: drawing}
PICTURES = {
    "dal-tirocinio-in-cucina-al-contratto": {"cover.jpg": kitchen_counter,
                                             "detail.jpg": stove_pot},
    "un-laboratorio-che-apre-le-porte": {"cover.jpg": workbench},
    "dalla-comunita-alla-serra": {"cover.jpg": greenhouse, "detail.jpg": crates_detail},
    "italiano-e-competenze-al-centro-per-l-impiego": {"cover.jpg": notebook},
    "il-mediatore-allo-sportello": {"cover.jpg": help_desk},
    "dopo-l-accoglienza-una-casa-e-un-lavoro": {"cover.jpg": street_map},
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=Path(__file__).resolve().parent.parent, type=Path,
                    help="site root (default: the repository root)")
    args = ap.parse_args(argv)
    stories = args.root / "content" / "stories"
    for slug, files in PICTURES.items():
        for name, draw in files.items():
            draw(stories / slug / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
