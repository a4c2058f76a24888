"""Boilerplate removal, the heading parser on every numbering style, and metadata of the five samples."""

from __future__ import annotations

import pytest

from ingest.chunking import chunk_paragraph
from ingest.cleaning import clean
from ingest.model import Part
from ingest.pipeline import parse_file
from ingest.structure import parse_paragraphs, split_heading

from .conftest import SAMPLES

NEW_RONG = SAMPLES / "001_67dd1777d5ec419a.txt"


def test_portal_boilerplate_is_removed_and_its_facts_kept():
    report = parse_file(NEW_RONG)
    text = "\n".join(p.text for p in report.paragraphs)
    for chrome in ("欢迎访问", "今天是", "您现在的位置", "字体", "发布时间", "相关解读", "来源:"):
        assert chrome not in text, chrome
    assert report.meta.title == "大同市新荣区政府2021年法治政府建设年度报告"
    assert report.meta.published == "2022-02-17"
    assert not any(p.text in ("大同市新荣区人民政府", "2022年1月19日") for p in report.paragraphs)


def test_clean_lifts_signature_and_date():
    result = clean("正文第一段。\n某某县人民政府\n2024年3月5日")
    assert result.lines == ["正文第一段。"]
    assert result.signer == "某某县人民政府" and result.signed == "2024-03-05"


@pytest.mark.parametrize(
    "line, title, rank",
    [
        ("一、主要工作完成情况", "一、主要工作完成情况", 1),
        ("十一、其他", "十一、其他", 1),
        ("（一）提高政治站位，深入学习习近平法治思想", "（一）提高政治站位，深入学习习近平法治思想", 2),
        ("(二)推进行政决策科学化、民主化、法治化。一是加强规范性文件管理。", "(二)推进行政决策科学化、民主化、法治化", 2),
        ("(十一)优化公共服务。一是持续推进免费公共法律服务。", "(十一)优化公共服务", 2),
        ("1.坚持将法治建设摆在全县工作的重要位置。组织召开会议。", "1.坚持将法治建设摆在全县工作的重要位置", 3),
        ("2、加强领导干部法治理论学习。", "2、加强领导干部法治理论学习", 3),
        ("3．加快政务公开步伐。注重信息公开。", "3．加快政务公开步伐", 3),
        ("（1）规范执法。全面落实三项制度。", "（1）规范执法", 4),
        ("(2)强化监督", "(2)强化监督", 4),
    ],
)
def test_heading_styles_full_and_half_width(line, title, rank):
    assert split_heading(line) == (title, rank)


@pytest.mark.parametrize("line", ["一是推动习近平法治思想落实。", "2022年全区共收到行政复议84件。", "6.2092亿元已偿还。", "正文"])
def test_body_text_is_not_a_heading(line):
    assert split_heading(line) == (None, None)


def test_section_paths_nest_by_numbering_level():
    lines = ["一、工作开展情况", "（一）健全制度机制", "1.坚持法治建设。组织召开会议。", "（1）细项。内容。",
             "2.加强学习。内容。", "（二）推进执法", "正文段落。", "二、存在问题", "（一）意识需加强。部分单位重业务轻法治。"]
    paragraphs = parse_paragraphs(lines, "r.txt", 2024)
    paths = [p.section_path for p in paragraphs]
    assert paths[0] == ("一、工作开展情况", "（一）健全制度机制", "1.坚持法治建设")
    assert paths[1] == ("一、工作开展情况", "（一）健全制度机制", "1.坚持法治建设", "（1）细项")
    assert paths[2] == ("一、工作开展情况", "（一）健全制度机制", "2.加强学习")
    assert paths[3] == ("一、工作开展情况", "（二）推进执法")
    assert paths[4] == ("二、存在问题", "（一）意识需加强")
    assert [p.part for p in paragraphs] == [Part.WORK] * 4 + [Part.PROBLEMS]
    assert [p.id for p in paragraphs] == [f"r.txt#p{i:03d}" for i in range(1, 6)]


def test_paragraph_ids_are_stable_for_the_same_content():
    first = [p.id + p.text for p in parse_file(NEW_RONG).paragraphs]
    assert first == [p.id + p.text for p in parse_file(NEW_RONG).paragraphs]


EXPECTED_PARTS = {
    "000_dbb2a4f5f1cee03e.txt": {"二、下一步工作安排": Part.NEXT, "一、主要工作完成情况": Part.WORK},
    "001_67dd1777d5ec419a.txt": {"三、法治政府建设存在的问题": Part.PROBLEMS, "四、2022年法治政府建设的主要安排": Part.NEXT,
                                 "二、党政主要负责人履行推进法治建设第一责任人职责情况": Part.DUTY},
    "002_d902d7a4c29cde5a.txt": {"四、2022年推进法治政府建设存在的不足": Part.PROBLEMS, "六、2023年推进法治政府建设的工作思路": Part.NEXT,
                                 "三、2022年推进法治政府建设的主要举措和成效": Part.WORK},
    "003_fb7ec0fd7d2f86b8.txt": {"二、存在问题": Part.PROBLEMS, "三、下一步打算": Part.NEXT, "一、工作开展情况": Part.WORK},
    "004_6793ac9eb53e21ba.txt": {"五、2023年工作重点": Part.NEXT, "三、聚焦工作重点,持续提升法治政府建设水平": Part.WORK},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PARTS))
def test_sample_report_parts(name):
    paragraphs = parse_file(SAMPLES / name).paragraphs
    parts = {p.section_path[0]: p.part for p in paragraphs if p.section_path}
    for heading, part in EXPECTED_PARTS[name].items():
        assert parts[heading] == part, heading


def test_inline_problem_paragraph_is_the_problems_part():
    paragraphs = parse_file(SAMPLES / "004_6793ac9eb53e21ba.txt").paragraphs
    problems = [p for p in paragraphs if p.part == Part.PROBLEMS]
    assert len(problems) == 1 and problems[0].text.startswith("一年来,天桥区法治政府建设取得一定成效,但仍存在一些问题")


@pytest.mark.parametrize(
    "name, region, level, province, city, year",
    [
        ("000_dbb2a4f5f1cee03e.txt", "老边区", "区", "辽宁省", "营口市", 2023),
        ("001_67dd1777d5ec419a.txt", "新荣区", "区", "山西省", "大同市", 2021),
        ("002_d902d7a4c29cde5a.txt", "火炬开发区", "开发区", "广东省", "中山市", 2022),
        ("003_fb7ec0fd7d2f86b8.txt", "绥滨县", "县", "黑龙江省", "鹤岗市", 2024),
        ("004_6793ac9eb53e21ba.txt", "天桥区", "区", "山东省", "济南市", 2022),
    ],
)
def test_sample_metadata(name, region, level, province, city, year):
    meta = parse_file(SAMPLES / name).meta
    assert (meta.region, meta.level, meta.province, meta.city, meta.year) == (region, level, province, city, year)


def test_long_paragraphs_split_at_sentence_ends_with_spans():
    paragraph = next(p for p in parse_file(NEW_RONG).paragraphs if len(p.text) > 1000)
    chunks = chunk_paragraph(paragraph, 350)
    assert len(chunks) > 2
    assert "".join(c.text for c in chunks) == paragraph.text
    for c in chunks:
        assert paragraph.text[c.start : c.end] == c.text
        assert c.text.endswith(("。", "；", "！", "？", "”")) or c.end == len(paragraph.text)
