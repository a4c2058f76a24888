"""What every drafted document (comparison, plan, summary) carries beside its content: its numbered
sources, how it was made (offline or by which model, with the citation checks), notes and timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.answering.answer import Citation

# Marks a part an LLM document kept in the offline wording because the model did not write it in time.
EXTRACT_MARK = "〔原文摘录〕"


class DraftedPart(Protocol):
    mode: str  # "generative" when an LLM wrote it

    @property
    def marked(self) -> str: ...


@dataclass(kw_only=True)
class Drafted:
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mode: str = "extractive"
    model: str | None = None
    checks: dict[str, int] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def kept_offline(self, part: DraftedPart) -> bool:
        """True for a part of an LLM document that the model did not write."""
        return self.mode == "generative" and part.mode == "extractive"

    def shown(self, part: DraftedPart) -> str:
        """A part as every renderer prints it: with its [n], and marked when the LLM did not write it."""
        return (EXTRACT_MARK if self.kept_offline(part) else "") + part.marked

    def provenance(self) -> dict:
        """The keys every document's `--json` shares (schemas in the README)."""
        return {"mode": self.mode, "model": self.model, "checks": self.checks, "notes": self.notes,
                "citations": [c.to_dict() for c in self.citations], "timings": self.timings}
