"""`eval`: retrieval and answer quality on a question set (format in shared/eval/README.md).

Matching follows that README: NFKC with white space removed on both sides; a gold quote is retrieved
when a returned passage of the same report contains it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ingest import PARSER_VERSION
from ingest.text import normalise

from assistant.answering.answer import Answer, checks_text
from assistant.retrieval.hybrid import Passage
from assistant.config.settings import PROJECT_DIR, Settings, with_updates
from assistant.evaluation.baseline import baseline_metrics
from assistant.store.ingestion import collect_files

SUITES_FILE = Path(__file__).with_name("suites.json")
# Question kinds whose answer lists a part's items (the gold names a few of them).
LIST_KINDS = ("problems", "plans")
METRICS = ("recall_at_5", "recall_at_10", "mrr_at_10", "keyword_accuracy", "citation_precision", "refusal_accuracy")


@dataclass
class Outcome:
    question: dict
    passages: list[Passage]
    answer: Answer
    retrieval_ms: float
    answer_ms: float


def load_questions(path: Path) -> list[dict]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                questions.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON line: {exc}") from exc
    return questions


@dataclass(frozen=True)
class Suite:
    """A question set and the reports it is asked over (each set gets a store of exactly those reports).
    A blind set is only ever measured: `eval --fit` never fits on it."""

    name: str
    qa: Path
    reports: tuple[Path, ...]
    blind: bool = False


def default_suites() -> list[Suite]:
    """The project's own sets (assistant/evaluation/suites.json): development, tuning-free and generalisation."""
    return load_suites(SUITES_FILE, PROJECT_DIR)


def load_suites(path: Path, base: Path | None = None) -> list[Suite]:
    """Suites listed in a JSON file like suites.json; paths are relative to `base` (the file's folder)."""
    base = base or path.parent
    entries = json.loads(path.read_text(encoding="utf-8"))["suites"]
    return [Suite(e["name"], base / e["qa"], tuple(base / r for r in e["reports"]), bool(e.get("blind")))
            for e in entries]


def default_area_sets() -> list[Path]:
    """The labelled-area files eval measures placement on when run with no option."""
    return [PROJECT_DIR / f for f in json.loads(SUITES_FILE.read_text(encoding="utf-8")).get("areas", [])]


@dataclass
class OpenSuite:
    """A suite with its store open: its assistant, report files and questions."""

    suite: Suite
    assistant: object
    files: list[Path]
    questions: list[dict]

    def close(self) -> None:
        self.assistant.close()


def open_suite(settings: Settings, suite: Suite, console: Console | None = None) -> OpenSuite:
    """A store holding exactly the suite's reports. Stores live under <data-dir>/eval/<reports key> and are
    reused: unchanged files are not re-embedded."""
    from assistant.service import Assistant

    files, _ = collect_files(list(suite.reports))
    # The store is per set of reports and per version of the parser: a parser that reads reports anew
    # gets a store of its own (files already stored are never parsed again).
    key = hashlib.sha1("|".join([PARSER_VERSION, *sorted(str(p.resolve()) for p in suite.reports)]).encode()).hexdigest()[:12]
    assistant = Assistant(with_updates(settings, data_dir=settings.data_dir / "eval" / key))
    wanted = {f.name for f in files}
    for stale in [r.meta.name for r in assistant.library() if r.meta.name not in wanted]:
        assistant.remove(stale)
    failed = [r for r in assistant.ingest(files) if r.status == "error"]
    if console and failed:
        console.print(f"[red]{len(failed)} 个文件导入失败：{'、'.join(f'{r.name}（{r.reason}）' for r in failed)}[/red]")
    return OpenSuite(suite, assistant, files, load_questions(suite.qa))


def measure(opened: OpenSuite) -> dict:
    """Score the suite's questions with its assistant's current models, and the baselines beside it."""
    metrics = score([run_one(opened.assistant, q) for q in opened.questions])
    metrics["set"] = opened.suite.name
    metrics["blind"] = opened.suite.blind
    metrics["baseline_bm25"] = baseline_metrics(opened.questions, opened.files)
    metrics["baseline_bigrams"] = baseline_metrics(opened.questions, opened.files, bigram=True)
    return metrics


def run_eval(settings: Settings, suite: Suite, console: Console | None = None) -> dict:
    """Score one question set on a store holding exactly the suite's reports, and the plain BM25 beside it."""
    opened = open_suite(settings, suite, console)
    try:
        return measure(opened)
    finally:
        opened.close()


def conversation(assistant, question: dict) -> list:
    """The turns asked before a follow-up (its "history"), as the chat records them."""
    from assistant.answering.conversation import Turn

    turns: list = []
    for earlier in question.get("history", []):
        turns.append(Turn.of(assistant.ask(earlier, history=list(turns))))
    return turns


