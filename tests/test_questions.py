"""Questions as people ask them, answered from reports unlike the samples (written for these tests).

Each report below is a short, invented annual report of a real county or district; the questions use
short names, everyday verbs, two-part and 第几 / 哪一类最多 forms, and subjects within a part.
"""

from __future__ import annotations

from pathlib import Path

import pytest



REPORTS = {
    "hanyin_2022.txt": """汉阴县人民政府2022年度法治政府建设情况报告
2022年，汉阴县坚持以习近平法治思想为指导，扎实推进法治政府建设。
一、主要工作
（一）化解行政争议。全年共收到行政复议申请47件，依法受理41件，审结39件，其中维持28件，撤销6件。组织开展复议案件庭审观摩3次。
（二）开展法律援助。县法律援助中心全年办理法律援助案件286件，其中民事案件171件，刑事案件115件；接待群众法律咨询1320人次。
（三）畅通群众诉求渠道。12345热线全年受理群众诉求5210件。其中，咨询类2984件，求助类1503件，投诉类723件。
（四）加强组织领导。召开县委全面依法治县委员会第五次会议，研究部署年度法治建设重点任务。
二、存在的问题
一是行政执法人员业务能力不够均衡，乡镇执法队伍力量薄弱，专业人员偏少。二是普法宣传针对性不强，以会议和发放资料为主，群众参与度不高。
三、2023年工作打算
（一）深化综合行政执法改革，推动执法力量向乡镇下沉，开展执法人员全员轮训。
（二）创新普法方式，推出以案释法短视频，建设村级法治文化广场。
""",
    "liuhe_2022.txt": """六合区2022年法治政府建设工作报告
2022年，六合区深入推进依法行政。
一、工作成效
（一）规范执法行为。全区开展行政执法案卷评查，抽查案卷120卷，评查结果全区通报。
（二）培育法律明白人。全区为每个村（社区）培养法律明白人，累计培养2300名。
二、存在的不足
法律顾问作用发挥不充分，部分单位重大决策前未听取法律顾问意见。
三、下一步工作安排
（一）完善法律顾问制度，推动法律顾问参与重大行政决策全过程。
""",
    "yongjia_2022.txt": """永嘉县2022年法治政府建设情况
2022年，永嘉县全面推行行政执法“三项制度”，开展行政执法案卷评查，评查案卷86卷。
全县培养法律明白人1800名，实现行政村全覆盖。全年办理法律援助案件154件。
""",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    folder: Path = tmp_path_factory.mktemp("own-reports")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("store"), embedding_provider=EmbeddingProvider.NONE))
    results = assistant.ingest([folder])
    assert all(r.status == "ok" for r in results), results
    yield assistant
    assistant.close()


def test_asked_unit_chooses_the_figure(library):
    answer = library.ask("汉阴县法援案子办了多少件？")
    assert not answer.refused and "286" in answer.answer
    assert "1320" not in answer.answer  # the 人次 of consultations is not the asked 件 count


def test_breakdown_after_qizhong_stays_with_its_total_and_the_largest_category_is_named(library):
    answer = library.ask("汉阴县12345热线受理的诉求哪一类最多？")
    assert not answer.refused
    quote = answer.citations[0].quote
    assert "5210" in quote and "咨询类2984件" in quote


def test_ordinal_questions_are_answered_by_the_ordinal(library):
    answer = library.ask("汉阴开的是县委全面依法治县委员会第几次会议？")
    assert not answer.refused and "第五次" in answer.answer


def test_two_part_question_answers_both_figures(library):
    answer = library.ask("汉阴县2022年收到多少件行政复议申请，受理了几件？")
    assert "47" in answer.answer and "41" in answer.answer


def test_several_reports_question_reaches_every_report_that_holds_the_fact(library):
    answer = library.ask("哪些地区培养了法律明白人？")
    assert {c.region for c in answer.citations} == {"六合区", "永嘉县"}
    answer = library.ask("哪些地方开展了行政执法案卷评查？")
    assert {c.region for c in answer.citations} == {"六合区", "永嘉县"}


