"""Fitting and measuring the commitment matcher on hand-labelled pairs (`eval --commitments FILE`).

A label (JSON lines) names a commitment of one report (its paragraph and the opening of its head), the
report of the next year, the status a careful reader gives it (已见成效 / 部分 / 未见报告) and the sentences
of the next report's work part that carry it out (paragraph id and an exact quote); `set` groups labels
of one pair of reports. From each labelled commitment every work sentence of the next report is a pair:
it carries the commitment out when it overlaps one of the quotes.

Fitting: the pair model is a logistic regression on the pair features with weights kept ≥ 0 (more shared
words never count against a sentence; evaluation/fit.py's fit_linear), each class weighing the same; its
threshold (shown as evidence) is the best F1 over the pairs. The status model is a logistic regression
(carried out at all, or not) on each commitment's summary (commitment_match.commitment_features), its
score cut at two thresholds (未见报告 below the first, 已见成效 from the second): the pair on a grid that
best separates the three statuses over the labelled commitments (the F1 of 已见成效 and 未见报告, and half
that of 部分, which is the rarest and least sure label). Measuring: leave one set out (the models
fitted without the set they are measured on), both with the e5 similarity (hybrid) and without (lexical).

The labels are split by set (one pair of reports each): the sets named held out are never fitted on nor
looked at while the features were chosen; the model is fitted on the others (the tuning half) and
measured on both, each figure labelled as what it is (README: Quality).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.documents.commitment_match import DONE, MODEL_FILE, NOT_SEEN, PARTLY, STATUSES, Decision, fitted
from assistant.documents.tracking import Candidates, candidates, judge
from assistant.retrieval.linear import LinearModel
from assistant.evaluation.fit import fit_linear

THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.025))
KINDS = ("hybrid", "lexical")


@dataclass
class Labelled:
    """One labelled commitment: its pair of reports' candidates, its place among their commitments, and
    which work sentences carry it out."""

    label: dict
    found: Candidates
    index: int
    pair_labels: list[int]

    @property
    def rows(self) -> list[dict[str, float]]:
        return self.found.rows[self.index]

    @property
    def status(self) -> str:
        return self.label["status"]

    @property
    def set_name(self) -> str:
        return self.label.get("set", "")


def load_labels(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = sorted({r["status"] for r in rows} - set(STATUSES))
    if unknown:
        raise ValueError(f"{path.name}：未知状态 {'、'.join(unknown)}；可用状态：{'、'.join(STATUSES)}")
    return rows


def labelled(store, labels: list[dict]) -> list[Labelled]:
    """Every label with its pairs' features (each pair of reports read once)."""
    metas = {m.name: m for m in store.reports()}
    missing = sorted({r[k] for r in labels for k in ("report", "next_report")} - set(metas))
    if missing:
        raise ValueError(f"报告库中没有标注所用的报告：{'、'.join(missing)}")
    found, cache = [], {}
    for label in labels:
        key = (label["report"], label["next_report"])
        if key not in cache:
            cache[key] = candidates(store, metas[key[0]], metas[key[1]])
        pairs = cache[key]
        index = next((i for i, item in enumerate(pairs.items) if item.head.paragraph.id == label["paragraph_id"]
                      and item.head.text.startswith(label["head"])), None)
        if index is None:
            raise ValueError(f"标注 {label.get('id')}：{label['report']} 中没有以“{label['head']}”开头的承诺")
        marks = [_carries(span, label["evidence"]) for span in pairs.said]
        found.append(Labelled(label, pairs, index, marks))
    return found


def _carries(span, evidence: list[dict]) -> int:
    """1 when the sentence overlaps one of the labelled quotes."""
    for quote in evidence:
        if quote["paragraph_id"] != span.paragraph.id:
            continue
        at = span.paragraph.text.find(quote["quote"])
        if at >= 0 and at < span.end and span.start < at + len(quote["quote"]):
            return 1
    return 0


def _kind_rows(rows: list[dict[str, float]], kind: str) -> list[dict[str, float]]:
    return rows if kind == "hybrid" else [{k: v for k, v in r.items() if k != "dense"} for r in rows]


def _rows(item: Labelled, kind: str) -> list[dict[str, float]]:
    return _kind_rows(item.rows, kind)


