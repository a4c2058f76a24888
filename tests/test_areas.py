"""Placing sentences in the 纲要's nine areas: measured on the labelled set, and the rules behind it."""

from __future__ import annotations

from pathlib import Path

from assistant.documents.areas import AREAS, classify, lexical_scores
from assistant.evaluation.areas import run_area_eval

DATA = Path(__file__).resolve().parent / "data"
AREA_ACCURACY_FLOOR = 0.90


def test_area_accuracy_on_the_labelled_set_meets_the_floor():
    metrics = run_area_eval(DATA / "areas_labelled.jsonl")
    assert metrics["n"] == 270
    assert metrics["accuracy"] >= AREA_ACCURACY_FLOOR, metrics["confusions"][:5]
    assert all(e["accuracy"] >= 0.8 for e in metrics["by_area"].values()), metrics["by_area"]


def test_nine_areas_with_their_chapter_titles():
    assert len(AREAS) == 9
    assert all(a.title.startswith(("健全", "加强")) and a.keywords for a in AREAS)


def test_the_thing_done_outweighs_the_purpose_it_serves():
    # A purpose clause (为…/围绕…) names why; the rest of the sentence names what was done.
    sentence = "为持续优化营商环境，县司法局对本级红头文件逐件复核，废止2件。"
    assert classify(sentence).name == "依法行政制度体系"


def test_a_document_title_says_less_than_the_running_text():
    sentence = "印发《关于优化营商环境的若干措施》后，组织执法人员开展行政处罚案卷交叉评查。"
    assert classify(sentence).name == "行政执法工作体系"


def test_a_sentence_with_no_area_word_is_placed_by_meaning():
    sentence = "暴雨来临前，镇里把河边低洼处的住户连夜转到了学校安置点。"
    assert not lexical_scores(sentence).get("社会矛盾纠纷化解")
    assert classify(sentence).name == "突发事件应对体系"
