"""Users' verdicts on answers (👍/👎 and a note), kept with the question, answer and citations.

Stored in the library's SQLite file (one file to back up) in a table of its own; feedback is rare,
so each call opens a short-lived connection rather than sharing the library's.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.answer import Answer

UP, DOWN = "up", "down"
RATING_LABELS = {UP: "👍 有用", DOWN: "👎 没用"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, user TEXT, rating TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT,
    citations TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created: float
    user: str | None
    rating: str
    note: str
    question: str
    answer: str
    mode: str | None
    citations: list[dict]

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.created))


class FeedbackLog:
    def __init__(self, path: Path):
        self.path = path
        with closing(self._connect()) as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def record(self, answer: Answer, rating: str, note: str = "", user: str | None = None,
               feedback_id: int | None = None) -> int:
        """Store a verdict on `answer`; with `feedback_id`, change that earlier verdict instead."""
        if rating not in RATING_LABELS:
            raise ValueError(f"unknown rating {rating!r}")
        with closing(self._connect()) as db:
            if feedback_id is not None:
                updated = db.execute("UPDATE feedback SET rating=?, note=?, created=? WHERE id=?",
                                     (rating, note, time.time(), feedback_id)).rowcount
                if updated:
                    return feedback_id
            citations = json.dumps([_citation(c) for c in answer.citations], ensure_ascii=False)
            cursor = db.execute(
                "INSERT INTO feedback(created, user, rating, note, question, answer, mode, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), user, rating, note, answer.question, answer.answer, answer.mode, citations),
            )
            return int(cursor.lastrowid)

    def all(self) -> list[FeedbackRecord]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, created, user, rating, note, question, answer, mode, citations "
                              "FROM feedback ORDER BY created, id").fetchall()
        return [FeedbackRecord(*row[:8], json.loads(row[8])) for row in rows]


def _citation(c) -> dict:
    """What an export needs of a citation: where it is and the sentence it rests on."""
    return {"n": c.n, "report": c.report, "region": c.region, "year": c.year, "section": c.section,
            "paragraph_id": c.paragraph_id, "quote": c.quote}