def _judged(decision: Decision, items: list[Labelled], kind: str, cap: float) -> list:
    """Each labelled commitment judged by `decision` (every pair of reports judged once)."""
    cache = {}
    result = []
    for item in items:
        key = id(item.found)
        if key not in cache:
            cache[key] = judge(decision, item.found, cap, [_kind_rows(r, kind) for r in item.found.rows])
        result.append(cache[key][item.index])
    return result


def fit(items: list[Labelled], kind: str, cap: float) -> Decision:
    """The two models and their thresholds, fitted on these labelled commitments."""
    rows = [r for item in items for r in _rows(item, kind)]
    marks = [m for item in items for m in item.pair_labels]
    features = tuple(sorted({k for r in rows for k in r}))
    about = {"fitted": dt.date.today().isoformat(), "commitments": len(items), "pairs": len(rows),
             "sets": sorted({i.set_name for i in items})}
    pairs = fit_linear(rows, marks, features, dict(about), {f: 1 for f in features})
    pairs.threshold = _best_f1(pairs.probabilities(rows), marks)
    summaries = [j.features for j in _judged(Decision(pairs, _placeholder(), 0.5), items, kind, cap)]
    names = tuple(sorted(summaries[0]))
    signs = {name: (0 if name == "size" else 1) for name in names}  # size may go either way
    model = fit_linear(summaries, [int(i.status != NOT_SEEN) for i in items], names, dict(about), signs)
    scores = model.probabilities(summaries)
    best, best_value = (0.5, 0.5), (-1.0, -1.0)
    for t_seen in THRESHOLD_GRID:
        for t_done in (t for t in THRESHOLD_GRID if t >= t_seen):
            predicted = [NOT_SEEN if a < t_seen else DONE if a >= t_done else PARTLY for a in scores]
            value = _objective([i.status for i in items], predicted)
            if value > best_value:
                best, best_value = (t_seen, t_done), value
    model.threshold = best[0]
    model.about["objective"] = round(best_value[0], 3)
    return Decision(pairs, model, best[1])


def _placeholder() -> LinearModel:
    """A status model that says nothing (while the pair model alone is being read)."""
    return LinearModel(("unit_best",), np.zeros(1))


def _best_f1(probs: np.ndarray, marks: list[int]) -> float:
    """The probability at or above which a sentence is shown as evidence: the best F1 on the pairs."""
    y = np.array(marks, dtype=bool)
    best, best_f1 = 0.5, -1.0
    for t in THRESHOLD_GRID:
        said = probs >= t
        tp = float((said & y).sum())
        f1 = 2 * tp / (said.sum() + y.sum()) if said.sum() + y.sum() else 0.0
        if f1 > best_f1:
            best, best_f1 = t, f1
    return best


# How much the F1 of 部分 counts beside those of 已见成效 and 未见报告 in choosing the thresholds: the two a
# reader acts on (done, or nowhere in the report) come first; 部分 is the rarest and least sure label.
PARTLY_WEIGHT = 0.5


