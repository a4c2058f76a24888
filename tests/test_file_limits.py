"""Packed files are checked for what they unpack to before they are parsed (issue 20): a .docx zip bomb
or a PDF claiming thousands of pages is refused with one Chinese line naming the file and the limit,
and the files after it still go in; a broken file's English library messages stay out of the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.limits import MAX_DOCX_XML_MB
from ingest.pdf import MAX_PDF_PAGES
from ingest.model import IngestError
from ingest.pipeline import parse_file

from .bombs import docx_bomb, pdf_page_bomb
from .conftest import ROOT, SAMPLES
from .helpers import english_words_in

TIANQIAO = SAMPLES / "004_6793ac9eb53e21ba.txt"


def test_a_docx_whose_text_unpacks_beyond_the_limit_is_refused_before_parsing(tmp_path):
    bomb = docx_bomb(tmp_path / "炸弹.docx", xml_mb=MAX_DOCX_XML_MB + 10)
    assert bomb.stat().st_size < 2**20  # well under any upload limit
    with pytest.raises(IngestError) as caught:
        parse_file(bomb)
    assert caught.value.path.endswith("炸弹.docx")
    assert f"上限 {MAX_DOCX_XML_MB} MB" in caught.value.reason and "解压后有 3" in caught.value.reason


def test_a_docx_whose_pictures_unpack_beyond_the_file_limit_is_refused(tmp_path):
    bomb = docx_bomb(tmp_path / "图片.docx", picture_mb=12)
    with pytest.raises(IngestError) as caught:
        parse_file(bomb, max_unpacked_mb=10)
    assert "解压后共 12." in caught.value.reason and "上限 10 MB" in caught.value.reason
    assert parse_file(docx_bomb(tmp_path / "小图.docx", picture_mb=2), max_unpacked_mb=10).meta.name == "小图.docx"  # within: read


def test_a_pdf_claiming_thousands_of_pages_is_refused(tmp_path):
    bomb = pdf_page_bomb(tmp_path / "页数.pdf", pages=5 * MAX_PDF_PAGES)
    with pytest.raises(IngestError) as caught:
        parse_file(bomb)
    assert "页，超过上限" in caught.value.reason and f"上限 {MAX_PDF_PAGES} 页" in caught.value.reason


def test_the_cli_refuses_bombs_names_them_and_imports_the_rest_in_chinese(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    docx_bomb(folder / "a_bomb.docx", xml_mb=MAX_DOCX_XML_MB + 5)
    pdf_page_bomb(folder / "b_pages.pdf", pages=3 * MAX_PDF_PAGES)
    (folder / "c_broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ngarbage")
    (folder / "d_broken.docx").write_bytes(b"not a zip at all")
    (folder / TIANQIAO.name).write_bytes(TIANQIAO.read_bytes())
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "COLUMNS": "250"}
    result = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path / "data"), "ingest", str(folder)],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 3}
    assert "超过上限" in rows["a_bomb.docx"] and "超过上限" in rows["b_pages.pdf"]
    assert "已损坏" in rows["c_broken.pdf"] and "已损坏" in rows["d_broken.docx"]
    assert "已导入" in rows[TIANQIAO.name]
    # pypdf's "EOF marker not found", zipfile's "BadZipFile" go to the log file, not to the user
    assert result.stderr.strip() == "" or english_words_in(result.stderr) == [], result.stderr
    assert english_words_in(result.stdout) == [], result.stdout
    log = (tmp_path / "data" / "logs" / "cli.log").read_text(encoding="utf-8")
    assert "BadZipFile" in log
