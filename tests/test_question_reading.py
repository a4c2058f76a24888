"""How a question is read (figures it states, bounds, years, places, alternatives, follow-ups) and how a
long sentence is cut to the clauses that answer it: on questions and sentences written for these tests."""

from __future__ import annotations

import pytest

from assistant.retrieval.question import parse
from ingest.model import ReportMeta

from .helpers import two_regions as _metas



def test_everyday_words_become_the_reports_words_and_fillers_are_dropped():
    question = parse("汉阴那边法援案子办了多少件？", _metas())
    assert question.regions == ["汉阴县"]
    words = [t.word for t in question.asks[0].terms]
    assert "法律援助" in words and "案件" in words and "那边" not in words
    assert "件" in question.asks[0].units


def test_an_english_abbreviation_reaches_the_reports_word_and_a_refusal_keeps_its_case():
    from assistant.answering.compose import topic_of

    question = parse("六合区GDP增长多少？", _metas())
    forms = {f for t in question.asks[0].terms for f in t.forms}
    assert "地区生产总值" in forms
    assert "ISO认证" in topic_of(parse("六合区ISO认证有几家？", _metas()))


def test_a_count_named_by_its_noun_asks_for_a_figure_in_its_units():
    ask = parse("各区县的行政复议案件数对比一下", _metas()).asks[0]
    assert "件" in ask.units and [t.word for t in ask.terms] == ["行政复议"]  # 案件数 is the measure, not a topic
    assert not parse("六合区数据共享做了什么？", _metas()).asks[0].units  # 数据 is no count


def test_where_in_a_meeting_is_a_frame_not_the_subject():
    # "会上" is where something happened, never what was asked: as the rarest word it would become the
    # subject that every answering sentence must hold, and the report writes 常务会议 instead.
    question = parse("六合区在哪一次常务会上专题研究了规范性文件清理？", _metas())
    words = [t.word for t in question.asks[0].terms]
    assert "会上" not in words and "常务" in words and "专题研究" in words


def test_two_part_question_is_two_asks_the_second_on_the_first_ones_topic():
    question = parse("汉阴县复议收到多少件申请，受理了几件？", _metas())
    assert len(question.asks) == 2
    assert [t.word for t in question.asks[1].terms] == ["受理"]
    assert {"行政复议", "申请"} <= {t.word for t in question.asks[1].context}  # 复议 is 行政复议 in the reports


def test_question_words_and_bodies_of_an_area_are_no_place_names():
    question = parse("哪几个县召开了县委全面依法治县委员会会议？", _metas())
    assert question.unknown_places == [] and question.multi
    assert question.asks[0].units == ()  # 哪几个 asks which reports, not how many


def test_a_share_is_asked_by_rate_words_not_by_words_that_merely_hold_the_character():
    assert parse("汉阴县出庭应诉率是多少？", _metas()).asks[0].units == ("%",)
    assert parse("哪个县率先推行了告知承诺制？", _metas()).asks[0].units == ()


def test_a_question_that_only_names_a_rate_asks_for_it():
    question = parse("六合区的负责人出庭率", _metas())
    assert question.asks[0].units == ("%",)
    assert parse("六合区行政执法证发了多少？", _metas()).asks[0].terms[-1].word == "执法证"


def test_question_words_about_reports_and_department_bodies_are_not_topics():
    metas = [ReportMeta("p.txt", region="普陀区", aliases=("普陀",), city="上海市", province="上海市", level="部门",
                        author="普陀区司法局", year=2022)]
    question = parse("普陀区司法局2022年收到多少件行政复议申请？", metas)
    assert question.regions == ["普陀区"] and "司法局" not in [t.word for t in question.terms]
    assert metas[0].heading_label() == "普陀区司法局（2022年）"  # a department's report is labelled by its body
    assert parse("张家港经开区(杨舍镇)受理了多少件行政许可申请？", [
        ReportMeta("z.txt", region="张家港经济技术开发区", aliases=("张家港经开区",), year=2023)]).asks[0].terms[0].word != "杨舍镇"



