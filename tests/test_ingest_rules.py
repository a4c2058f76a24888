"""Parts, key figures, chunk caps and start-up settings on text written for these tests (our own words)."""

from __future__ import annotations

import os
import subprocess
import sys

from assistant.documents.figures import extract
from ingest.chunking import chunk_paragraph
from ingest.cleaning import clean
from ingest.metadata import infer_metadata
from ingest.model import DocType, Paragraph, Part
from ingest.parts import question_part
from ingest.pipeline import parse_file
from ingest.structure import parse_paragraphs

from .conftest import ROOT


def _figures(text: str, doc_type: str = DocType.ANNUAL_REPORT.value):
    cleaned = clean(text)
    meta = infer_metadata("t.txt", cleaned)
    meta = meta.__class__(**{**meta.to_dict(), "doc_type": doc_type})
    return {(f.indicator, f.number, f.approximate) for f in extract(meta, parse_paragraphs(cleaned.lines, "t.txt", 2023))}


def test_a_combined_heading_splits_problems_from_plans():
    lines = ["一、工作成效", "全年推进重点任务十二项。", "二、存在的不足及改进措施",
             "对照上级要求，我市工作仍有差距：一是基层力量薄弱；二是数字化水平不高。",
             "今后，我市将着力补齐短板：一是充实基层执法力量；二是建设执法监督平台。", "继续做好年度报告公开。"]
    parts = [p.part for p in parse_paragraphs(lines, "r.txt", 2023)]
    assert parts == [Part.WORK, Part.PROBLEMS, Part.NEXT, Part.NEXT]


def test_next_year_headings_and_sub_headings_of_combined_parts_are_next_steps():
    lines = ["一、主要做法", "正文。", "二、问题与打算", "（一）存在问题", "执法队伍专业化不足。", "（二）下步打算", "加强培训。",
             "三、2024年重点任务", "深化改革。"]
    parts = [(p.section_path[0], p.part) for p in parse_paragraphs(lines, "r.txt", 2023)]
    assert parts == [("一、主要做法", Part.WORK), ("二、问题与打算", Part.PROBLEMS), ("二、问题与打算", Part.NEXT),
                     ("三、2024年重点任务", Part.NEXT)]


def test_questions_ask_for_parts_in_the_same_vocabulary():
    assert question_part("绍兴市的报告承认了哪些短板？") == Part.PROBLEMS
    assert question_part("来年有什么工作思路") == Part.NEXT
    assert question_part("行政复议收到多少件") is None


def test_figures_with_verb_variants_approximations_and_chinese_numerals():
    found = _figures("2023年，荔湾区依法履职。\n"
                     "全年新收行政复议申请 132 件，依法受理118件，办结109件。纠错率为8.4%。\n"
                     "全区一审行政应诉案件收案47件，行政机关负责人出庭应诉率达到98.5%。\n"
                     "办理法律援助案件约1.1万件；组织普法讲座近百场，会前学法十二次。")
    assert {("行政复议收案", 132.0, False), ("行政复议受理", 118.0, False), ("行政复议审结", 109.0, False),
            ("行政复议纠错率", 8.4, False), ("行政诉讼案件", 47.0, False), ("负责人出庭率", 98.5, False),
            ("法律援助案件", 11000.0, True), ("普法活动", 100.0, True), ("会前学法", 12.0, False)} <= found


def test_a_publicity_drive_on_another_subject_is_no_legal_awareness_activity():
    found = _figures("2022年，江北区依法履职。\n协助开展反洗钱宣传活动2次，举办法治宣传活动12场。")
    assert {(name, value) for name, value, _ in found if name == "普法活动"} == {("普法活动", 12.0)}


def test_documents_counted_in_fen_are_figures_too():
    found = _figures("2024年，某县依法履职。\n全年共审核行政规范性文件4份，清理规范性文件12件。")
    assert {("规范性文件审核", 4.0), ("规范性文件清理", 12.0)} <= {(name, value) for name, value, _ in found}


