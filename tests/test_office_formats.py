"""A report as offices publish it gives the paragraphs and outline of its text file: a laid-out PDF
(red header, running header, page numbers, wrapped and justified lines, paragraphs across pages,
signature, 版记), the same pages scanned (read by OCR) and a Word file with automatic numbering.
The documents are built here from tests/data/office_report.txt (written for these tests)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.model import IngestError
from ingest.pipeline import parse_file
from tests.office_docs import lay_out, page_images, write_numbered_docx, write_pdf, write_scan

REPORT = Path(__file__).parent / "data" / "office_report.txt"
LINES = [line for line in REPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
TITLE, SIGNER, DATE = LINES[0], LINES[-2], LINES[-1]
ISSUER = "泾县人民政府"
DOC_NUMBER = "泾政〔2024〕12号"
COPIES = ["抄送：县委办公室，县人大常委会办公室，县政协办公室。", "泾县人民政府办公室  2024年3月18日印发"]
# OCR may misread characters; it must read this share of them right (measured: see the test's output).
MIN_OCR_ACCURACY = 0.95


def _office_layout(page_numbers: str = "dash"):
    return lay_out(TITLE, ISSUER, DOC_NUMBER, LINES[1:-2], SIGNER, DATE, COPIES, running=TITLE,
                   page_numbers=page_numbers)


@pytest.fixture(scope="module")
def text_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("txt") / "report.txt"
    path.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    return parse_file(path)


def _texts(report) -> list[str]:
    return [p.text for p in report.paragraphs]


def _sections(report) -> list[tuple[str, ...]]:
    return [p.section_path for p in report.paragraphs]


@pytest.mark.parametrize("page_numbers", ["dash", "hyphen", "chinese", "fraction"])
def test_office_pdf_gives_the_text_files_paragraphs_and_sections(tmp_path, text_report, page_numbers):
    laid = _office_layout(page_numbers)
    # The layout really breaks paragraphs across pages and wraps a line right after a 。
    assert len(laid.pages) >= 3 and laid.breaks_across_pages >= 1 and laid.wraps_after_stop >= 1
    report = parse_file(write_pdf(laid, tmp_path / "report.pdf"))
    assert _texts(report) == _texts(text_report)
    assert _sections(report) == _sections(text_report)
    assert report.meta.title == TITLE and report.meta.signed == "2024-03-15"
    assert report.meta.author == ISSUER and report.meta.region == text_report.meta.region == "泾县"
    whole = "\n".join(_texts(report))
    for furniture in ("泾县人民政府文件", "泾政", "抄送", "印发", "— 2 —", "- 2 -", "第2页", "2/3"):
        assert furniture not in whole
    assert not any(p.ocr for p in report.paragraphs)


def test_office_pdf_keeps_table_rows_as_rows(tmp_path):
    report = parse_file(write_pdf(_office_layout(), tmp_path / "report.pdf"))
    rows = [p.text for p in report.paragraphs if " | " in p.text]
    assert rows == ["指标 | 2022年 | 2023年", "行政复议收案 | 51件 | 64件", "行政复议纠错 | 6件 | 9件"]


def test_without_layout_rules_the_join_would_be_wrong(tmp_path, text_report):
    """The check above can fail: reading the same PDF's lines one paragraph each gives many more."""
    from ingest.pdf import read_pdf

    path = write_pdf(_office_layout(), tmp_path / "report.pdf")
    joined = read_pdf(path.read_bytes()).text.splitlines()
    import pypdfium2 as pdfium

    raw_lines = sum(len(page.get_textpage().get_text_range().splitlines()) for page in pdfium.PdfDocument(path.read_bytes()))
    assert raw_lines > 2 * len(joined) > len(text_report.paragraphs)


def test_numbered_word_file_keeps_its_automatic_numbers(tmp_path, text_report):
    import docx

    path = write_numbered_docx(LINES, tmp_path / "report.docx")
    stored = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "主要工作和成效" in stored and not any(re.match(r"^(一、|（一）|1\.|（1）)", t) for t in stored)
    report = parse_file(path)
    assert _texts(report) == _texts(text_report)
    assert _sections(report) == _sections(text_report)
    assert report.paragraphs[-1].section_path[0] == "三、2024年工作安排"