def test_a_generic_act_in_a_which_places_question_does_not_hide_a_report_that_words_it_otherwise(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_text("都昌县2023年法治政府建设情况报告\n全县培养法律明白人900名。\n", encoding="utf-8")
    (tmp_path / "r" / "b.txt").write_text("湖口县2023年法治政府建设情况报告\n每个村配备法律明白人4名，全县共620名。\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([tmp_path / "r"])
    answer = assistant.ask("哪些地区培养了法律明白人？")
    assistant.close()
    assert {c.region for c in answer.citations} == {"都昌县", "湖口县"}  # 配备 says the same act


def test_a_figure_asked_of_no_place_lists_every_report_that_states_it(library):
    answer = library.ask("法律援助办了多少件？")
    assert not answer.refused
    assert {c.region for c in answer.citations} == {"汉阴县", "永嘉县"}
    assert "286" in answer.answer and "154" in answer.answer
    assert any("未指明地区" in n and "3份报告中2份写明" in n for n in answer.notes)
    named = library.ask("永嘉县法律援助办了多少件？")
    assert {c.region for c in named.citations} == {"永嘉县"} and not any("未指明地区" in n for n in named.notes)


def test_a_bare_heading_is_answered_with_the_sentence_that_explains_it(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "wuyuan_2023.txt").write_text(
        "婺源县2023年法治政府建设情况报告\n一、主要工作\n"
        "（一）夯实基层治理。一是推进公共法律服务进村。组建村居法律顾问团队，每月到村坐班两天，为群众解答涉农纠纷。"
        "二是建好人民调解组织。\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([tmp_path / "r"])
    answer = assistant.ask("婺源县公共法律服务进村是怎么做的？")
    assistant.close()
    assert not answer.refused
    assert "一是推进公共法律服务进村" in answer.answer and "每月到村坐班两天" in answer.answer


def test_an_asked_word_no_report_holds_is_said_beside_the_nearest_sentence(library):
    answer = library.ask("汉阴县行政复议申请输了多少件？")  # 输了 is 败诉, which no report prints
    assert not answer.refused and any("“败诉”" in n and "未必正面回答" in n for n in answer.notes)
    for question in ("汉阴县法援案子打赢了多少件？", "汉阴县法律援助中心办理的法律援助案件胜诉多少件？"):
        answer = library.ask(question)
        assert answer.refused or any("“胜诉”" in n for n in answer.notes)  # never answered silently
    plain = library.ask("汉阴县法援案子办了多少件？")
    assert not any("未必正面回答" in n for n in plain.notes)


def test_a_refusal_says_whether_the_topic_is_there_without_the_figure(library):
    there = library.ask("汉阴县普法宣传搞了多少场？")  # its problems part speaks of 普法宣传, with no count
    assert there.refused and "有关于“普法宣传”的内容，但没有写明所问的数字" in there.answer
    assert [c.region for c in there.citations] == ["汉阴县"] and "普法宣传" in there.citations[0].quote  # to check
    absent = library.ask("汉阴县行政复议纠错了多少件？")  # 纠错 is printed nowhere: refused, or said beside the quote
    assert (absent.refused and "未找到" in absent.answer) or any("“纠错”" in n and "未必正面回答" in n for n in absent.notes)


def test_problems_on_one_subject_get_the_sentences_on_that_subject(library):
    answer = library.ask("汉阴县在普法方面承认了哪些不足？")
    assert not answer.refused
    assert "针对性不强" in answer.answer and "执法人员业务能力" not in answer.answer


def test_plan_year_is_the_year_after_the_report(library):
    answer = library.ask("汉阴县2023年在普法上准备怎么做？")
    assert not answer.refused
    assert "短视频" in answer.answer
    assert all(c.year == 2022 for c in answer.citations)
    assert any("2023年的安排写在上一年度报告" in n and "汉阴县（2022年）" in n for n in answer.notes)


def test_refusal_names_the_report_that_was_searched(library):
    answer = library.ask("六合区2022年办了多少件法律援助案件？")
    assert answer.refused
    assert answer.answer.startswith("六合区（2022年）报告中未找到")


def test_place_without_a_report_is_said_and_the_nearest_answer_is_labelled(library):
    answer = library.ask("秭归县2022年办理法律援助案件多少件？")
    assert answer.refused and answer.answer.startswith("报告库中没有秭归县的报告。")
    assert answer.citations and {c.region for c in answer.citations} <= {"汉阴县", "永嘉县"}


def test_year_without_a_report_of_an_existing_region_is_said_as_such(library):
    answer = library.ask("汉阴县2020年收到多少件行政复议申请？")
    assert answer.refused and "报告库中没有汉阴县2020年的报告" in answer.answer
    assert "同一地区其他年份" in answer.answer and answer.citations[0].year == 2022


def test_subject_no_report_holds_is_refused_not_answered_with_a_neighbour(library):
    answer = library.ask("汉阴县2022年办理了多少件公证案件？")
    assert answer.refused and not any("286" in c.quote for c in answer.citations)


def test_traditional_script_reports_answer_simplified_questions(tmp_path):
    """Portals serve some reports in traditional characters; a question typed in simplified ones finds them."""
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "dongcheng.txt").write_text(
        "東城區2024年法治政府建設情況\n2024年，東城區圍繞“北京服務”品牌，共推出168項改革任務。"
        "全年收到行政復議申請212件，受理196件。\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assert assistant.ingest([folder])[0].status == "ok"
    answer = assistant.ask("东城区2024年围绕“北京服务”品牌推出了多少项改革任务？")
    assert not answer.refused and "168" in answer.answer
    answer = assistant.ask("东城区复议收到多少件申请、受理了多少件？")
    assert "212" in answer.answer and "196" in answer.answer
    assistant.close()


def test_which_places_question_is_about_its_topic_not_its_generic_verbs(tmp_path):
    """哪些地方把X列为重点研究部署: reports holding X come first, not the one that merely says 列为 and
    研究部署 (rarer in this library than X, so rarity alone would make them the subject)."""
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    folder = tmp_path / "reports"
    folder.mkdir()
    texts = {
        "zhenping.txt": "镇平县2023年法治政府建设情况报告\n县政府常务会议专题研究府院联动机制建设等重点问题8个，推动行政争议实质化解。\n",
        "fengze.txt": "丰泽区2023年法治政府建设情况报告\n区政府将府院联动工作纳入年度重点工作安排，与区法院召开联席会议4次。\n",
        "yueqing.txt": "乐清市2023年法治政府建设情况报告\n市政府把防汛抗旱列为重点工作，研究部署汛期各项准备，列为年度考核内容。\n",
        "huili.txt": "会理市2023年法治政府建设情况报告\n市里与市法院建立府院联动机制，共同化解行政争议12件。\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assert all(r.status == "ok" for r in assistant.ingest([folder]))
    retrieval = assistant.retrieve("哪些地方把府院联动列为重点工作来研究部署？")
    assert {p.report.name for p in retrieval.passages[:3]} == {"zhenping.txt", "fengze.txt", "huili.txt"}
    answer = assistant.answer_from(retrieval)
    assert "乐清市" not in answer.answer  # 列为 and 研究部署 alone answer nothing
    # Whether a four-line library answers at all is the fitted acceptance's call; when it does, it lists
    # the reports that hold 府院联动.
    assert answer.refused or ("镇平县" in answer.answer and "丰泽区" in answer.answer)
    assistant.close()


def test_a_figure_the_question_states_finds_the_report_that_states_it(library):
    answer = library.ask("哪个县法律援助案件办了154件？")  # 汉阴县 states another count on the same topic
    assert not answer.refused and {c.region for c in answer.citations} == {"永嘉县"} and "154" in answer.answer
    answer = library.ask("哪里案卷评查抽查了120卷？")
    assert {c.region for c in answer.citations} == {"六合区"}


def test_a_figure_no_report_states_is_said_not_matched_to_a_longer_number(library):
    for question, figure in (("哪个县收到行政复议申请7件？", "7件"), ("哪个县法律援助办了155件？", "155件")):
        answer = library.ask(question)  # 47件 holds the digit 7, not the figure; 154件 is another figure
        assert any(f"没有写明“{figure}”" in n and "未必正面回答" in n for n in answer.notes), question
    answer = library.ask("哪个县收到行政复议申请120件？")  # 120 is a count of 案卷, not of 复议
    assert not any("120卷" in c.quote for c in answer.citations)  # 120卷 is no 120件
    assert answer.refused or any("所引内容没有写明“120件”" in n for n in answer.notes)
    stated = library.ask("哪个县法律援助办了154件？")
    assert not any("没有写明" in n for n in stated.notes)


def test_a_part_asked_of_a_report_that_has_none_is_said_not_guessed(library):
    for question, part in (("永嘉县存在哪些问题？", "存在问题"), ("永嘉县明年打算干什么？", "下一步安排")):
        answer = library.ask(question)  # 永嘉县's report is three lines of work done
        assert answer.refused and f"永嘉县（2022年）报告中没有写{part}" in answer.answer
        assert not answer.citations  # other reports' whole lists would be no answer
    listed = library.ask("汉阴县存在哪些问题？")
    assert not listed.refused and "针对性不强" in listed.answer


def test_a_towns_report_is_found_by_the_towns_name(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "qingxi.txt").write_text(
        "青溪镇2024年法治建设工作报告\n2024年以来，青溪镇坚持依法行政，为全镇14个村配齐法律顾问，全年调解纠纷63起。\n",
        encoding="utf-8")
    (tmp_path / "r" / "dutang.txt").write_text(
        "都塘县2024年法治政府建设情况报告\n2024年，都塘县全年调解纠纷1260起。\n", encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([tmp_path / "r"])
    answer = assistant.ask("青溪镇调解了多少起纠纷？")
    problems = assistant.ask("青溪镇存在哪些问题？")
    assistant.close()
    assert {c.region for c in answer.citations} == {"青溪镇"} and "63" in answer.answer
    assert problems.refused and "青溪镇（2024年）报告中没有写存在问题" in problems.answer


def test_a_bound_keeps_the_reports_whose_figure_meets_it(library):
    more = library.ask("哪些地方法律援助超过200件？")  # 汉阴县 286件, 永嘉县 154件
    assert not more.refused and {c.region for c in more.citations} == {"汉阴县"}
    fewer = library.ask("哪些地方法律援助案件不到200件？")
    assert {c.region for c in fewer.citations} == {"永嘉县"}
    none = library.ask("哪些地方法律援助超过1000件？")
    assert none.refused and "有关于“法律援助”的内容，但没有超过1000件的数字" in none.answer


def test_two_named_places_are_each_answered(library):
    answer = library.ask("汉阴县和永嘉县法律援助办了多少件？")
    assert {c.region for c in answer.citations} == {"汉阴县", "永嘉县"} and "286" in answer.answer and "154" in answer.answer
    parts = library.ask("汉阴县和六合区存在哪些问题？")
    assert {c.region for c in parts.citations} == {"汉阴县", "六合区"} and all(c.part == "problems" for c in parts.citations)


def test_two_places_each_with_its_own_ask_get_each_answer(library):
    for question in ("汉阴县法律援助办了多少件？六合区培养了多少名法律明白人？",
                     "两家对比一下：汉阴县法律援助办了多少件？六合区培养了多少名法律明白人？"):
        answer = library.ask(question)
        assert {c.region for c in answer.citations} == {"汉阴县", "六合区"}, question
        assert "286" in answer.answer and "2300" in answer.answer, question


def test_a_first_ask_the_report_does_not_answer_does_not_refuse_the_second(library):
    answer = library.ask("汉阴县行政复议纠错了多少件？法律援助办了多少件？")  # no 纠错 in 汉阴县's report
    assert not answer.refused and "286" in answer.answer
    assert any("纠错" in n and ("未写明" in n or "未必正面回答" in n) for n in answer.notes)


def test_which_towns_searches_the_towns_reports(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    (tmp_path / "r").mkdir()
    for name, text in {
        "a.txt": "青溪镇2024年法治建设工作报告\n2024年以来，青溪镇成立法治建设领导小组，镇长任组长。\n",
        "b.txt": "白沙镇2024年法治政府建设情况报告\n2024年，白沙镇成立法治政府建设领导小组，党委书记任组长。\n",
        "c.txt": "都塘县2024年法治政府建设情况报告\n2024年，都塘县成立平安建设领导小组，督导各乡镇平安建设。\n",
    }.items():
        (tmp_path / "r" / name).write_text(text, encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([tmp_path / "r"])
    answer = assistant.ask("哪些乡镇成立了领导小组？")
    assistant.close()
    assert {c.region for c in answer.citations} == {"青溪镇", "白沙镇"}


def test_who_delivered_a_session_report_is_answered_from_its_metadata(tmp_path):
    from assistant.config.settings import EmbeddingProvider, Settings
    from assistant.service import Assistant

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "zj.txt").write_text(
        "2026年浙江省政府工作报告\n——2026年1月20日在浙江省第十四届人民代表大会第五次会议上\n浙江省省长 林子墨\n各位代表：\n"
        "现在，我代表省人民政府向大会报告工作，请予审议。\n一、2025年工作回顾\n过去一年，全省地区生产总值增长5.5%。\n",
        encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "store", embedding_provider=EmbeddingProvider.NONE))
    assistant.ingest([tmp_path / "r"])
    answer = assistant.ask("浙江的政府工作报告是哪位省长作的？")
    assistant.close()
    assert not answer.refused
    assert "报告人：浙江省省长 林子墨" in answer.answer
    assert "第十四届人民代表大会第五次会议" in answer.citations[0].quote  # the dateline is cited
