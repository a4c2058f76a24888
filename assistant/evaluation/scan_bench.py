"""`bench --ocr-pages N`: how fast scanned pages are read, and how many characters OCR gets right.

N A4 pages are drawn from a sample report's text as a scanner would give them (200 dpi grey images,
an image-only PDF, the CJK font the charts use), then parsed as any upload is. The figure is seconds
per page (from the page-by-page progress), beside the character accuracy of the text read (before
cleaning, so a line lifted as the title still counts) against the drawn text.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from ingest.loading import load_document

from assistant.config.settings import SAMPLES_DIR

DPI = 200
PAGE_PT = (595, 842)  # A4
MARGIN_PT, SIZE_PT, LEADING_PT = 80, 15, 28
CHARS_PER_LINE = 28


def _cjk_font() -> str | None:
    """A font that draws Chinese (the one the charts use), or None when the machine has none."""
    from matplotlib import font_manager

    for family in ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC"):
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    return None


def _pages_of_text(pages: int) -> list[list[str]]:
    """Lines for `pages` pages: the samples' paragraphs wrapped at 28 characters, first lines indented."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.txt")))
    per_page = (PAGE_PT[1] - 2 * MARGIN_PT) // LEADING_PT
    lines: list[str] = []
    for paragraph in (line.strip() for line in source.splitlines()):
        if not paragraph:
            continue
        text = "\u3000\u3000" + paragraph
        lines.extend(text[i : i + CHARS_PER_LINE] for i in range(0, len(text), CHARS_PER_LINE))
        if len(lines) >= pages * per_page:
            break
    return [lines[i * per_page : (i + 1) * per_page] for i in range(pages)]


def make_scan(pages: int, path: Path, font_path: str) -> str:
    """Write an image-only PDF of `pages` pages; return the text drawn on them."""
    from PIL import Image, ImageDraw, ImageFont

    scale = DPI / 72
    font = ImageFont.truetype(font_path, round(SIZE_PT * scale), index=_sc_index(font_path))
    images, drawn = [], []
    for lines in _pages_of_text(pages):
        image = Image.new("L", (round(PAGE_PT[0] * scale), round(PAGE_PT[1] * scale)), 255)
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((MARGIN_PT * scale, (MARGIN_PT + number * LEADING_PT) * scale), line, font=font, fill=0)
        images.append(image)
        drawn.extend(lines)
    images[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return "".join(drawn)


def _sc_index(font_path: str) -> int:
    """Simplified Chinese glyphs inside a CJK collection (Noto's .ttc holds JP, KR, SC, TC, HK faces)."""
    from PIL import ImageFont

    if not font_path.endswith(".ttc"):
        return 0
    for index in range(8):
        try:
            if ImageFont.truetype(font_path, 12, index=index).getname()[0].endswith(" SC"):
                return index
        except OSError:
            break
    return 0


def _form(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def measure_ocr(pages: int, work_dir: Path) -> dict:
    """Parse an N-page scan; seconds per page and character accuracy (when rapidfuzz is installed)."""
    font_path = _cjk_font()
    if font_path is None:
        return {"ocr_skipped": "no CJK font on this machine to draw the scan with"}
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "scan.pdf"
    drawn = make_scan(pages, path, font_path)
    marks: list[float] = []
    started = time.perf_counter()
    loaded = load_document(path, path.read_bytes(), on_page=lambda done, total: marks.append(time.perf_counter()))
    seconds = time.perf_counter() - started
    per_page = sorted(b - a for a, b in zip([started, *marks], marks))
    figures = {"ocr_pages": pages, "ocr_seconds": round(seconds, 1), "ocr_s_per_page": round(seconds / pages, 2),
               "ocr_s_per_page_median": round(per_page[len(per_page) // 2], 2)}
    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        return figures
    read = _form(loaded.text)
    expected = _form(drawn)
    figures["ocr_char_accuracy"] = round(1 - Levenshtein.distance(expected, read) / len(expected), 4)
    return figures
