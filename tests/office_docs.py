"""Build a report as offices publish it, from its plain text: a laid-out PDF (red header, running header,
page numbers, justified lines with first-line indents, paragraphs broken across pages, a signature and
a 版记), the same pages scanned (images, no text layer), and a Word file whose 一、（一）1.（1） numbers
are Word's automatic numbering, not text.

One layout places every character; the PDF draws it as text (reportlab, a CJK CID font), the scan as
pixels (Pillow, Noto Sans CJK), so both show the same pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
LEFT, RIGHT = 88.0, 508.0
SIZE = 15.0  # body font size: 28 characters a line
LEADING = 28.0
BODY_TOP, BODY_BOTTOM = 100.0, 752.0
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SC = 2  # Noto Sans CJK SC inside the collection
NUMBERED = [  # (level, pattern of the label as the text writes it)
    (0, re.compile(r"^[一二三四五六七八九十]+、")),
    (1, re.compile(r"^（[一二三四五六七八九十]+）")),
    (2, re.compile(r"^\d+\.(?!\d)")),
    (3, re.compile(r"^（\d+）")),
]
PAGE_NUMBER_STYLES = {"dash": "— {n} —", "hyphen": "- {n} -", "chinese": "第{n}页", "fraction": "{n}/{total}"}


@dataclass
class Glyph:
    char: str
    x: float
    top: float  # from the page's top edge
    size: float
    red: bool = False


@dataclass
class Page:
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top0, x1, top1


@dataclass
class Laid:
    pages: list[Page]
    breaks_across_pages: int = 0  # paragraphs whose lines are on two pages
    wraps_after_stop: int = 0  # lines wrapped right after a 。 inside a paragraph


def _width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5


def _wrap(text: str, first_indent: int) -> list[list[str]]:
    lines, current, room = [], [], (RIGHT - LEFT) / SIZE - first_indent
    for char in text:
        if sum(_width(c) for c in current) + _width(char) > room:
            lines.append(current)
            current, room = [], (RIGHT - LEFT) / SIZE
        current.append(char)
    lines.append(current)
    return lines


def lay_out(title: str, issuer: str, doc_number: str, body: list[str], signer: str, date: str,
            copies: list[str], running: str, page_numbers: str = "dash", table_rows: int = 0) -> Laid:
    """Pages of an office document. `body` lines are paragraphs; lines with ' | ' are table rows."""
    laid = Laid([Page()])
    state = {"top": 0.0}

    def page() -> Page:
        return laid.pages[-1]

    def text_at(chars, x: float, top: float, size: float, spacing: float = 0.0, red: bool = False) -> None:
        for char in chars:
            page().glyphs.append(Glyph(char, x, top, size, red))
            x += _width(char) * size + spacing

    def centred(text: str, top: float, size: float, red: bool = False) -> None:
        width = sum(_width(c) for c in text) * size
        text_at(text, (PAGE_W - width) / 2, top, size, red=red)

    def new_page() -> None:
        laid.pages.append(Page())
        state["top"] = BODY_TOP

    def line_slot() -> float:
        if state["top"] + LEADING > BODY_BOTTOM:
            new_page()
        top = state["top"]
        state["top"] += LEADING
        return top

    # Red header, 文号, the red rule, the title (two lines when long).
    centred(issuer + "文件", 70, 30, red=True)
    centred(doc_number, 150, SIZE)
    page().rules.append((LEFT - 10, 180, RIGHT + 10, 180))
    half = (len(title) + 1) // 2 if len(title) > 20 else len(title)
    centred(title[:half], 210, 20)
    if title[half:]:
        centred(title[half:], 245, 20)
    state["top"] = 290
    for index, paragraph in enumerate(body):
        if " | " in paragraph:
            cells = paragraph.split(" | ")
            top = line_slot()
            column = (RIGHT - LEFT) / len(cells)
            for number, cell in enumerate(cells):
                text_at(cell, LEFT + number * column + 6, top, SIZE)
            for number in range(len(cells) + 1):
                page().rules.append((LEFT + number * column, top - 6, LEFT + number * column, top + LEADING - 6))
            page().rules.append((LEFT, top - 6, RIGHT, top - 6))
            page().rules.append((LEFT, top + LEADING - 6, RIGHT, top + LEADING - 6))
            continue
        addressee = index == 0 and paragraph.endswith("：")
        wrapped = _wrap(paragraph, 0 if addressee else 2)
        pages_before = len(laid.pages)
        for number, chars in enumerate(wrapped):
            top = line_slot()
            indent = 0 if addressee or number else 2 * SIZE
            last = number == len(wrapped) - 1
            natural = sum(_width(c) for c in chars) * SIZE
            spacing = 0.0 if last or len(chars) < 2 else (RIGHT - LEFT - indent - natural) / (len(chars) - 1)
            text_at(chars, LEFT + indent, top, SIZE, spacing)
            if not last and chars[-1] == "。":
                laid.wraps_after_stop += 1
        laid.breaks_across_pages += len(laid.pages) > pages_before and len(wrapped) > 1
    # Signature, date, 版记.
    state["top"] += LEADING
    for text in (signer, date):
        top = line_slot()
        text_at(text, RIGHT - 2 * SIZE - sum(_width(c) for c in text) * SIZE, top, SIZE)
    if state["top"] + LEADING * (len(copies) + 1) > BODY_BOTTOM:
        new_page()
    state["top"] = BODY_BOTTOM - LEADING * len(copies)
    for text in copies:
        top = line_slot()
        page().rules.append((LEFT, top - 6, RIGHT, top - 6))
        if "印发" in text:
            office, _, when = text.partition("  ")
            text_at(office, LEFT + SIZE, top, SIZE)
            text_at(when, RIGHT - SIZE - sum(_width(c) for c in when) * SIZE, top, SIZE)
        else:
            text_at(text, LEFT + SIZE, top, SIZE)
    total = len(laid.pages)
    for number, each in enumerate(laid.pages, 1):
        label = PAGE_NUMBER_STYLES[page_numbers].format(n=number, total=total)
        width = sum(_width(c) for c in label) * 13
        each.glyphs.extend(Glyph(c, (PAGE_W - width) / 2 + i * 0, 800, 13) for i, c in enumerate(label))
        _respace(each.glyphs[-len(label):], 13)
        if number > 1:
            head_width = sum(_width(c) for c in running) * 10.5
            start = (PAGE_W - head_width) / 2
            for char in running:
                each.glyphs.append(Glyph(char, start, 45, 10.5))
                start += _width(char) * 10.5
            each.rules.append((LEFT, 62, RIGHT, 62))
    return laid


def _respace(glyphs: list[Glyph], size: float) -> None:
    x = glyphs[0].x
    for glyph in glyphs:
        glyph.x = x
        x += _width(glyph.char) * size


def write_pdf(laid: Laid, path: Path) -> Path:
    """The pages as a PDF with a text layer (STSong-Light, a CID font every reader has)."""
    from reportlab.lib.colors import black, red
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for page in laid.pages:
        for x0, t0, x1, t1 in page.rules:
            c.line(x0, PAGE_H - t0, x1, PAGE_H - t1)
        for glyph in page.glyphs:
            c.setFillColor(red if glyph.red else black)
            c.setFont("STSong-Light", glyph.size)
            c.drawString(glyph.x, PAGE_H - glyph.top - glyph.size * 0.88, glyph.char)
        c.showPage()
    c.save()
    return path


def page_images(laid: Laid, dpi: int = 200):
    """The pages as grey scanned images (Pillow, Noto Sans CJK)."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    fonts: dict[float, ImageFont.FreeTypeFont] = {}
    images = []
    for page in laid.pages:
        image = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
        draw = ImageDraw.Draw(image)
        for x0, t0, x1, t1 in page.rules:
            draw.line([(x0 * scale, t0 * scale), (x1 * scale, t1 * scale)], fill=0, width=2)
        for glyph in page.glyphs:
            font = fonts.get(glyph.size) or fonts.setdefault(glyph.size, ImageFont.truetype(NOTO, round(glyph.size * scale), index=NOTO_SC))
            draw.text((glyph.x * scale, glyph.top * scale), glyph.char, font=font, fill=90 if glyph.red else 0)
        images.append(image)
    return images


def write_scan(images, path: Path, dpi: int = 200) -> Path:
    """Images as a PDF of image-only pages, as a scanner makes it."""
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def write_numbered_docx(lines: list[str], path: Path) -> Path:
    """A Word file whose numbered lines (一、（一）1.（1）) carry Word's automatic numbering instead of the
    number: numbering.xml gets one multilevel list (chineseCounting 一、 and （一）, decimal 1. and （1））."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        + "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                  f'<w:suff w:val="nothing"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
        + "</w:abstractNum>")
    numbering.insert(0, abstract)  # abstract definitions come before the w:num that use them
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for line in lines:
        if " | " in line:
            cells = line.split(" | ")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, text in zip(table.rows[0].cells, cells):
                cell.text = text
            continue
        level, label = next(((lvl, m.group(0)) for lvl, p in NUMBERED if (m := p.match(line))), (None, ""))
        paragraph = document.add_paragraph(line[len(label):])
        if level is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.save(path)
    return path