def run_one(assistant, question: dict) -> Outcome:
    """The answer goes through the configured provider, streamed, after the question's history; retrieval
    is measured on its own, on the question as the conversation made it stand alone."""
    history = conversation(assistant, question)
    answer = None
    for item in assistant.ask_stream(question["question"], history=history):
        if not isinstance(item, str):
            answer = item
    t0 = time.perf_counter()
    retrieval = assistant.retrieve(answer.standalone_question or question["question"])
    retrieval_ms = (time.perf_counter() - t0) * 1000
    return Outcome(question, retrieval.passages, answer, retrieval_ms, answer.timings_ms.get("total", 0.0))


def gold_rank(outcome: Outcome, gold: dict, k: int) -> int | None:
    quote = normalise(gold["quote"])
    for rank, passage in enumerate(outcome.passages[:k], 1):
        if passage.report.name == gold["report"] and quote in normalise(passage.paragraph.text):
            return rank
    return None


def score(outcomes: list[Outcome]) -> dict:
    metrics = _metrics(outcomes)
    kinds = sorted({o.question.get("kind", "other") for o in outcomes})
    metrics["by_kind"] = {kind: _metrics([o for o in outcomes if o.question.get("kind", "other") == kind]) for kind in kinds}
    metrics["questions"] = [_detail(o) for o in outcomes]
    return metrics


def _metrics(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if not o.question.get("expect_refusal")]
    unanswerable = [o for o in outcomes if o.question.get("expect_refusal")]
    result: dict = {"questions": len(outcomes), "answerable": len(answerable)}
    if answerable:
        result["recall_at_5"] = _share(answerable, lambda o: _all_gold_within(o, 5))
        result["recall_at_10"] = _share(answerable, lambda o: _all_gold_within(o, 10))
        result["mrr_at_10"] = round(sum(_reciprocal_rank(o) for o in answerable) / len(answerable), 3)
        result["keyword_accuracy"] = _share(answerable, _has_keywords)
        cited = [(o, c) for o in answerable for c in o.answer.citations]
        result["citation_precision"] = round(sum(_citation_ok(o, c) for o, c in cited) / len(cited), 3) if cited else None
        result["answered_when_answerable"] = _share(answerable, lambda o: not o.answer.refused)
    if unanswerable:
        result["refused_when_unanswerable"] = _share(unanswerable, lambda o: o.answer.refused)
    result["refusal_accuracy"] = _share(outcomes, lambda o: o.answer.refused == bool(o.question.get("expect_refusal")))
    result["latency_ms"] = {
        "retrieval": percentiles([o.retrieval_ms for o in outcomes]),
        "answer": percentiles([o.answer_ms for o in outcomes]),
    }
    generated = [o.answer for o in outcomes if o.answer.mode == "generative"]
    result["modes"] = {"generative": len(generated), "extractive": len(outcomes) - len(generated),
                       "fallbacks": sum(1 for o in outcomes if o.answer.fallback_reason)}
    if generated:
        result["citation_checks"] = {k: sum((a.checks or {}).get(k, 0) for a in generated) for k in ("verified", "repaired", "flagged")}
        result["latency_ms"]["first_token"] = percentiles([a.timings_ms.get("first_token", 0.0) for a in generated])
    return result


def _all_gold_within(outcome: Outcome, k: int) -> bool:
    return all(gold_rank(outcome, g, k) is not None for g in outcome.question.get("gold", []))


def _reciprocal_rank(outcome: Outcome) -> float:
    ranks = [r for g in outcome.question.get("gold", []) if (r := gold_rank(outcome, g, 10)) is not None]
    return 1.0 / min(ranks) if ranks else 0.0


def _has_keywords(outcome: Outcome) -> bool:
    text = normalise(outcome.answer.answer)
    return all(normalise(k) in text for k in outcome.question.get("answer_keywords", []))


def _citation_ok(outcome: Outcome, citation) -> bool:
    """A citation is precise when its paragraph holds a gold quote of its report, or when it comes from a
    gold report and states one of the answer's facts: its quoted sentence holds an answer keyword;
    (哪些地区… questions, whose facts are places) its report's region does; or (a question listing a
    report's problems or plans, whose gold names a few items) it is an item of the same part."""
    paragraph = normalise(citation.text)
    golds = outcome.question.get("gold", [])
    if any(g["report"] == citation.report and normalise(g["quote"]) in paragraph for g in golds):
        return True
    if outcome.question.get("kind") in LIST_KINDS and (citation.report, citation.part) in _gold_parts(outcome):
        return True
    said = normalise(citation.quote) + normalise(citation.region or "")
    return (citation.report in {g["report"] for g in golds}
            and any(normalise(k) in said for k in outcome.question.get("answer_keywords", [])))


def _gold_parts(outcome: Outcome) -> set[tuple[str, str]]:
    """(report, part) of the retrieved passages that hold a gold quote."""
    found = set()
    for passage in outcome.passages:
        text = normalise(passage.paragraph.text)
        if any(g["report"] == passage.report.name and normalise(g["quote"]) in text for g in outcome.question.get("gold", [])):
            found.add((passage.report.name, passage.paragraph.part.value))
    return found


