"""Comparisons, key figures, work-plan drafts and their exports, on the five sample reports."""

from __future__ import annotations

import csv
import re

import pytest

from assistant.documents.comparison import NOT_MENTIONED
from assistant.exports.chart import figures_chart
from assistant.exports.markdown import comparison_markdown, plan_markdown
from assistant.exports.spreadsheet import comparison_xlsx, figures_table
from assistant.exports.word import comparison_docx, plan_docx
from ingest.text import as_number
from assistant.service import Assistant, UsageError
from assistant.config.settings import with_updates

from .fake_openai import FakeOpenAI

TIANQIAO, XINRONG, SUIBIN = "004_6793ac9eb53e21ba.txt", "001_67dd1777d5ec419a.txt", "003_fb7ec0fd7d2f86b8.txt"


@pytest.fixture(scope="module")
def full_comparison(sample_assistant):
    return sample_assistant.compare()


def test_every_cell_cites_its_own_report_or_says_not_mentioned(sample_assistant, full_comparison):
    c = full_comparison
    assert len(c.rows) == 9 and len(c.reports) == 5
    paragraphs = {m.name: {p.id for p in sample_assistant.store.library.paragraphs(m.name)} for m in c.reports}
    mentioned = 0
    for (row, report), points in c.cells.items():
        for point in points:
            assert point.citations, (row, report)
            for citation in point.citations:
                assert citation.report == report and citation.paragraph_id in paragraphs[report]
                assert citation.quote in citation.text
        mentioned += bool(points)
    assert 0 < mentioned < len(c.cells) + 1
    markdown = comparison_markdown(c)
    assert markdown.count("\n| ") == 1 + 9 and "领域" in markdown


def test_topic_row_shows_the_asked_figures(sample_assistant):
    c = sample_assistant.compare(topic="行政复议")
    assert [r.name for r in c.rows] == ["行政复议"]
    tianqiao = " ".join(p.text for p in c.cells[("行政复议", TIANQIAO)])
    xinrong = " ".join(p.text for p in c.cells[("行政复议", XINRONG)])
    assert "84" in tianqiao and "71" in tianqiao
    assert "3件" in xinrong
    assert c.cells[("行政复议", "000_dbb2a4f5f1cee03e.txt")] == []  # 老边区 never mentions 行政复议
    assert NOT_MENTIONED in comparison_markdown(c)
    assert any("年度不同" in note for note in c.notes)


def test_statements_below_the_matrix_are_cited(full_comparison):
    c = full_comparison
    numbers = {x.n for x in c.citations}
    assert c.highlights and c.common_problems and c.differences
    for statement in (*c.highlights, *c.common_problems, *c.differences):
        markers = {int(m) for m in re.findall(r"\[(\d+)\]", statement.text)}
        assert markers and markers <= numbers
    assert any("普法" in s.text for s in c.common_problems)


def test_comparison_of_named_regions(sample_assistant):
    c = sample_assistant.compare(["天桥区", SUIBIN], topic="普法")
    assert [m.region for m in c.reports] == ["天桥区", "绥滨县"]
    with pytest.raises(UsageError):
        sample_assistant.compare(["历下区"])


EXPECTED_FIGURES = [
    ("天桥区", "行政复议收案", 84), ("天桥区", "行政复议受理", 71), ("天桥区", "法律援助案件", 1984),
    ("新荣区", "行政执法证发放", 260), ("老边区", "人民调解案件", 390), ("老边区", "人民调解成功率", 100),
    ("绥滨县", "行政处罚案件", 13575),
]


@pytest.mark.parametrize("region, indicator, value", EXPECTED_FIGURES)
def test_key_figures_are_traced_to_their_sentence(sample_assistant, region, indicator, value):
    found = [f for f in sample_assistant.figures(indicator=indicator) if f.region == region]
    assert any(as_number(f.value) == value for f in found), found
    figure = next(f for f in found if as_number(f.value) == value)
    assert figure.value in figure.sentence
    paragraph = next(p for p in sample_assistant.store.library.paragraphs(figure.report) if p.id == figure.paragraph_id)
    assert figure.sentence in paragraph.text


