"""What a packed file may unpack to, checked before its content is parsed: a .docx is a zip (a 0.8 MB file
can hold 300 MB of XML, which python-docx would parse for an hour in 5 GB), a PDF a tree of pages (a
small file can claim tens of thousands of pages: ingest/pdf.py counts them before reading any). The limits come from the reports this product reads:
a whole annual report is 5,000–33,000 characters, about 0.2–2 MB of Word XML and 10–80 PDF pages.
Measured here: 10 MB of Word XML loads in 4.3 s into 2.7 million characters (80 whole reports).
"""

from __future__ import annotations

import io
import zipfile

from .model import IngestError

# Word's text parts (word/*.xml, the relationships) unpacked: ten times a very long report.
MAX_DOCX_XML_MB = 20
# Parts of one .docx (a report has 10–40; pictures add one each).
MAX_DOCX_PARTS = 5_000
# All of a .docx unpacked (pictures included), when the caller gives no limit of its own.
DEFAULT_MAX_UNPACKED_MB = 50
BOMB = "可能是压缩炸弹或已损坏的文件，未导入"


def check_docx(data: bytes, max_unpacked_mb: float | None = None) -> None:
    """Refuse a .docx whose parts would unpack beyond the limits, from the sizes its zip directory
    declares (Python's zipfile never inflates a part past its declared size: a lie fails the CRC)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # not a zip at all: the reader says the file is damaged
    limit = max_unpacked_mb or DEFAULT_MAX_UNPACKED_MB
    if len(parts) > MAX_DOCX_PARTS:
        raise IngestError("", f"Word 文件由 {len(parts)} 个部分组成，超过上限 {MAX_DOCX_PARTS} 个，{BOMB}")
    text = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    if text > MAX_DOCX_XML_MB * 2**20:
        raise IngestError("", f"Word 文件的文字部分解压后有 {_mb(text)}，超过上限 {MAX_DOCX_XML_MB} MB"
                              f"（一份报告通常不到 2 MB），{BOMB}")
    total = sum(p.file_size for p in parts)
    if total > limit * 2**20:
        raise IngestError("", f"Word 文件解压后共 {_mb(total)}，超过上限 {limit:g} MB（与导入文件的大小上限相同），{BOMB}")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"
