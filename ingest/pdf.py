"""Read a PDF as offices publish it: the text layer where there is one, OCR for pages that are images.

PDFium (`pypdfium2`) does both jobs: it gives every character with its box and font size, which the
layout needs to tell running headers, page numbers and wrapped lines from report text
(ingest/pdf_layout.py), and it renders scanned pages for OCR (ingest/ocr.py). The page count is checked
before any page is read. Pages are read one at a time and `on_page(done, total)` is told after each,
so a front end can show how far a long scan has come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .model import IngestError
from .pdf_layout import Fragment, Line, PageLines, copy_block_start, drop_furniture, group_lines, paragraphs, red_header

# Longest PDF accepted: a whole 政府工作报告 runs to 40 pages; a scan is read at about a page a second.
MAX_PDF_PAGES = 300
# A page with fewer characters than this in its text layer, and an image over this share of it, is a scan.
MIN_TEXT_CHARS = 5
MIN_IMAGE_SHARE = 0.25

PageCallback = Callable[[int, int], None]


@dataclass
class LoadedText:
    """A file's text, one paragraph a line, with the lines OCR read and what the reader should know."""

    text: str
    ocr_lines: frozenset[str] = frozenset()
    warnings: list[str] = field(default_factory=list)


def read_pdf(data: bytes, on_page: PageCallback | None = None, max_pages: int = MAX_PDF_PAGES) -> LoadedText:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise IngestError("", "PDF 设有打开密码，无法读取；请去除密码后再导入") from exc
        raise
    try:
        total = len(document)
        if total > max_pages:
            raise IngestError("", f"PDF 共 {total} 页，超过上限 {max_pages} 页；请拆分成较小的文件后分别导入")
        pages, warnings, scanned = [], [], 0
        for index in range(total):
            page = document[index]
            try:
                width, height = page.get_size()
                lines, is_scan = _text_lines(page, width, height)
                if is_scan:
                    from .ocr import read_page

                    scanned += 1
                    lines = read_page(page)
                    if not lines:
                        warnings.append(f"第 {index + 1} 页是扫描图像，但没有识别出文字（可能是空白页或图像不清晰），已跳过")
                pages.append(PageLines(index + 1, width, height, lines))
            finally:
                page.close()
            if on_page is not None:
                on_page(index + 1, total)
    finally:
        document.close()
    return _assemble(pages, warnings, scanned)


def _assemble(pages: list[PageLines], warnings: list[str], scanned: int) -> LoadedText:
    drop_furniture(pages)
    lines: list[Line] = []
    issuer = None
    for page in pages:
        if page.lines and not lines:
            page.lines, issuer = red_header(page.lines)
        lines.extend(page.lines)
    cut = copy_block_start(lines)
    if cut < len(lines):
        _trim_tail(pages, len(lines) - cut)
    found = paragraphs(pages)
    if not found:
        if scanned:
            raise IngestError("", f"PDF 的 {scanned} 页扫描图像都没有识别出文字（图像可能过于模糊），请换用更清晰的扫描件")
        raise IngestError("", "PDF 没有文字层，也没有可识别的扫描页（可能是空白或只有图形），请确认文件内容")
    body = [text for text, _ in found]
    if issuer:  # read by cleaning as the issuing body, like a portal's metadata table
        body.insert(0, f"发文机关：{issuer}")
    if scanned:
        warnings.append(f"其中 {scanned} 页为扫描件，文字由识别（OCR）得到，可能有个别错字，请以原件为准")
    return LoadedText("\n".join(body), frozenset(text.strip() for text, ocr in found if ocr), warnings)


def _trim_tail(pages: list[PageLines], count: int) -> None:
    for page in reversed(pages):
        if count <= 0:
            return
        take = min(count, len(page.lines))
        page.lines = page.lines[: len(page.lines) - take]
        count -= take


def _text_lines(page, width: float, height: float) -> tuple[list[Line], bool]:
    """The page's text-layer lines, and whether the page is a scan to be read by OCR instead."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        fragments = []
        for index in range(textpage.count_chars()):
            if raw.FPDFText_IsGenerated(textpage, index) == 1:
                continue  # spaces and line breaks PDFium adds itself: the layout decides those
            code = raw.FPDFText_GetUnicode(textpage, index)
            char = chr(code) if 0 < code < 0x110000 else ""
            if char.isspace():
                char = " "  # a space the text has (86 件); spacing alone adds none
            elif not char.isprintable():
                continue
            try:
                left, bottom, right, top = textpage.get_charbox(index, loose=True)
            except Exception:  # noqa: BLE001 - a character without a box is not drawn text
                continue
            fragments.append(Fragment(char, left, right, height - top, height - bottom))
    finally:
        textpage.close()
    if len(fragments) < MIN_TEXT_CHARS and _image_share(page, width, height) >= MIN_IMAGE_SHARE:
        return [], True
    return group_lines(fragments, rules=_vertical_rules(page, height)), False


def _image_share(page, width: float, height: float) -> float:
    import pypdfium2.raw as raw

    largest = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        largest = max(largest, (right - left) * (top - bottom))
    return largest / max(width * height, 1.0)


def _vertical_rules(page, height: float) -> list[tuple[float, float, float]]:
    """Vertical strokes and the sides of boxes drawn on the page (table cell borders): (x, top, bottom)."""
    import pypdfium2.raw as raw

    rules = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < 6:  # a horizontal rule (the red line under a red header), or a dot
            continue
        span = (height - top, height - bottom)
        if right - left < 3:
            rules.append(((left + right) / 2, *span))
        else:
            rules.extend([(left, *span), (right, *span)])
        if len(rules) > 4000:  # a drawing, not a table: cells are told by their gaps alone
            return []
    return rules