def test_the_dictionary_table_splits_questions_exactly_as_the_whole_dictionary():
    """Questions are split with jieba's dictionary read word by word from a table (fast start); the
    splits must be those of the whole dictionary, rare words (那份, frequency 3) and unknown runs alike."""
    import jieba

    from assistant.language.word_table import table_tokenizer

    table = table_tokenizer()
    assert table is not None and not isinstance(table.FREQ, dict)
    whole = jieba.Tokenizer()
    for text in ("汉阴县那份报告落款是哪天？网上是什么时候发布的？",
                 "六合区这几年培养的法律明白人一共有多少名？地区生产总值是多少？",
                 "永嘉县去年评查了多少卷行政执法案卷？“一业一证”改革搞得怎么样",
                 "东城区围绕北京服务品牌推出的改革任务，嘉善县司法局是哪天发的？"):
        assert table.lcut(text) == whole.lcut(text), text
        assert table.lcut_for_search(text) == whole.lcut_for_search(text), text
    for tokenizer in (table, whole):
        tokenizer.add_word("汉阴县", freq=2000)
    assert table.lcut("汉阴县城关镇") == whole.lcut("汉阴县城关镇")
    assert "那份" not in table.lcut("那份报告")


def test_a_stated_figure_is_a_term_but_a_bound_an_ordinal_or_a_bare_year_is_not():
    asks = parse("哪个区收到行政复议84件？", _metas()).asks
    figures = [t for t in asks[0].terms if t.figure]
    assert [t.word for t in figures] == ["84件"] and figures[0].found_in("收到84件") and not figures[0].found_in("1984件")
    assert [t.word for t in parse("出庭率达到100%的有哪些？", _metas()).terms if t.figure] == ["100%"]
    for question in ("法律援助超过1000件的有哪些地区？", "哪些地区调解500件以上？", "第3次常务会议学了什么法？",
                     "2023汉阴法律援助办了多少件？"):
        terms = parse(question, _metas()).terms
        assert not any(t.figure for t in terms), question
        assert not {"超过", "以上"} & {t.word for t in terms}, question


def test_how_many_years_asks_a_count_of_years_but_a_span_of_years_frames_the_question():
    from ingest.text import has_figure

    assert parse("六合区连续几年获评法治建设先进？", _metas()).asks[0].units == ("年",)
    assert "年" not in parse("这几年六合区法律援助办了多少件？", _metas()).asks[0].units
    assert parse("近几年六合区行政复议有什么变化？", _metas()).asks[0].units == ()
    assert has_figure("连续四年获评优秀", ("年",)) and has_figure("连续14年获评优秀", ("年",))
    assert not has_figure("2021年全省考核获评优秀", ("年",))  # a year counts no years


def test_a_county_name_inside_a_word_is_no_place_but_one_standing_alone_is():
    named = parse("汉阴县创建法治政府建设示范县有啥做法？", _metas())  # 示范县 holds 范县
    assert named.regions == ["汉阴县"] and named.unknown_places == []
    assert parse("看看范县的法律援助", _metas()).unknown_places == ["范县"]
    assert parse("两个公安的报告对比一下执法培训", _metas()).unknown_places == []  # 公安 is a common word first
    assert parse("中牟的法律援助办了多少件", _metas()).unknown_places == ["中牟"]


def test_colloquial_questions_about_a_reports_author_and_posting_date_are_about_the_report():
    for question in ("汉阴那份报告是哪个单位出的？", "汉阴县的报告啥时候挂出来的？"):
        parsed = parse(question, _metas())
        assert parsed.about_reports and parsed.terms == [], question


def test_first_of_a_series_is_an_ordinal():
    from ingest.text import has_ordinal

    assert has_ordinal("巩固全省首批法治政府建设示范县成果") and has_ordinal("获评第三批示范县")
    assert not has_ordinal("首先要抓好学法")


def test_a_bound_is_read_with_its_comparison_and_unit():
    ask = parse("哪些地区调解500件以上？", _metas()).asks[0]
    assert (ask.bound.operator, ask.bound.value, ask.bound.unit) == (">=", 500.0, "件") and "件" in ask.units
    ask = parse("出庭率低于90%的有哪些？", _metas()).asks[0]
    assert (ask.bound.operator, ask.bound.value, ask.units) == ("<", 90.0, ("%",))
    assert parse("法律援助1000多件的地区", _metas()).asks[0].bound is None  # 多: approximate, no bound


def test_a_year_written_without_nian_is_a_year_and_a_bare_number_is_neither_year_nor_figure():
    assert parse("汉阴（2022）法律援助办了多少件？", _metas()).years == [2022]
    hotline = parse("汉阴县12345热线受理了多少件？", _metas())
    assert hotline.years == [] and not any(t.figure for t in hotline.terms)