def test_figures_export_and_chart(sample_assistant, tmp_path):
    found = sample_assistant.figures()
    figures_table(found, tmp_path / "f.csv")
    rows = list(csv.reader((tmp_path / "f.csv").open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["指标", "数值", "单位"] and len(rows) == len(found) + 1
    figures_table(found, tmp_path / "f.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert sheet.max_row == len(found) + 1
    numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(n, (int, float)) for n in numbers)  # sums and sorts in a spreadsheet
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        f.value + ("（约数）" if f.approximate else "") for f in found]
    figures_chart(found, "法律援助案件", tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from dataclasses import replace

    long_named = [replace(f, region="金平苗族瑶族傣族自治县") if f.region == "天桥区" else f for f in found]
    figures_chart(long_named, "法律援助案件", tmp_path / "long.png")  # a long name is set on several lines
    from assistant.exports.chart import LABEL_CHARS, _wrapped

    assert all(len(line) <= LABEL_CHARS for line in _wrapped("金平苗族瑶族傣族自治县").splitlines())
    with pytest.raises(UsageError):
        sample_assistant.figures(indicator="不存在的指标")


def test_plan_for_suibin_answers_every_admitted_problem(sample_assistant):
    plan = sample_assistant.plan("绥滨县")
    assert plan.year == 2025 and plan.title.startswith("2025年绥滨县")
    assert len(plan.problems) == 3
    assert all(link.task for link in plan.problems), [(l.text, l.reason) for l in plan.problems]
    numbers = {c.n for c in plan.citations}
    for task in plan.tasks:
        assert task.title and task.text and (task.citations or task.template), task
        assert task.evidence and all(e.citations for e in task.evidence), task
        assert {c.n for c in task.citations} <= numbers
        assert all({c.n for c in e.citations} <= numbers for e in task.evidence)
    # the 执法程序 problem is answered in the 行政执法 part, not by a 决策程序 task
    link = next(l for l in plan.problems if "执法程序" in l.text)
    section = plan.sections["一二三四五六七八九十".index(link.task[0])]
    assert section.area == "行政执法工作体系"
    assert any(c.report != SUIBIN for c in plan.citations)  # a peer practice is borrowed
    markdown = plan_markdown(plan)
    assert "2025年" in markdown and "保障措施" in markdown and "问题对照" in markdown


def test_plan_year_can_be_chosen(sample_assistant):
    assert sample_assistant.plan(TIANQIAO, 2024).year == 2024


def test_docx_exports_have_headings_table_and_sources(sample_assistant, full_comparison, tmp_path):
    import docx

    comparison_docx(full_comparison, tmp_path / "c.docx")
    document = docx.Document(tmp_path / "c.docx")
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "领域" and len(table.rows) == 10 and len(table.columns) == 6
    assert table.rows[0].cells[1].text.endswith("年）")
    superscripts = [r for p in table._cells[7].paragraphs for r in p.runs if r.font.superscript]
    assert any(re.fullmatch(r"\[\d+\]", r.text) for r in superscripts) or table._cells[7].text == NOT_MENTIONED
    texts = [p.text for p in document.paragraphs]
    assert "来源" in texts and any(t.startswith("[1] ") for t in texts)
    assert any(p.style.name.startswith("Heading") and "亮点做法" in p.text for p in document.paragraphs)
    topical = sample_assistant.compare(["天桥区", "绥滨县"], topic="行政复议")
    comparison_docx(topical, tmp_path / "t.docx")
    numbered = [p.text for p in docx.Document(tmp_path / "t.docx").paragraphs
                if p.style.name.startswith("Heading") and p.text != "来源"]
    assert numbered and numbered[0].startswith("一、")  # sections are numbered as printed, whichever are present

    plan_docx(sample_assistant.plan("绥滨县"), tmp_path / "p.docx")
    plan_doc = docx.Document(tmp_path / "p.docx")
    headings = [p.text for p in plan_doc.paragraphs if p.style.name.startswith("Heading")]
    title = next(p for p in plan_doc.paragraphs if p.style.name == "Title")
    assert title.text == "2025年绥滨县法治政府建设工作要点"
    assert any(h.startswith("一、") for h in headings) and any("保障措施" in h for h in headings)
    assert any(p.text.startswith("（一）") for p in plan_doc.paragraphs)
    assert any(p.text.startswith("【借鉴】") for p in plan_doc.paragraphs)  # evidence set apart under its task
    from assistant.exports.word import plan_text_docx

    plan = sample_assistant.plan("绥滨县")
    plan_text_docx(plan, tmp_path / "clean.docx")
    clean = [p.text for p in docx.Document(tmp_path / "clean.docx").paragraphs]
    assert clean[0] == plan.title and plan.opening in clean
    assert not any(re.search(r"\[\d+\]|【|依据|通用表述", t) for t in clean)  # the draft alone, to send on
    assert sum(t.startswith("（一）") for t in clean) == len(plan.sections) + (1 if plan.closing else 0)


def test_docx_is_laid_out_as_an_official_document(sample_assistant, tmp_path):
    import docx
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    plan_docx(sample_assistant.plan("绥滨县"), tmp_path / "p.docx")
    document = docx.Document(tmp_path / "p.docx")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(x.cm, 1) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] \
        == [3.7, 3.5, 2.8, 2.6]

    def east_asian(run):
        return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert east_asian(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    body = next(p for p in document.paragraphs if p.style.name == "Normal" and p.text.startswith("（一）"))
    assert east_asian(body.runs[0]) == "楷体_GB2312" and east_asian(body.runs[-1]) == "仿宋_GB2312"
    assert body.runs[-1].font.size == Pt(16)
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY and normal.line_spacing == Pt(28)


def test_xlsx_export_of_the_matrix_is_readable(full_comparison, tmp_path):
    from openpyxl import load_workbook

    comparison_xlsx(full_comparison, tmp_path / "c.xlsx")
    book = load_workbook(tmp_path / "c.xlsx")
    matrix = book["对比"]
    assert matrix.max_row == 10 and book["来源"].max_row == len(full_comparison.citations) + 1
    assert matrix.column_dimensions["B"].width >= 30 and matrix.column_dimensions["A"].width >= 16
    assert matrix["B2"].alignment.wrap_text and matrix["B2"].alignment.vertical == "top"
    assert matrix.freeze_panes == "B2" and matrix["A1"].font.bold


def test_generated_cells_and_tasks_with_unsupported_figures_are_flagged(sample_assistant):
    server = FakeOpenAI().start()
    try:
        settings = with_updates(sample_assistant.settings, llm_provider="openai-compatible", llm_base_url=server.url,
                                llm_model="scripted")
        llm = Assistant(settings)
        server.default = {"text": "该地区共收到行政复议申请8888件[1]。"}
        c = llm.compare([TIANQIAO, SUIBIN], topic="行政复议")
        assert c.mode == "generative" and c.checks["flagged"] >= 1
        assert any("未经来源核实" in p.text for pts in c.cells.values() for p in pts)

        server.default = {"text": "标题：提升执法规范化水平\n内容：全年培训执法人员9999人次[1]。"}
        plan = llm.plan("绥滨县")
        assert plan.mode == "generative" and plan.checks["flagged"] >= 1
        assert all(t.title == "提升执法规范化水平" and "未经来源核实" in t.text for t in plan.tasks)
        assert plan.problems and all(link.task for link in plan.problems)  # the structure is the offline one
    finally:
        server.stop()


def test_a_comparison_wider_than_the_page_says_it_scrolls(sample_assistant, full_comparison):
    from assistant.interfaces.web.document_html import comparison_html

    assert len(full_comparison.reports) == 5 and "表格可左右滚动" in comparison_html(full_comparison)
    assert "表格可左右滚动" not in comparison_html(sample_assistant.compare(["天桥区", "绥滨县"], topic="行政复议"))


def test_a_list_of_honours_is_no_practice_in_cells_or_highlights(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings

    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "乐平市2023年法治政府建设情况报告\n一、主要工作\n"
        "乐平市入选全省县域营商环境十佳榜单，市行政审批局荣获“全省政务服务先进集体”称号，法治乐平建设考核连续两年获优秀等次。\n"
        "市行政复议局推行“复议+调解”工作法，全年收到行政复议申请88件，调解结案21件。\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "浮梁县2023年法治政府建设情况报告\n一、主要工作\n"
        "县司法局建立行政执法案卷月度评查制度，全年评查案卷156卷。\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([folder])
    result = assistant.compare()
    assistant.close()
    quoted = " ".join(p.text for points in result.cells.values() for p in points)
    quoted += " ".join(s.text for s in result.highlights)
    assert "复议+调解" in quoted and "评查案卷156卷" in quoted
    assert "十佳榜单" not in quoted and "先进集体" not in quoted