def test_figures_written_number_first_or_in_a_following_clause():
    found = {(name, value) for name, value, _ in _figures(
        "2023年，临川区依法履职。\n"
        "对9件涉及殡葬管理的规范性文件予以清理；区政府拟印发的23件行政规范性文件全部经过合法性审核。\n"
        "规范性文件管理方面，全年审核文件14份，清理文件7件，报备文件5件。\n"
        "收到各部门备案行政规范性文件11件。出具法律审核意见书36份。\n"
        "全区行政机关负责人100%出庭应诉。举办领导干部法治专题讲座4次；县委理论学习中心组开展宪法专题学习2次。\n"
        "开展行政执法案卷评查3次，抽查案卷132卷。评查行政执法案卷后，审查案件64起。\n"
        "全年作出12项重大决策，均经合法性审查。\n"
        "宪法宣传周期间，围绕习近平法治思想开展专题宣传3200余场次。")}
    assert {("规范性文件清理", 9.0), ("规范性文件审核", 23.0), ("规范性文件审核", 14.0), ("规范性文件清理", 7.0),
            ("规范性文件备案审查", 5.0), ("规范性文件备案审查", 11.0), ("法律意见书", 36.0), ("负责人出庭率", 100.0),
            ("领导干部学法", 4.0), ("领导干部学法", 2.0), ("案卷评查", 132.0), ("案卷评查", 64.0),
            ("重大行政决策", 12.0), ("普法活动", 3200.0)} <= found


def test_documents_repealed_or_declared_void_are_counted_apart_from_those_reviewed():
    found = {(name, value) for name, value, _ in _figures(
        "2023年，崇义县清理行政规范性文件。\n"
        "经全面清理，继续保留县政府规范性文件21件，宣布失效5件、废止8件，修改的规范性文件2件。\n"
        "另对13件规范性文件进行了清理，决定废止的规范性文件4件。")}
    assert {("规范性文件废止失效", 5.0), ("规范性文件废止失效", 8.0), ("规范性文件废止失效", 4.0),
            ("规范性文件清理", 13.0)} <= found
    assert ("规范性文件清理", 21.0) not in found and ("规范性文件清理", 5.0) not in found


def test_look_alike_counts_are_not_key_figures():
    found = {(name, value) for name, value, _ in _figures(
        "2023年，临川区依法履职。\n"
        "法院调撤一审行政诉讼案件15件。备案审查行政规范性文件6件。\n"
        "开展消防安全宣传40场；县委理论学习中心组集体学习党史8次。\n"
        "服务队员走访企业600余人次，政策宣讲75余次。组织宪法宣讲进社区12场。")}
    assert ("行政诉讼案件", 15.0) not in found
    assert ("普法活动", 12.0) in found and ("普法活动", 75.0) not in found  # 政策宣讲 is no 普法
    assert ("规范性文件审核", 6.0) not in found and ("规范性文件备案审查", 6.0) in found
    assert not any(name == "领导干部学法" for name, _ in found)
    assert {v for name, v in found if name == "普法活动"} == {12.0}


def test_figures_counted_in_fen_before_the_documents_they_count():
    found = {(name, value) for name, value, _ in _figures(
        "2022年，吉水县依法履职。\n"
        "完成对县政府拟出台的7份政府规范性文件的合法性审核，并对3份部门规范性文件进行备案。\n"
        "对县政府拟签订的41份招商合作协议进行了合法性审查。从年度议题中选出5项决策事项纳入目录管理。\n"
        "举办习近平法治思想专题培训6次。")}
    assert {("规范性文件审核", 7.0), ("规范性文件备案审查", 3.0), ("合同审查", 41.0), ("重大行政决策", 5.0),
            ("领导干部学法", 6.0)} <= found
    assert ("规范性文件审核", 3.0) not in found


def test_a_study_group_or_a_reconsideration_opinion_is_not_another_kind():
    found = {(name, value) for name, value, _ in _figures(
        "2022年，吉水县依法履职。\n县委理论学习中心组学法9次。制发行政复议意见书3件。")}
    assert ("会前学法", 9.0) not in found and ("法律意见书", 3.0) not in found


