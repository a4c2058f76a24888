"""Hostile files written here for the tests: a .docx whose zip unpacks far beyond its size (text or a
picture), and a small PDF whose page tree claims thousands of pages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

PARAGRAPH = "<w:p><w:r><w:t>全年共办理行政复议案件84件，依法纠错12件。</w:t></w:r></w:p>"


def docx_bomb(path: Path, xml_mb: float = 0, picture_mb: float = 0) -> Path:
    """A real Word file with `xml_mb` MB of paragraphs in document.xml and/or a picture of `picture_mb` MB of
    zeros; both compress about a thousand times."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("一、工作情况")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = source.read("word/document.xml").decode()
    if xml_mb:
        head, tail = xml.split("<w:body>")
        xml = head + "<w:body>" + PARAGRAPH * int(xml_mb * 2**20 / len(PARAGRAPH.encode())) + tail
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
        for info in source.infolist():
            packed.writestr(info.filename, xml.encode() if info.filename == "word/document.xml" else source.read(info.filename))
        if picture_mb:
            packed.writestr("word/media/image1.png", bytes(int(picture_mb * 2**20)))
    return path


def pdf_page_bomb(path: Path, pages: int) -> Path:
    """A PDF of a few hundred KB whose page tree lists one small page `pages` times."""
    per = 1000
    nodes = max(1, pages // per)
    objects = {1: "<< /Type /Catalog /Pages 2 0 R >>",
               2: f"<< /Type /Pages /Kids [{' '.join(f'{10 + i} 0 R' for i in range(nodes))}] /Count {nodes * per} >>",
               3: "<< /Type /Page /Parent 10 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               4: "<< /Length 0 >>\nstream\n\nendstream"}
    for i in range(nodes):
        objects[10 + i] = f"<< /Type /Pages /Parent 2 0 R /Kids [{' '.join(['3 0 R'] * per)}] /Count {per} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode()
    xref, size = len(out), max(objects) + 1
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += (f"{offsets[number]:010d} 00000 n \n" if number in offsets else "0000000000 65535 f \n").encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
