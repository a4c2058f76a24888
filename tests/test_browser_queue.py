"""Issue 18, searchable at once, in the browser: an uploaded report answers by its words as soon as the
upload ends, its vectors are built in the background with the queue's progress moving above the library,
and an answer given meanwhile says under 详情 which reports were searched by their words alone."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import SAMPLES
from .webtools import ANSWER_TIMEOUT_MS, DESKTOP, PHONE, ask, english_words, low_contrast, open_page, shot, start_app

pytestmark = pytest.mark.browser
NAME = "槐荫区2022年法治政府建设报告.txt"


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory):
    server = start_app(tmp_path_factory.mktemp("queue-app"), {"RA_SAMPLES_DIR": "none"})
    yield server
    server.stop()


def _long_report(tmp_path):
    """One report of about 35,000 characters (two samples' text under one region): minutes of vectors."""
    text = "\n".join((SAMPLES / name).read_text(encoding="utf-8") for name in ("004_6793ac9eb53e21ba.txt", "001_67dd1777d5ec419a.txt"))
    path = tmp_path / NAME
    path.write_text(text.replace("天桥区", "槐荫区").replace("天桥", "槐荫").replace("新荣区", "槐荫区"), encoding="utf-8")
    return path


def test_an_upload_answers_at_once_while_its_vectors_are_built_with_moving_progress(browser, empty_app, tmp_path):
    page = open_page(browser, empty_app.url, DESKTOP)
    page.get_by_role("tab", name="报告库").click()
    page.locator("#upload input[type=file]").set_input_files([str(_long_report(tmp_path))])
    page.locator("#upload-button").click()
    page.locator("#upload-notice").get_by_text("处理完成：已导入 1 个").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "已可检索，向量在后台建立" in page.locator("#upload-notice").inner_text()
    queue = page.locator("#vector-queue .progress-line")
    queue.wait_for(timeout=10_000)
    seen = []
    for _ in range(4):  # the line moves every second while a batch is embedded: never the same twice running
        seen.append(queue.inner_text())
        time.sleep(1.2)
    assert all(re.search(rf"{NAME} 已向量化 \d+/\d+ 块", line) for line in seen)
    assert len(set(seen)) == len(seen)
    assert re.fullmatch(r"\d+ / \d+", page.locator("#library-rows td.vectors").inner_text().strip())
    assert english_words(page) == [] and low_contrast(page) == []
    shot(page, "queue-library-desktop", full=False)

    page.get_by_role("tab", name="问答").click()
    ask(page, "槐荫区2022年共收到多少件行政复议申请？")
    answer = page.locator("#chatbot .message").last
    assert "84" in answer.inner_text()
    details = answer.locator(".answer-details")
    details.locator("summary").click()
    assert re.search(r"向量尚未建完：槐荫区.*已向量化 \d+/\d+ 块.*仅按关键词检索", details.inner_text())
    shot(page, "queue-answer-details-desktop", full=False)

    page.get_by_role("tab", name="报告库").click()
    page.wait_for_function("() => !document.querySelector('#vector-queue .progress-line')", timeout=300_000)
    cell = page.locator("#library-rows td.vectors").inner_text()
    done, total = map(int, re.findall(r"\d+", cell))
    assert done == total > 0  # the table followed the queue to its end
    page.context.close()


def test_the_queue_line_fits_a_phone(browser, empty_app, tmp_path):
    page = open_page(browser, empty_app.url, PHONE)
    page.get_by_role("tab", name="报告库").click()
    long = _long_report(tmp_path)
    path = tmp_path / "另一区2022年报告.txt"
    path.write_text(long.read_text(encoding="utf-8").replace("槐荫", "另一"), encoding="utf-8")
    page.locator("#upload input[type=file]").set_input_files([str(path)])
    page.locator("#upload-button").click()
    page.locator("#upload-notice").get_by_text("处理完成").wait_for(timeout=ANSWER_TIMEOUT_MS)
    line = page.locator("#vector-queue .progress-line")
    line.wait_for(timeout=10_000)
    time.sleep(2.5)  # the page keeps a new result line in view for two seconds
    page.get_by_role("tab", name="报告库").scroll_into_view_if_needed()  # the queue's line stands above the table
    box = line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "queue-library-phone", full=False)
    page.context.close()
