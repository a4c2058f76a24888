"""Checks shared by the store tests."""

from __future__ import annotations

from assistant.service import Assistant


def assert_consistent(a: Assistant) -> None:
    """Chroma holds exactly the chunks SQLite lists for 'ok' reports: no duplicates, no orphans."""
    library = a.store.library
    assert library.pending() == []
    sql_ids = sorted(c.id for c in library.chunks())
    per_report = sum(r.chunks for r in library.reports())
    assert len(sql_ids) == per_report
    if a.store.vectors is not None:
        chroma_ids = sorted(a.store.vectors.collection.get(include=[])["ids"])
        assert chroma_ids == sql_ids
