"""The 对比 → 历年 tab in Debian's chromium at 1366×768 and on a 390×844 phone, on the invented 桐溪区 over
three years: commitments kept with their statuses and both sides' sources, figures by year as a line
chart and a table, downloads one click away. Screenshots under test-artifacts/ (years-*.png)."""

from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT
from .webtools import ANSWER_TIMEOUT_MS, english_words, open_page, shot, start_app

pytestmark = pytest.mark.browser

YEARS = ROOT / "tests" / "fixtures" / "years"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    reports = tmp_path_factory.mktemp("tongxi")
    for path in YEARS.glob("tongxi_*.txt"):
        shutil.copy(path, reports / path.name)
    server = start_app(tmp_path_factory.mktemp("years-data"), {"RA_SAMPLES_DIR": str(reports)})
    yield server
    server.stop()


@pytest.fixture()
def ready(app):
    app.wait_for_reports(3)
    return app


def test_years_tab_shows_commitments_kept_and_figures_by_year(page):
    page.get_by_role("tab", name="对比").click()
    page.get_by_role("tab", name="历年").click()
    page.locator("#years-place input").click()
    page.get_by_role("option", name="桐溪区").first.click()
    page.locator("#years-run").click()
    track = page.locator("#years-document .track")
    track.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = track.inner_text()
    assert "2021年报告所列2022年安排（对照2022年报告）" in text and "报告库中还没有2024年的报告" in text
    unseen = track.locator("li", has_text="强化法治建设考核")
    assert unseen.locator(".status.unseen").inner_text() == "未见报告"
    assert "最接近的表述" in unseen.inner_text()
    done = track.locator("li", has_text="建立公共法律服务工作站")
    assert done.locator(".status.done").is_visible() and "均已建成公共法律服务工作站" in done.inner_text()
    width = page.viewport_size["width"]
    box = done.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # no sideways scrolling of the list
    page.locator("#series-chart img").wait_for(timeout=ANSWER_TIMEOUT_MS)
    chart = page.locator("#series-chart img").bounding_box()
    assert chart["x"] + chart["width"] <= width + 1
    cells = [c.inner_text() for c in page.locator("#series-rows td[data-label='数值']").all()]
    assert "86件" in cells and "112件" in cells and "135件" in cells
    shot(page, f"years-{page.width_name}")
    done.locator(".said a.cite").first.click()
    if page.width_name == "phone":
        page.locator("#cite-pop.shown").get_by_role("button", name="查看原文").tap()
    sheet = page.locator("#years-evidence-col.open")
    sheet.wait_for()
    active = sheet.locator(".ev-card.active", has_text="均已建成公共法律服务工作站")
    active.wait_for(timeout=ANSWER_TIMEOUT_MS)  # the sheet slides up on a phone before its card is marked
    card = active.inner_text()
    assert "桐溪区 2022年" in card and "均已建成公共法律服务工作站" in card  # the next year's report, cited
    shot(page, f"years-evidence-{page.width_name}", full=False)
    sheet.get_by_role("button", name="返回").click()
    with page.expect_download() as download:
        page.locator("#years-downloads a.dl", has_text="xlsx").click()
    assert download.value.suggested_filename == "桐溪区历年承诺落实.xlsx"
    assert not english_words(page)