def test_words_written_as_alternatives_are_one_term_held_by_either():
    terms = parse("六合区合法性/法制审核做了多少件？", _metas()).terms
    either = next(t for t in terms if "/" in t.word)
    assert either.found_in("完成合法性审核317项") and either.found_in("完成法制审核31件")
    assert "哪个部门" not in "".join(t.word for t in parse("六合区领导小组办公室设在哪个部门？", _metas()).terms)
    assert "部门" not in {t.word for t in parse("六合区领导小组办公室设在哪个部门？", _metas()).terms}


def test_a_department_written_after_its_place_is_the_author_not_the_topic():
    question = parse("汉阴县公安局党委中心组学习几次？", _metas())
    assert question.regions == ["汉阴县"] and "公安局" not in {t.word for t in question.terms}
    hall = parse("汉阴县政务服务大厅一年大概办多少件？", _metas())  # a hall (大厅) is no 厅
    assert "大厅" in "".join(t.word for t in hall.terms) and "大概" not in {t.word for t in hall.terms}


def test_a_follow_up_replaces_the_place_as_the_last_question_wrote_it():
    from assistant.answering.conversation import Turn, rewrite

    history = [Turn(question="汉阴法律援助办了多少件？", standalone="汉阴法律援助办了多少件？", answer="…", years=(2022,))]
    for follow_up in ("那六合区呢？", "那六合呢？"):
        standalone, _ = rewrite(follow_up, history, _metas(), None)
        assert standalone == "六合区法律援助办了多少件？", follow_up

@pytest.mark.parametrize("text, asked, figure", [
    ("全年共破获各类刑事案件312起，抓获违法犯罪嫌疑人405名，刑事立案数(同比下降13.4%，降幅全市第一)，"
     "电信网络诈骗案件(同比下降21.9%，发案数全市最少)，侵财类案件发案数同比下降8.2%，辖区治安形势持续向好，"
     "群众安全感满意度达到98.7%，位居全市前列，为经济社会发展营造了安全稳定的环境。", "刑事立案数", "刑事立案数(同比下降13.4%，降幅全市第一)"),
    ("2023年，对照年度工作要点，扎实推进法治公安和平安建设，全区社会治安呈现案件类警情(同比下降21.9%，"
     "刑事立案数同比下降13.4%，电信诈骗发案数同比下降30.2%，群众安全感满意度持续提升，治安形势持续向好，"
     "为经济社会高质量发展营造了安全稳定的社会环境，得到上级机关和辖区群众的充分肯定。", "案件类警情", "21.9%"),
    ("2023年，对照年度工作要点，扎实推进法治公安和平安建设，全区社会治安呈现案件类警情(同比下降21.9%，实现连降，"
     "降幅排名全市第一)、刑事立案数(同比下降13.4%)和破获刑事案件数(同比上升4.6%)、抓获违法犯罪人员数(同比上升16%)、"
     "逮捕数(同比上升5.4%)、刑事案件破案率(同比增加7.6个百分点)的良好态势，取得了一定的工作成效，得到群众充分肯定。",
     "案件类警情", "21.9%"),
])
def test_a_long_sentence_is_cut_to_the_asked_clauses_keeping_brackets_whole_when_it_can(text, asked, figure):
    """Cut outside brackets; a bracket never closed, or a bracketed list longer than a quote, is cut anyway."""
    from assistant.answering.quotes import trim_to_clauses

    start, end = trim_to_clauses(text, 0, len(text), frozenset({asked}), want_figure=True)
    assert figure in text[start:end]


@pytest.mark.parametrize("text, levels", [
    ("里面哪份是镇一级的报告？", {"乡镇"}),  # jieba: 镇 | 一级
    ("哪份是市级的报告", {"地级市", "县级市"}),
    ("哪份报告是省级的？", {"省"}),
    ("哪份是县级的报告？", {"县", "县级市", "旗"}),  # the table's own row wins over the derived 县 + 级
])
def test_a_level_written_with_ji_or_yiji_asks_for_reports_of_that_level(text, levels):
    question = parse(text, [])
    assert question.about_reports and question.levels == levels


def test_a_which_report_question_about_content_asks_no_level():
    question = parse("哪份报告提到了市场监管", [])
    assert not question.about_reports and question.levels == set()


def test_a_short_name_taught_to_the_tokenizer_by_a_stored_report_is_still_a_place_a_question_names():
    from assistant.language.tokens import add_words, word_frequency

    add_words(["中牟县", "中牟"])  # as storing a report about 中牟县 does, in any store of this process
    assert word_frequency("中牟") < 1000  # its frequency in the language, not the taught one
    assert parse("中牟的法律援助办了多少件", _metas()).unknown_places == ["中牟"]
