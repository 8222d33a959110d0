"""The degraded-page OCR evaluation set: real Vietnamese text rendered to A4 pages, degraded, with its ground truth.

    .venv/bin/python bench/ingest/ocr_set.py OUT_DIR [--pages 54] [--seed 11]

Text: passages quoted from real public pages, kept in the repository with their source addresses
(``vntext/tests/data/real/refs_real.py`` and ``refs_heldout.py``), plus the real seed pages of
``/work/shared/seeds`` when that folder exists. Nothing here is written for the benchmark.

Each page is one combination of
- a face: Times-like serif (FreeSerif, DejaVu Serif), sans (FreeSans, DejaVu Sans), typewriter (FreeMono);
- one or two columns; 10–12 pt; rendered at 200 or 300 dpi;
- a degradation level: mild / medium / heavy (skew up to ±2°, blur, grain noise, photocopy speckle, uneven light,
  aged yellow paper);
- a file kind: PNG without DPI metadata, JPEG (quality 30–60, no DPI), or an image-only A4 PDF (JPEG inside, as a
  scanner writes it).
OUT_DIR gets ``page-NN.{png,jpg,pdf}``, ``page-NN.gt.txt`` (the text as laid out: column 1, then column 2),
for PDFs ``page-NN.pdf.jpg`` (the image inside, for plain tesseract) and ``manifest.json``.
Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")
FONT_DIRS = [Path("/usr/share/fonts/truetype/freefont"), Path("/usr/share/fonts/truetype/dejavu")]
FACES = [  # (name, file, family)
    ("FreeSerif", "FreeSerif.ttf", "serif"),
    ("DejaVu Serif", "DejaVuSerif.ttf", "serif"),
    ("FreeSans", "FreeSans.ttf", "sans"),
    ("DejaVu Sans", "DejaVuSans.ttf", "sans"),
    ("FreeMono", "FreeMono.ttf", "mono"),
]
KINDS = ("png", "jpeg", "pdf")
LEVELS = ("mild", "medium", "heavy")
A4_CM = (21.0, 29.7)


@dataclass
class Page:
    name: str  # file name
    kind: str  # png | jpeg | pdf
    face: str
    family: str
    columns: int
    level: str
    dpi: int  # rendering resolution (not recorded in the file)
    points: float
    chars: int


def real_paragraphs() -> list[str]:
    """Paragraphs of real text, in a fixed order."""
    sys.path.insert(0, str(ROOT / "vntext" / "tests" / "data" / "real"))
    import refs_heldout
    import refs_real

    paragraphs: list[str] = []
    for _source, text, _labels in refs_real.PASSAGES + refs_heldout.PASSAGES:
        paragraphs.extend(p for p in text.split("\n") if len(p.split()) >= 3)
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            paragraphs.extend(p for p in path.read_text("utf-8").split("\n") if len(p.split()) >= 3)
    # Normalise to NFC and drop characters no face draws (the pages must show exactly the ground truth).
    cleaned = []
    for p in paragraphs:
        p = unicodedata.normalize("NFC", " ".join(p.replace("\u00a0", " ").split()))
        p = "".join(ch for ch in p if ch.isprintable() and ord(ch) < 0x2000 or ch in "“”‘’–—…")
        if p:
            cleaned.append(p)
    return cleaned


def font_path(file: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / file).exists():
            return folder / file
    raise SystemExit("font %s not found (install fonts-freefont-ttf and fonts-dejavu-core)" % file)


def _wrap(words: list[str], font, width: float) -> tuple[str, list[str]]:
    line: list[str] = []
    for i, word in enumerate(words):
        if line and font.getlength(" ".join([*line, word])) > width:
            return " ".join(line), words[i:]
        line.append(word)
    return " ".join(line), []


def render(paragraphs: list[str], start: int, *, face: str, columns: int, dpi: int, points: float,
           fill: float, rng: random.Random):
    """An A4 page image (greyscale) and its ground-truth text (column by column)."""
    from PIL import Image, ImageDraw, ImageFont

    px = lambda cm: int(round(cm / 2.54 * dpi))  # noqa: E731
    width, height = px(A4_CM[0]), px(A4_CM[1])
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_path(face)), size=int(round(points / 72 * dpi)))
    line_h = int(round(points / 72 * dpi * rng.uniform(1.3, 1.6)))
    margin_x, top = px(rng.uniform(2.0, 2.8)), px(rng.uniform(1.8, 2.6))
    gutter = px(1.0)
    col_w = (width - 2 * margin_x - (columns - 1) * gutter) / columns
    bottom = top + int((height - top - px(2.0)) * fill)
    truth: list[str] = []
    k = start
    for col in range(columns):
        x, y = margin_x + col * (col_w + gutter), top
        while y + line_h <= bottom:
            words = paragraphs[k % len(paragraphs)].split()
            k += 1
            while words and y + line_h <= bottom:
                line, words = _wrap(words, font, col_w)
                draw.text((x, y), line, font=font, fill=0)
                truth.append(line)
                y += line_h
            y += line_h // 2  # paragraph gap
    return image, "\n".join(truth), k


def degrade(image, level: str, rng: random.Random, dpi: int):
    """Scanner and photocopier damage with numpy: skew, blur, noise, speckle, uneven light, aged paper."""
    import numpy as np
    from PIL import Image, ImageFilter

    scale = dpi / 300
    strength = {"mild": 0.35, "medium": 0.7, "heavy": 1.0}[level]
    nprng = np.random.default_rng(rng.randrange(1 << 30))
    angle = rng.uniform(-2.0, 2.0) * strength
    image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=False)
    blur = rng.uniform(0.3, 1.1) * strength * scale
    if blur > 0.2:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(image, dtype=np.float32) / 255.0
    h, w = a.shape
    # Ink never pure black, paper never pure white; text contrast drops with the level.
    ink, paper = 0.08 + 0.15 * strength * rng.random(), 0.97 - 0.05 * strength * rng.random()
    a = ink + (paper - ink) * a
    if level != "mild":  # uneven light: a tilted plane and a darker corner
        yy, xx = np.ogrid[0:h, 0:w]
        yy, xx = yy.astype(np.float32), xx.astype(np.float32)
        gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
        light = 1.0 - 0.22 * strength * (0.5 + 0.5 * (gx * (xx / w - 0.5) + gy * (yy / h - 0.5)))
        cx, cy = rng.choice([0, w]), rng.choice([0, h])
        dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.hypot(w, h)
        light *= 1.0 - 0.25 * strength * np.clip(1.0 - dist * 2.5, 0, 1)
        a *= light
    a += nprng.standard_normal(a.shape, dtype=np.float32) * (0.015 + 0.035 * strength)  # grain
    if level != "mild":  # photocopy speckle: dark dots and small blobs
        density = 0.0004 * strength
        dots = nprng.random(a.shape, dtype=np.float32) < density
        a[dots] = nprng.uniform(0.0, 0.4, dots.sum())
        if level == "heavy":
            for _ in range(int(40 * scale)):
                y0, x0 = nprng.integers(0, h - 6), nprng.integers(0, w - 6)
                a[y0:y0 + nprng.integers(2, 5), x0:x0 + nprng.integers(2, 5)] *= 0.3
    a = np.clip(a, 0, 1)
    grey = Image.fromarray((a * 255).astype(np.uint8), "L")
    if level == "heavy" or rng.random() < 0.3:  # aged paper: a yellow-brown tint
        tint = np.array([1.0, rng.uniform(0.9, 0.95), rng.uniform(0.72, 0.82)], dtype=np.float32)
        rgb = (a[..., None] * (tint * 255)[None, None, :]).astype(np.uint8)
        return Image.fromarray(rgb, "RGB")
    return grey


def make_set(out: Path, pages: int = 54, seed: int = 11) -> list[Page]:
    import img2pdf

    out.mkdir(parents=True, exist_ok=True)
    paragraphs = real_paragraphs()
    rng = random.Random(seed)
    start = 0
    made: list[Page] = []
    for i in range(pages):
        kind = KINDS[i % 3]
        columns = 1 + (i // 3) % 2
        level = LEVELS[(i // 6) % 3]
        name_face, file, family = FACES[i % len(FACES)]
        dpi = 300 if rng.random() < 0.7 else 200
        points = rng.choice([10, 10.5, 11, 12]) if family != "mono" else rng.choice([10, 11])
        image, truth, start = render(paragraphs, start, face=file, columns=columns, dpi=dpi, points=points,
                                     fill=rng.uniform(0.45, 0.75), rng=rng)
        image = degrade(image, level, rng, dpi)
        stem = "page-%02d" % (i + 1)
        if kind == "png":
            name = stem + ".png"
            image.save(out / name, format="PNG")  # no pHYs chunk: no DPI
        elif kind == "jpeg":
            name = stem + ".jpg"
            image.save(out / name, format="JPEG", quality=rng.randint(30, 60))
        else:
            name = stem + ".pdf"
            buf = io.BytesIO()
            image.save(buf, format="JPEG", quality=rng.randint(45, 75))
            (out / (name + ".jpg")).write_bytes(buf.getvalue())
            a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
            (out / name).write_bytes(img2pdf.convert(buf.getvalue(), layout_fun=img2pdf.get_layout_fun(a4)))
        (out / (stem + ".gt.txt")).write_text(truth + "\n", "utf-8")
        made.append(Page(name=name, kind=kind, face=name_face, family=family, columns=columns, level=level,
                         dpi=dpi, points=points, chars=len(truth)))
    (out / "manifest.json").write_text(json.dumps([asdict(p) for p in made], ensure_ascii=False, indent=1), "utf-8")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=54)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    made = make_set(args.out, args.pages, args.seed)
    print("%d pages, %d characters of ground truth in %s" % (len(made), sum(p.chars for p in made), args.out))


if __name__ == "__main__":
    main()
