"""`eval --fit` and `eval --loso`: fit the models on every labelled set, and measure each set with models
fitted without it (leave-one-set-out): the figure that counts, since no set is measured by weights that
saw it. Blind sets are never fitted on; they are measured with the models fitted on all the others.
"""

from __future__ import annotations

from rich.console import Console

from assistant.answering.candidates import FEATURES as SENTENCE_FEATURES
from assistant.answering.candidates import SIGNS as SENTENCE_SIGNS
from assistant.answering.conversation import rewrite
from assistant.config.settings import Settings
from assistant.evaluation.fit import QuestionRows, candidate_label, fit_models, holds_gold
from assistant.evaluation.qa import OpenSuite, Suite, conversation, measure, open_suite
from assistant.retrieval.hybrid import PASSAGE_FEATURES, PASSAGE_MODEL, PASSAGE_SIGNS
from assistant.answering.scorer import SENTENCE_MODEL

# Passages whose sentences become training candidates (more than an answer reads: the fit sees how
# rank lowers a sentence's chances).
COLLECT_POOL = 10
# What fit_models is given: the features of each model and the signs their weights must keep.
MODEL_SPEC = (PASSAGE_FEATURES, SENTENCE_FEATURES, PASSAGE_SIGNS, SENTENCE_SIGNS)
# Rounds of collecting and fitting (see fit_and_measure).
FIT_ROUNDS = 2


def collect(opened: OpenSuite) -> list[QuestionRows]:
    """Every question's passages and candidates with their features and labels."""
    assistant = opened.assistant
    answerer = assistant.answerer()
    metas = assistant.store.reports()
    rows = []
    for q in opened.questions:
        history = conversation(assistant, q)
        standalone, _ = rewrite(q["question"], history, metas, None, assistant.settings.history_turns)
        retrieval = assistant.retrieve(standalone)
        golds, keywords = q.get("gold", []), q.get("answer_keywords", [])
        question = retrieval.question
        item = QuestionRows(opened.suite.name, q.get("id", ""), not q.get("expect_refusal"), question.multi,
                            question.part is not None and not question.numeric, retrieval.scope.widened)
        for passage in retrieval.ranked:
            item.passages.append(passage.features)
            item.passage_labels.append(int(holds_gold(passage.report.name, passage.paragraph.text, golds)))
        for ask in retrieval.question.asks:
            candidates = answerer.maker.candidates(retrieval.passages[:COLLECT_POOL], ask, retrieval.question)
            item.asks.append([(c.features, candidate_label(c.passage.report.name, c.text, golds, keywords))
                              for c in candidates])
            item.reports.append([c.passage.report.name for c in candidates])
        rows.append(item)
    return rows


def fit_and_measure(settings: Settings, suites: list[Suite], console: Console, write: bool) -> list[dict]:
    """Fit on every set that is not blind (written to fitted/ when `write`), then measure each such set
    with models fitted without it, and each blind set with the models fitted on all."""
    opened = [open_suite(settings, suite, console) for suite in suites]
    try:
        # The candidates a question gets depend on the models that rank its passages: fitted once on what
        # the models in use retrieve, then again on what the new ones retrieve (a near fixed point, so
        # that the result depends little on the models it started from).
        for _ in range(FIT_ROUNDS):
            rows = {o.suite.name: collect(o) for o in opened if not o.suite.blind}
            everything = [q for qs in rows.values() for q in qs]
            passages, sentences = fit_models(everything, *MODEL_SPEC)
            for o in opened:
                o.assistant.passage_model, o.assistant.sentence_model = passages, sentences
        if write:
            passages.save(PASSAGE_MODEL)
            sentences.save(SENTENCE_MODEL)
            console.print(f"已拟合并写入 {PASSAGE_MODEL.name}、{SENTENCE_MODEL.name}（问题集：{'、'.join(rows)}；"
                          f"句子阈值 {sentences.threshold:.2f}）")
        results = []
        for o in opened:
            others = [q for name, qs in rows.items() if name != o.suite.name for q in qs]
            held_out = o.suite.blind or not others
            models = (passages, sentences) if held_out else fit_models(others, *MODEL_SPEC)
            o.assistant.passage_model, o.assistant.sentence_model = models
            metrics = measure(o)
            metrics["measured_with"] = ("盲测：用其余各集拟合的模型" if o.suite.blind else
                                        "留一集：拟合时未用本集" if not held_out else "拟合时用过本集（只有这一集）")
            results.append(metrics)
        return results
    finally:
        for o in opened:
            o.close()