def _accuracy(reference: list[str], read: list[str]) -> float:
    from rapidfuzz.distance import Levenshtein

    def form(text: str) -> str:
        return unicodedata.normalize("NFKC", text)

    errors = sum(Levenshtein.distance(form(a), form(b)) for a, b in zip(reference, read))
    return 1 - errors / sum(len(form(a)) for a in reference)


def _label(title: str) -> str:
    match = re.match(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.|\(\d+\))", unicodedata.normalize("NFKC", title))
    return match.group(0) if match else ""


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr_with_the_same_outline(tmp_path, text_report, capsys):
    pages_seen = []
    path = write_scan(page_images(_office_layout()), tmp_path / "scan.pdf")
    report = parse_file(path, on_page=lambda done, total: pages_seen.append((done, total)))
    total = len(pages_seen)
    assert total >= 3 and pages_seen == [(n, total) for n in range(1, total + 1)]
    assert len(report.paragraphs) == len(text_report.paragraphs)
    for read, expected in zip(_sections(report), _sections(text_report)):
        assert [_label(t) for t in read] == [_label(t) for t in expected] and len(read) == len(expected)
        assert not expected or _accuracy(list(expected), list(read)) >= 0.9
    accuracy = _accuracy(_texts(text_report), _texts(report))
    with capsys.disabled():
        print(f"\nOCR character accuracy on the scanned report: {accuracy:.4f}")
    assert accuracy >= MIN_OCR_ACCURACY
    assert all(p.ocr for p in report.paragraphs)
    assert report.meta.title and _accuracy([TITLE], [report.meta.title]) >= 0.9
    assert any("扫描件" in w and "OCR" in w for w in report.warnings)


def test_a_scanned_page_without_text_is_said_and_the_others_are_read(tmp_path):
    from PIL import Image

    images = page_images(_office_layout())[:1]
    blank = Image.new("L", images[0].size, 255)
    path = write_scan([images[0], blank], tmp_path / "scan.pdf")
    report = parse_file(path)
    assert any(w.startswith("第 2 页是扫描图像，但没有识别出文字") for w in report.warnings)
    assert any("法治" in p.text for p in report.paragraphs) and all(p.ocr for p in report.paragraphs)


def test_a_scan_with_no_readable_page_is_refused_naming_the_file(tmp_path):
    from PIL import Image

    path = write_scan([Image.new("L", (1190, 1684), 255)], tmp_path / "空白扫描.pdf")
    with pytest.raises(IngestError) as caught:
        parse_file(path)
    assert "空白扫描.pdf" in str(caught.value) and "没有识别出文字" in caught.value.reason


def test_page_count_is_checked_before_reading(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from ingest.pdf import MAX_PDF_PAGES

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "汇编.pdf"
    c = canvas.Canvas(str(path))
    for number in range(MAX_PDF_PAGES + 1):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 720, f"第{number + 1}页正文。")
        c.showPage()
    c.save()
    with pytest.raises(IngestError) as caught:
        parse_file(path, on_page=lambda done, total: pytest.fail("a page was read"))
    assert "汇编.pdf" in str(caught.value)
    assert f"共 {MAX_PDF_PAGES + 1} 页" in caught.value.reason and f"上限 {MAX_PDF_PAGES} 页" in caught.value.reason


def test_a_title_ending_in_wenjian_is_no_red_header(tmp_path):
    """Only large type among the first lines is a 发文机关标志: a body-sized title ending in 文件 stays."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "清理.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 15)
    lines = ["关于泾县清理行政规范性文件", "2023年，泾县对现行有效的行政规范性文件开展全面清理。",
             "一、清理情况", "共清理规范性文件86件，废止12件，修改9件。"]
    for number, line in enumerate(lines):
        c.drawString(90, 760 - number * 28, line)
    c.save()
    report = parse_file(path)
    assert "关于泾县清理行政规范性文件" in [report.meta.title, *(p.text for p in report.paragraphs)]
    assert report.meta.author != "关于泾县清理行政规范性"
