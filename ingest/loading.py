"""Read one report file of any supported format into plain text, one paragraph per line."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from .encoding import UndecodableError, decode_text
from .limits import check_docx, check_pdf_pages, pdf_limit_reason
from .model import IngestError

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}
log = logging.getLogger(__name__)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_text(path: Path, data: bytes, max_unpacked_mb: float | None = None) -> str:
    """Extract the text of `path` (whose bytes are `data`); raise IngestError naming the file. A packed
    format is checked against what it may unpack to (limits.py) before it is parsed."""
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            text, _ = decode_text(data)
            return _strip_markdown(text) if suffix != ".txt" else text
        if suffix in HTML_SUFFIXES:
            text, _ = decode_text(data)
            return _html_to_text(text)
        if suffix == ".docx":
            check_docx(data, max_unpacked_mb)
            return _docx_to_text(data)
        if suffix == ".pdf":
            return _pdf_to_text(data)
    except UndecodableError as exc:
        raise IngestError(str(path), str(exc)) from exc
    except IngestError as exc:
        raise IngestError(str(path), exc.reason) from exc
    except Exception as exc:  # a corrupt docx/pdf raises library-specific errors: the detail goes to the log
        if type(exc).__name__ == "LimitReachedError":  # pypdf's own guard against a malicious file
            raise IngestError(str(path), pdf_limit_reason()) from exc
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
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _pdf_to_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    check_pdf_pages(len(reader.pages))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError("", "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再导入")
    return _join_pdf_lines(text)


def _join_pdf_lines(text: str) -> str:
    """PDF text breaks lines at the page width; rejoin lines that do not end a sentence or a heading."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if out and _continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _continues(previous: str, line: str) -> bool:
    """True when `line` is the wrapped rest of `previous` rather than a new paragraph."""
    from .structure import heading_level, is_standalone_heading

    if previous.endswith(("。", "！", "？", "：", ":", "；")) or is_standalone_heading(previous):
        return False
    return heading_level(line) is None