def test_a_count_per_village_is_no_total_and_a_lower_bound_is_approximate():
    found = _figures("2023年，某县依法履职。\n全县各村均培养法律明白人4名以上。每所中小学配备法治副校长1名。\n"
                     "每年开展常务会议学法12次。行政机关负责人出庭应诉率达95%以上。全县共培养法律明白人1200名。")
    assert not any(name == "法治副校长" or value == 4.0 for name, value, _ in found)
    assert {("会前学法", 12.0, False), ("负责人出庭率", 95.0, True), ("法律明白人", 1200.0, False)} <= found


def test_accepted_cases_and_officials_study_keep_their_own_kinds():
    found = _figures("2023年，某区依法履职。\n目前共受理行政复议案件3件，其中维持1件。组织全区领导干部学法2次。")
    assert {("行政复议受理", 3.0, False), ("领导干部学法", 2.0, False)} <= found
    assert not any(name in ("行政复议收案", "会前学法") for name, _, _ in found)


def test_accepted_mediation_cases_are_counted():
    found = _figures("2022年，某区依法履职。\n全年共受理人民调解案件367件，调解成功率98%。")
    assert ("人民调解案件", 367.0, False) in found


def test_traditional_script_figures_are_read():
    found = {(name, value) for name, value, _ in _figures("2021年，某市依法行政。\n全市一審行政訴訟敗訴率降至4.1%。")}
    assert ("行政机关败诉率", 4.1) in found


def test_a_topic_carries_into_the_next_sentence():
    found = _figures("2023年，东湖区推进复议体制改革。\n行政复议收案88件。受理80件，审结75件。")
    assert {("行政复议收案", 88.0, False), ("行政复议受理", 80.0, False), ("行政复议审结", 75.0, False)} <= found


def test_other_document_types_give_no_figures_by_default():
    text = "2023年，东湖区推进复议体制改革。\n全年收到行政复议申请88件。"
    assert _figures(text, DocType.COURT_REPORT.value) == set()
    assert ("行政复议收案", 88.0, False) in _figures(text)


def _paragraph(text: str) -> Paragraph:
    return Paragraph("r.txt#p001", 1, text, (), Part.WORK)


def test_a_line_without_punctuation_is_cut_at_the_cap_and_covered_whole():
    text = "依法行政" * 500_000  # 2,000,000 characters, no punctuation at all
    chunks = chunk_paragraph(_paragraph(text), 350)
    assert max(len(c.text) for c in chunks) <= 350 and "".join(c.text for c in chunks) == text
    assert all(text[c.start : c.end] == c.text for c in chunks[:5])


def test_an_over_long_sentence_is_cut_after_commas():
    clause = "推进行政执法公示制度落实，"
    text = clause * 100 + "。"
    chunks = chunk_paragraph(_paragraph(text), 350)
    assert all(len(c.text) <= 350 for c in chunks) and all(c.text.endswith("，") for c in chunks[:-1])


def test_a_very_large_file_is_parsed_with_its_region(tmp_path):
    report = "2023年，安吉县坚持依法行政。现将有关情况报告如下：\n一、主要举措\n安吉县人民政府全年召开常务会议学法12次。\n"
    path = tmp_path / "big.txt"
    path.write_text(report * 40_000 + "法治" * 1_000_000 + "\n", encoding="utf-8")  # about 12 MB
    parsed = parse_file(path)
    assert parsed.meta.region == "安吉县" and max(len(c.text) for c in parsed.chunks) <= 350


def test_openmp_waits_passively_before_the_embedding_engine_loads():
    code = "import os, assistant; print(os.environ['OMP_WAIT_POLICY'], os.environ['OMP_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "KMP_"))}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    policy, threads = out.stdout.split()
    assert policy == "PASSIVE" and 1 <= int(threads) <= 4
    env["OMP_NUM_THREADS"] = "1"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[1] == "1"  # a user's own setting wins


def test_study_that_is_no_pre_meeting_law_study_is_not_counted_as_such():
    found = {(name, value) for name, value, _ in _figures(
        "2024年，青溪镇坚持会前学法制度。\n"
        "全年开展会前学法9次；党委会定期学法每月1次；坚持周例会学法，全年11次。\n"
        "开展党委理论中心组学习6次、主题教育集中学习4次。")}
    assert ("会前学法", 9.0) in found
    assert not {("会前学法", 1.0), ("会前学法", 11.0), ("会前学法", 6.0), ("会前学法", 4.0)} & found
