"""Office PDFs and scans through the library: answered like their text file, the OCR mark stored and read
back, progress page by page, and libraries stored before the mark still open."""

from __future__ import annotations

import sqlite3

from assistant.store.ingestion import IngestProgress
from assistant.store.database import SqliteDatabase
from assistant.store.library import Library
from tests.office_docs import page_images, write_pdf, write_scan
from ingest.pipeline import parse_file
from tests.test_office_formats import REPORT, _office_layout

QUESTION = "泾县2023年行政复议机构收到多少件行政复议申请？"


class _Pages(IngestProgress):
    def __init__(self):
        self.pages: list[tuple[int, int]] = []

    def pages_done(self, done: int, total: int) -> None:
        self.pages.append((done, total))


def test_an_office_pdf_answers_the_figure_its_text_file_answers(lexical_assistant, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_pdf(_office_layout(), folder / "泾县2023.pdf")
    progress = _Pages()
    [result] = lexical_assistant.ingest([folder], progress)
    assert result.status == "ok", result.reason
    assert result.paragraphs == len(parse_file(REPORT).paragraphs)
    assert progress.pages and progress.pages[-1][0] == progress.pages[-1][1]
    answer = lexical_assistant.ask(QUESTION)
    assert not answer.refused and "64件" in answer.answer
    cited = [c for c in answer.citations if "64件" in c.text]
    assert cited and cited[0].text.startswith("1.发挥行政复议主渠道作用。全年县行政复议机构收到行政复议申请64件")
    assert cited[0].section == "一、主要工作和成效 > （三）依法化解社会矛盾纠纷 > 1.发挥行政复议主渠道作用"


def test_ocr_paragraphs_are_stored_marked_and_read_back(lexical_assistant, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_scan(page_images(_office_layout())[:1], folder / "扫描件.pdf")
    write_pdf(_office_layout(), folder / "文字版.pdf")
    progress = _Pages()
    results = lexical_assistant.ingest([folder], progress)
    assert [r.status for r in results] == ["ok", "ok"], [r.reason for r in results]
    assert (1, 1) in progress.pages  # the scan's one page, reported as read
    scanned = lexical_assistant.store.library.paragraphs("扫描件.pdf")
    typed = lexical_assistant.store.library.paragraphs("文字版.pdf")
    assert scanned and all(p.ocr for p in scanned)
    assert typed and not any(p.ocr for p in typed)
    by_id = lexical_assistant.store.library.paragraphs_by_id([scanned[0].id, typed[0].id])
    assert by_id[scanned[0].id].ocr and not by_id[typed[0].id].ocr
    scan_result = next(r for r in results if r.name == "扫描件.pdf")
    assert "扫描件" in scan_result.reason  # the import table says the text came from OCR
    from assistant.answering.answer import Citation
    from assistant.exports.markdown import conversation_markdown

    from_scan = Citation.of(1, lexical_assistant.store.reports()[0], scanned[0], 0, 4)
    from_text = Citation.of(2, lexical_assistant.store.reports()[0], typed[0], 0, 4)
    assert from_scan.scanned and "来自扫描件识别" in from_scan.origin_note and not from_text.origin_note
    from assistant.answering.answer import Answer
    shown = conversation_markdown([Answer("问", "答[1][2]", "extractive", False, [from_scan, from_text])])
    assert shown.count("来自扫描件识别") == 1  # a citation says it came from a scan, the typed one does not


def test_a_library_stored_before_the_ocr_mark_opens_and_reads_unmarked(tmp_path):
    path = tmp_path / "library.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE paragraphs (id TEXT PRIMARY KEY, report TEXT NOT NULL, ordinal INTEGER, text TEXT NOT NULL,"
        " section TEXT NOT NULL, part TEXT NOT NULL, heading TEXT);"
        "INSERT INTO paragraphs VALUES ('a.txt#p001', 'a.txt', 1, '正文。', '[\"一、工作\"]', 'work', NULL);")
    db.commit()
    db.close()
    library = Library(SqliteDatabase(path))
    try:
        [paragraph] = library.paragraphs("a.txt")
        assert paragraph.text == "正文。" and paragraph.section_path == ("一、工作",) and paragraph.ocr is False
    finally:
        library.close()
