"""Read one report file of any supported format into plain text, one paragraph per line."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from .encoding import UndecodableError, decode_text
from .limits import check_docx
from .model import IngestError
from .pdf import LoadedText, PageCallback, read_pdf

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}
log = logging.getLogger(__name__)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_text(path: Path, data: bytes, max_unpacked_mb: float | None = None) -> str:
    """Extract the text of `path` (whose bytes are `data`); raise IngestError naming the file."""
    return load_document(path, data, max_unpacked_mb=max_unpacked_mb).text


def load_document(path: Path, data: bytes, on_page: PageCallback | None = None,
                  max_unpacked_mb: float | None = None) -> LoadedText:
    """The text of `path` (whose bytes are `data`) with the lines OCR read and warnings for the reader;
    raise IngestError naming the file. `on_page(done, total)` follows a PDF page by page. A packed format
    is checked against what it may unpack to (limits.py) before it is parsed."""
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            text, _ = decode_text(data)
            return LoadedText(_strip_markdown(text) if suffix != ".txt" else text)
        if suffix in HTML_SUFFIXES:
            text, _ = decode_text(data)
            return LoadedText(_html_to_text(text))
        if suffix == ".docx":
            check_docx(data, max_unpacked_mb)
            return LoadedText(_docx_to_text(data))
        if suffix == ".pdf":
            return read_pdf(data, on_page)
    except UndecodableError as exc:
        raise IngestError(str(path), str(exc)) from exc
    except IngestError as exc:
        raise IngestError(str(path), exc.reason) from exc
    except Exception as exc:  # a corrupt docx/pdf raises library-specific errors: the detail goes to the log
        log.warning("%s: %s: %s", path.name, exc.__class__.__name__, exc)
        raise IngestError(str(path), f"无法读取这个 {suffix} 文件：文件已损坏、不完整，或并非真正的 {suffix[1:].upper()} 文件"
                                     f"（可用 WPS 或 Word 打开后重新另存，再导入）") from exc
    raise IngestError(str(path), f"不支持的文件类型“{suffix}”（支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）")


def _strip_markdown(text: str) -> str:
    """Drop Markdown markup that is not report text: '#' heading marks, emphasis, list bullets."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        stripped = stripped.lstrip("#").lstrip() if stripped.startswith("#") else stripped
        if stripped[:2] in ("- ", "* ", "+ "):
            stripped = stripped[2:]
        lines.append(stripped.replace("**", "").replace("__", ""))
    return "\n".join(lines)


def _html_to_text(html: str) -> str:
    """Keep the article of a saved government page and drop navigation, headers and footers."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    title = trafilatura.extract_metadata(html)
    if not text:
        raise IngestError("", "网页中没有找到正文")
    heading = title.title if title and title.title else None
    if heading and heading not in text[:200]:
        text = f"{heading}\n{text}"
    if title and title.date:
        # The page's own publication date (meta tags, the info line trafilatura drops with the chrome):
        # written as a portal date line, which cleaning reads into metadata and keeps out of the text.
        text = f"发布时间：{title.date}\n{text}"
    return text


def _docx_to_text(data: bytes) -> str:
    """Paragraphs and tables in document order; automatic numbers (一、（一）1.) written out, as Word shows them."""
    import io

    import docx
    from docx.table import Table

    from .docx_numbering import Numbering

    document = docx.Document(io.BytesIO(data))
    numbering = Numbering.of(document)
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
            continue
        label = numbering.label(block._p)
        if block.text.strip():
            lines.append(label + block.text.lstrip() if label else block.text)
    return "\n".join(lines)


def _table_rows(table) -> list[str]:
    """One line a row, cells joined by ' | ' (a cell merged across columns once)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