def _share(items: list, test) -> float | None:
    return round(sum(1 for i in items if test(i)) / len(items), 3) if items else None


def percentiles(values: list[float]) -> dict:
    """p50 and p95 by nearest rank (eval and bench report latency the same way)."""
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return {"p50": round(pick(0.5), 1), "p95": round(pick(0.95), 1)}


def _detail(outcome: Outcome) -> dict:
    golds = outcome.question.get("gold", [])
    return {
        "id": outcome.question.get("id"),
        "kind": outcome.question.get("kind"),
        "gold_ranks": [gold_rank(outcome, g, 10) for g in golds],
        "keywords_ok": _has_keywords(outcome),
        "refused": outcome.answer.refused,
        "expect_refusal": bool(outcome.question.get("expect_refusal")),
        "answer": outcome.answer.answer,
    }


# The question kinds of the sets, as the tables name them.
KIND_NAMES = {"numeric": "数字", "unanswerable": "无答案", "multi": "多报告", "attribution": "出处", "problems": "存在问题",
              "plans": "下一步", "metadata": "报告信息"}


def print_metrics(console: Console, metrics: dict) -> None:
    """One set: metrics overall and by kind, the plain-BM25 baseline, then the questions that went wrong."""
    table = Table(title=f"评测：{metrics.get('set', '')}（R@k 前k段召回，MRR 首个命中名次的倒数均值）")
    table.add_column("类型")
    for name in ("题数", "R@5", "R@10", "MRR@10", "关键事实", "引用精确", "拒答正确", "检索 p50/p95 ms", "回答 p50/p95 ms"):
        table.add_column(name)
    rows = [("全部", metrics), *((KIND_NAMES.get(k, k), m) for k, m in metrics["by_kind"].items())]
    for kind, m in rows:
        lat = m["latency_ms"]
        table.add_row(kind, _count(m), *(_fmt(m.get(name)) for name in METRICS),
                      f"{lat['retrieval'].get('p50')}/{lat['retrieval'].get('p95')}",
                      f"{lat['answer'].get('p50')}/{lat['answer'].get('p95')}")
    console.print(table)
    base = metrics.get("baseline_bm25") or {}
    if base:
        console.print(f"对照（按行切分的纯 jieba BM25）：R@5 {_fmt(base['recall_at_5'])}  R@10 {_fmt(base['recall_at_10'])}  "
                      f"MRR@10 {_fmt(base['mrr_at_10'])}")
    modes = metrics["modes"]
    console.print(f"回答模式：大模型 {modes['generative']}，离线摘录 {modes['extractive']}，大模型失败改用摘录 {modes['fallbacks']}")
    if "citation_checks" in metrics:
        c, ttft = metrics["citation_checks"], metrics["latency_ms"]["first_token"]
        console.print(f"{checks_text(c)}；"
                      f"首字延迟 p50 {ttft.get('p50')} ms，p95 {ttft.get('p95')} ms")
    for q in metrics["questions"]:
        problems = []
        if None in q["gold_ranks"]:
            problems.append(f"标准段落名次 {q['gold_ranks']}")
        if q["expect_refusal"] != q["refused"]:
            problems.append("误拒答" if q["refused"] else "应拒答却作答")
        elif not q["keywords_ok"] and not q["refused"]:
            problems.append("缺关键事实")
        if problems:
            console.print(f"[yellow]{q['id']}：{'，'.join(problems)}[/yellow]")


def print_summary(console: Console, results: list[dict]) -> None:
    """Every set on one table, the product beside the plain BM25s (words, bigrams)."""
    table = Table(title="评测汇总（KW 答案含所问事实；答 有答案时作答；拒 无答案时拒答；对照：纯 BM25 词 / 字二元组）")
    for name in ("问题集", "评测方式", "题数", "R@5", "MRR@10", "KW", "答", "拒", "Cite", "BM25 R@5", "二元组 R@5"):
        table.add_column(name)
    for m in results:
        words, pairs = m.get("baseline_bm25") or {}, m.get("baseline_bigrams") or {}
        table.add_row(m.get("set", ""), m.get("measured_with", "用 fitted/ 中的模型"), _count(m),
                      *(_fmt(m.get(k)) for k in ("recall_at_5", "mrr_at_10", "keyword_accuracy", "answered_when_answerable",
                                                  "refused_when_unanswerable", "citation_precision")),
                      _fmt(words.get("recall_at_5")), _fmt(pairs.get("recall_at_5")))
    console.print(table)


def _count(metrics: dict) -> str:
    """How many questions: a number per kind, the list of per-question details at the top level."""
    questions = metrics["questions"]
    return str(questions if isinstance(questions, int) else len(questions))


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
