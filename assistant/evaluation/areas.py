"""How well sentences are placed in the 纲要's nine areas, on a labelled set (JSON lines: text, area).

The comparison's cells and the plan's parts rest on this placement, so it is measured like retrieval:
overall accuracy, accuracy per area, the commonest confusions and every miss, for a person to read.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from assistant.documents.areas import AREA_BY_NAME, classify_many


def run_area_eval(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = sorted({r["area"] for r in rows} - set(AREA_BY_NAME))
    if unknown:
        raise ValueError(f"{path.name}：未知领域 {'、'.join(unknown)}；可用领域：{'、'.join(AREA_BY_NAME)}")
    predicted = classify_many([r["text"] for r in rows])
    by_area: dict[str, dict] = {name: {"n": 0, "correct": 0} for name in AREA_BY_NAME}
    confusions: Counter = Counter()
    misses = []
    for row, got in zip(rows, predicted):
        entry = by_area[row["area"]]
        entry["n"] += 1
        if got == row["area"]:
            entry["correct"] += 1
        else:
            confusions[(row["area"], got)] += 1
            misses.append({"id": row.get("id"), "text": row["text"], "expected": row["area"], "got": got})
    for entry in by_area.values():
        entry["accuracy"] = round(entry["correct"] / entry["n"], 3) if entry["n"] else None
    correct = sum(e["correct"] for e in by_area.values())
    return {
        "file": path.name,
        "n": len(rows),
        "accuracy": round(correct / len(rows), 3) if rows else 0.0,
        "by_area": by_area,
        "confusions": [{"expected": e, "got": g, "count": c} for (e, g), c in confusions.most_common()],
        "misses": misses,
    }


def print_area_metrics(console, metrics: dict) -> None:
    from rich.table import Table

    table = Table(title=f"领域归类准确率（{metrics['file']}，{metrics['n']} 句）：{metrics['accuracy']:.1%}")
    for header in ("领域", "句数", "正确", "准确率"):
        table.add_column(header)
    for name, entry in metrics["by_area"].items():
        table.add_row(name, str(entry["n"]), str(entry["correct"]), f"{entry['accuracy']:.1%}" if entry["n"] else "—")
    console.print(table)
    for confusion in metrics["confusions"][:5]:
        console.print(f"  {confusion['expected']} → {confusion['got']}：{confusion['count']} 句")
