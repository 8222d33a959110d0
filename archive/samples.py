"""Generators of realistic sample files (tests, the demo and the benchmark use them; no files committed)."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF = FONT_DIR / "DejaVuSerif.ttf"


def make_docx(path: Path, lines: Sequence[str], *, title: str = "") -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


def make_odt(path: Path, lines: Sequence[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for line in lines:
        document.text.addElement(P(text=line))
    document.save(str(path))
    return path


def make_text_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A born-digital PDF with a real text layer (DejaVu Serif embedded, Vietnamese intact)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVuSerif", "", str(SERIF))
    pdf.set_font("DejaVuSerif", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def render_page(lines: Sequence[str], *, dpi: int = 150, width_cm: float = 21.0, height_cm: float = 12.0,
                noise: bool = True) -> object:
    """A page image as a scanner would give it (greyscale, slight skew and speckles)."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    px = lambda cm: int(cm / 2.54 * dpi)  # noqa: E731
    image = Image.new("L", (px(width_cm), px(height_cm)), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SERIF), size=int(dpi * 0.16))
    y = px(1.5)
    for line in lines:
        draw.text((px(2.0), y), line, font=font, fill=20)
        y += int(dpi * 0.28)
    if noise:
        rng = random.Random(len(lines))
        for _ in range(300):
            x0, y0 = rng.randrange(image.width), rng.randrange(image.height)
            image.putpixel((x0, y0), rng.randrange(0, 120))
        image = image.rotate(0.4, fillcolor=250, resample=Image.BICUBIC)
    return image


def make_scan_pdf(path: Path, pages: Sequence[Sequence[str]], *, dpi: int = 150) -> Path:
    import img2pdf

    blobs = []
    for lines in pages:
        out = io.BytesIO()
        render_page(lines, dpi=dpi).save(out, format="PNG", dpi=(dpi, dpi))
        blobs.append(out.getvalue())
    path.write_bytes(img2pdf.convert(blobs))
    return path


def make_scan_tiff(path: Path, pages: Sequence[Sequence[str]], *, dpi: int = 150) -> Path:
    images = [render_page(lines, dpi=dpi) for lines in pages]
    images[0].save(path, format="TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                   compression="tiff_lzw")
    return path


def make_photo(path: Path, *, seed: int = 1, size: tuple[int, int] = (640, 427)) -> Path:
    """A photo-like JPEG: gradients and shapes, no text."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        shade = int(120 + 100 * y / size[1])
        draw.line([(0, y), (size[0], y)], fill=(shade // 2, shade, 200 - shade // 3))
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1] // 2, size[1])
        r = rng.randrange(20, 80)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randrange(40, 120), rng.randrange(80, 160), 40))
    image = image.filter(ImageFilter.GaussianBlur(2))
    image.save(path, format="JPEG", quality=85)
    return path


CHROME_TOP = """<header><div class="logo">Cổng thông tin điện tử Đảng bộ tỉnh</div>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản</a></li>
<li><a href="/lich-su">Lịch sử Đảng bộ</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></div></header>"""

CHROME_SIDE = """<aside><h3>Tin khác cùng chủ đề</h3><ul>
<li><a href="/a1">Phát huy chủ nghĩa anh hùng cách mạng Việt Nam trong thời kỳ mới</a></li>
<li><a href="/a2">Tiếp tục đổi mới phương thức lãnh đạo, cầm quyền của Đảng</a></li>
<li><a href="/a3">HỘI THẢO KHOA HỌC KHÁNH HÒA 370 NĂM XÂY DỰNG VÀ PHÁT TRIỂN (1653 - 2023)</a></li></ul>
<h3>Văn bản mới</h3><ul><li>Số 1184-CV/BTGTU 11/04/2024 Tuyên truyền Kỷ niệm 70 năm Ngày ký Hiệp định Giơnevơ</li>
<li>Số 173-HD/BTGTU 05/04/2024 Hướng dẫn Báo chí tuyên truyền</li></ul>
<h3>Thống kê truy cập</h3><ul class="counter"><li>002761788</li><li>Đang online: 95</li>
<li>Trong tuần: 26.889</li><li>Trong tháng: 60.739</li><li>Trong năm: 462.829</li></ul></aside>"""

CHROME_FOOT = """<footer><p>Bản quyền thuộc Ban Tuyên giáo Tỉnh ủy. Ghi rõ nguồn khi phát hành lại thông tin.</p>
<p>Lượt xem: 192</p><div class="share">Chia sẻ: Facebook | Zalo | In trang</div></footer>"""


def make_article_html(title: str, paragraphs: Sequence[str], *, date: str = "", author: str = "",
                      url: str = "", site: str = "Ban Tuyên giáo Tỉnh ủy") -> str:
    """A news page as a provincial Party site publishes it, with its menus, side lists and counters."""
    esc = html.escape
    meta = [f'<meta property="og:title" content="{esc(title)}">', f'<meta property="og:site_name" content="{esc(site)}">']
    if date:
        meta.append(f'<meta property="article:published_time" content="{esc(date)}">')
    if author:
        meta.append(f'<meta name="author" content="{esc(author)}">')
    if url:
        meta.append(f'<link rel="canonical" href="{esc(url)}">')
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs if p.strip())
    byline = f'<p class="author"><strong>{esc(author)}</strong></p>' if author else ""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{esc(title)}</title>
{"".join(meta)}</head><body>{CHROME_TOP}
<main><article><h1>{esc(title)}</h1><div class="date">{esc(date)}</div>
<div class="content">{body}</div>{byline}</article></main>
{CHROME_SIDE}{CHROME_FOOT}</body></html>"""


def bomb_png(path: Path, *, width: int = 40000, height: int = 40000) -> Path:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    idat = zlib.compress(row * 64, 9)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def zip_bomb_docx(path: Path, *, unzipped: int = 400 * 1024 * 1024) -> Path:
    """A DOCX-looking package whose document.xml inflates to ``unzipped`` bytes."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            block = b"\x00" * (1024 * 1024)
            for _ in range(unzipped // len(block)):
                stream.write(block)
    return path