def _objective(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    scores = metrics(gold, predicted)
    value = (scores[DONE]["f1"] + scores[NOT_SEEN]["f1"] + PARTLY_WEIGHT * scores[PARTLY]["f1"]) / (2 + PARTLY_WEIGHT)
    return value, sum(g == p for g, p in zip(gold, predicted)) / max(len(gold), 1)




def metrics(gold: list[str], predicted: list[str]) -> dict:
    """Precision, recall and F1 of each status, and the confusions (gold → predicted)."""
    result = {}
    for status in STATUSES:
        tp = sum(g == p == status for g, p in zip(gold, predicted))
        said = sum(p == status for p in predicted)
        real = sum(g == status for g in gold)
        precision = tp / said if said else 0.0
        recall = tp / real if real else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[status] = {"n": real, "predicted": said, "precision": round(precision, 3), "recall": round(recall, 3),
                          "f1": round(f1, 3)}
    result["confusions"] = {f"{g}→{p}": n for (g, p), n in Counter(zip(gold, predicted)).items() if g != p}
    result["accuracy"] = round(sum(g == p for g, p in zip(gold, predicted)) / max(len(gold), 1), 3)
    return result


def leave_one_set_out(items: list[Labelled], kind: str, cap: float) -> dict:
    """Each set predicted by a model fitted on the others; the pooled metrics."""
    gold, predicted = [], []
    for held in sorted({i.set_name for i in items}):
        train = [i for i in items if i.set_name != held]
        test = [i for i in items if i.set_name == held]
        for item, judged in zip(test, _judged(fit(train, kind, cap), test, kind, cap)):
            gold.append(item.status)
            predicted.append(judged.status)
    return metrics(gold, predicted)


def measured(decision: Decision, items: list[Labelled], kind: str, cap: float) -> tuple[dict, list[dict]]:
    """The metrics of one fitted decision on these labelled commitments, and every miss."""
    judged = _judged(decision, items, kind, cap)
    misses = [{"id": i.label.get("id"), "head": i.label["head"], "expected": i.status, "got": j.status}
              for i, j in zip(items, judged) if i.status != j.status]
    return metrics([i.status for i in items], [j.status for j in judged]), misses


def run(store, path: Path, held_out: list[str], write: bool) -> dict:
    """Fit on the labels of every set but `held_out` (the tuning half) and measure: on the tuning half itself
    (fitted on it: in-sample), on it set by set (leave one set out) and on the held-out sets (never fitted
    on). With `write`, the models fitted on the tuning half are saved (fitted/commitments.json)."""
    items = labelled(store, load_labels(path))
    names = {i.set_name for i in items}
    unknown = sorted(set(held_out) - names)
    if unknown:
        raise ValueError(f"{path.name} 中没有这些标注集：{'、'.join(unknown)}；可用：{'、'.join(sorted(names))}")
    tune = [i for i in items if i.set_name not in held_out]
    held = [i for i in items if i.set_name in held_out]
    if not tune:
        raise ValueError("留出全部标注集后没有可拟合的标注")
    cap = store.settings.years.relative_cap
    kinds = KINDS if store.vectors is not None else ("lexical",)
    report = {"file": path.name, "n": len(items), "by_status": dict(Counter(i.status for i in items)),
              "tune_sets": sorted({i.set_name for i in tune}), "held_out_sets": sorted(held_out),
              "sets": dict(Counter(i.set_name for i in items)), "kinds": {}}
    decisions = {}
    for kind in kinds:
        decisions[kind] = fit(tune, kind, cap)
        result = {"tune_in_sample": measured(decisions[kind], tune, kind, cap)[0],
                  "tune_leave_one_set_out": leave_one_set_out(tune, kind, cap)}
        if held:
            result["held_out"], result["misses"] = measured(decisions[kind], held, kind, cap)
        report["kinds"][kind] = result
    if write:
        if set(kinds) != set(KINDS):
            raise ValueError("拟合需要带向量的报告库（两种匹配方式都要拟合）")
        model = {"about": {"labels": path.name, "tune_sets": report["tune_sets"], "held_out_sets": report["held_out_sets"],
                           "measured": {k: {m: v for m, v in r.items() if m != "misses"} for k, r in report["kinds"].items()}}}
        for kind in kinds:
            model[kind] = decisions[kind].to_dict()
        _save(model)
        fitted.cache_clear()
    return report


def _save(model: dict) -> None:
    tmp = MODEL_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(MODEL_FILE)


MEASURES = (("tune_in_sample", "调参集（拟合所用，样本内）"), ("tune_leave_one_set_out", "调参集（留一集法）"),
            ("held_out", "留出集（从未用于拟合）"))


def print_commitment_metrics(console, report: dict) -> None:
    from rich.table import Table

    console.print(f"标注：{report['file']}，共 {report['n']} 项；调参集：{'、'.join(report['tune_sets'])}；"
                  f"留出集：{'、'.join(report['held_out_sets']) or '无'}")
    for kind, result in report["kinds"].items():
        name = "词语、字二元组与向量" if kind == "hybrid" else "仅词语与字二元组"
        for key, title in MEASURES:
            if key not in result:
                continue
            measured_ = result[key]
            table = Table(title=f"承诺落实判断（{name}）：{title}")
            for column in ("状态", "标注数", "判为", "准确率", "召回率", "F1"):
                table.add_column(column)
            for status in STATUSES:
                m = measured_[status]
                table.add_row(status, str(m["n"]), str(m["predicted"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                              f"{m['f1']:.3f}")
            console.print(table)
            console.print(f"总体正确率 {measured_['accuracy']:.3f}；误判：" +
                          ("、".join(f"{k} {v} 项" for k, v in measured_["confusions"].items()) or "无"))
