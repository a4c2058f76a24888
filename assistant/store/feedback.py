"""Users' verdicts on answers (👍/👎 and a note), kept with the question, answer and citations.

Stored in the library's database (one file to back up, or the shared PostgreSQL: every replica sees
every verdict) in a table of its own (created with the others, database.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from assistant.answering.answer import Answer
from assistant.store.database import Database

UP, DOWN = "up", "down"
RATING_LABELS = {UP: "👍 有用", DOWN: "👎 没用"}

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
    def __init__(self, db: Database):
        self.db = db

    def record(self, answer: Answer, rating: str, note: str = "", user: str | None = None,
               feedback_id: int | None = None) -> int:
        """Store a verdict on `answer`; with `feedback_id`, change that earlier verdict instead."""
        if rating not in RATING_LABELS:
            raise ValueError(f"unknown rating {rating!r}")
        if feedback_id is not None:
            updated = self.db.execute("UPDATE feedback SET rating=?, note=?, created=? WHERE id=?",
                                      (rating, note, time.time(), feedback_id)).rowcount
            if updated:
                return feedback_id
        citations = json.dumps([_citation(c) for c in answer.citations], ensure_ascii=False)
        row = self.db.execute(
            'INSERT INTO feedback(created, "user", rating, note, question, answer, mode, citations) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (time.time(), user, rating, note, answer.question, answer.answer, answer.mode, citations),
        ).fetchone()
        return int(row[0])

    def all(self) -> list[FeedbackRecord]:
        rows = self.db.execute('SELECT id, created, "user", rating, note, question, answer, mode, citations '
                               "FROM feedback ORDER BY created, id").fetchall()
        return [FeedbackRecord(*row[:8], json.loads(row[8])) for row in rows]

def _citation(c) -> dict:
    """What an export needs of a citation: where it is and the sentence it rests on."""
    return {"n": c.n, "report": c.report, "region": c.region, "year": c.year, "section": c.section,
            "paragraph_id": c.paragraph_id, "quote": c.quote}
