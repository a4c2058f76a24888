"""Every supported format and encoding decodes to the same report text; undecodable files are refused."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from ingest.model import IngestError
from ingest.pipeline import parse_file

REPORT = (
    "2022年,天桥区坚持以习近平法治思想为指导,扎实推进法治政府建设。\n"
    "一、主要工作完成情况\n"
    "(一)做好行政复议工作。2022年全区共收到行政复议84件,受理71件。\n"
    "二、存在的问题\n"
    "(一)基层法治力量薄弱。法治专业人才比例较低。\n"
)


def _paragraph_texts(path: Path) -> list[str]:
    return [p.text for p in parse_file(path).paragraphs]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb2312", "gb18030"])
def test_text_files_decode_in_utf8_and_gb_encodings(tmp_path, encoding):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(REPORT.encode(encoding))
    report = parse_file(path)
    assert report.meta.region == "天桥区"
    assert "2022年全区共收到行政复议84件" in report.paragraphs[1].text


def test_gb18030_only_characters_survive(tmp_path):
    text = REPORT.replace("天桥区", "䶮桥区")  # 䶮 is outside GBK, inside GB18030
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode("gb18030"))
    assert "䶮桥区" in parse_file(path).paragraphs[0].text


def test_binary_file_named_txt_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "setup.txt"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4)
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert "setup.txt" in str(info.value)
    assert "二进制" in info.value.reason or "编码" in info.value.reason


def test_undetermined_encoding_is_rejected_not_guessed(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x81, 0x20, 0xFE, 0x7F, 0x80, 0xFF, 0x30, 0x81]) * 50)
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert "noise.txt" in str(info.value)


def test_markdown_marks_are_dropped(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("# 天桥区2022年法治政府建设年度报告\n\n" + REPORT.replace("一、", "## 一、"), encoding="utf-8")
    report = parse_file(path)
    assert report.meta.title == "天桥区2022年法治政府建设年度报告"
    assert report.paragraphs[1].section_path[0] == "一、主要工作完成情况"


def test_html_page_keeps_the_article_and_drops_portal_chrome(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    html = (
        "<html><head><meta charset='gbk'><title>天桥区2022年法治政府建设年度报告</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/zwgk'>政务公开</a></div>"
        "<div class='crumb'>您现在的位置: 首页>政府信息公开</div>"
        f"<div class='article'><h1>天桥区2022年法治政府建设年度报告</h1><div class='info'>发布时间:2023-03-01</div>{body}</div>"
        "<div class='footer'>版权所有:天桥区人民政府 网站标识码3701050001</div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gbk"))
    report = parse_file(path)
    text = "\n".join(p.text for p in report.paragraphs)
    assert "收到行政复议84件" in text
    assert "您现在的位置" not in text and "版权所有" not in text and "首页" not in text


def test_docx_paragraphs_are_read(tmp_path):
    import docx

    document = docx.Document()
    for line in REPORT.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "r.docx"
    document.save(path)
    assert _paragraph_texts(path) == _paragraph_texts(_write(tmp_path / "r.txt", REPORT))


def test_pdf_text_layer_is_read_and_wrapped_lines_rejoined(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "r.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    y = 800
    for line in REPORT.splitlines():
        for start in range(0, len(line), 20):  # wrap like a printed page
            c.drawString(40, y, line[start : start + 20])
            y -= 16
    c.save()
    texts = _paragraph_texts(path)
    assert "(一)做好行政复议工作。2022年全区共收到行政复议84件,受理71件。" in texts


def test_corrupt_docx_is_an_error_naming_the_file(tmp_path):
    path = _write(tmp_path / "broken.docx", "not a zip")
    with pytest.raises(IngestError, match="broken.docx"):
        parse_file(path)


def test_scanned_pdf_without_text_is_an_error(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(10, 10, 100, 100)
    c.save()
    with pytest.raises(IngestError, match="文字层"):
        parse_file(path)


def test_unsupported_type_is_an_error(tmp_path):
    path = _write(tmp_path / "r.xlsx", "x")
    with pytest.raises(IngestError, match="不支持"):
        parse_file(path)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_docx_tables_are_kept(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("2022年,天桥区法治政府建设情况如下。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "行政复议", "84件"
    path = tmp_path / "t.docx"
    document.save(path)
    assert any("行政复议 | 84件" in t for t in _paragraph_texts(path))


def test_a_corrupt_pdf_is_refused_in_chinese_without_the_library_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> stream\nxx")  # cut off mid-stream
    with pytest.raises(IngestError) as caught:
        parse_file(path)
    reason = caught.value.reason
    assert "文件已损坏" in reason and "重新另存" in reason
    assert not re.search(r"[A-Za-z]{4,}Error|stream", reason)
