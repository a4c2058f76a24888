"""Names a user types that match nothing: the message says what was typed and where to look (issue 20)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLES

TIANQIAO = SAMPLES / "004_6793ac9eb53e21ba.txt"


def run(data_dir, *args):
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_a_wrong_folder_is_named_as_typed(tmp_path):
    result = run(tmp_path, "ingest", "sample/reports/")
    assert result.returncode == 1
    assert "sample/reports" in result.stdout and "找不到" in result.stdout


@pytest.mark.parametrize("command", [["summary", "--report", "海淀区"], ["compare", "--reports", "天桥区", "--reports", "新容区"],
                                     ["plan", "--report", "海淀区"], ["remove", "004_6793ac9eb53e21b.txt"]])
def test_an_unknown_region_or_file_points_to_the_library(tmp_path, command):
    run(tmp_path, "ingest", str(TIANQIAO), str(SAMPLES / "001_67dd1777d5ec419a.txt"))
    result = run(tmp_path, *command)
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    asked = command[-1]
    assert f"没有名为“{asked}”" in message
    assert "report-assistant reports" in message  # where every report and its file name is listed
    if command[0] == "remove":
        assert "库中的文件：004_6793ac9eb53e21ba.txt" in message  # the nearest file first
    else:
        assert "新荣区" in message and "天桥区" in message  # the library's regions
    if asked == "新容区":
        assert "库中的地区：新荣区" in message


def test_an_empty_library_says_to_import_first(tmp_path):
    result = run(tmp_path, "summary", "--report", "天桥区")
    assert result.returncode == 2 and "报告库还是空的" in result.stderr
