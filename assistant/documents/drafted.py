"""What every drafted document (comparison, plan, summary) carries beside its content: its numbered
sources, how it was made (offline or by which model, with the citation checks), notes and timings."""

from __future__ import annotations

from collections.abc import Callable
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

    def written_by(self, writer, written: int, failed: dict[str, int], note: Callable[[int, str], str]) -> None:
        """After an LLM pass: the document is the model's only when it wrote at least one part; then each
        reason some parts were kept offline is one note (note(count, reason)). When it wrote none, the
        document stays offline, saying why, and never claims to be the model's."""
        if written:
            self.mode, self.model, self.checks = "generative", writer.model, dict(writer.checks)
            self.notes.extend(note(count, reason) for reason, count in failed.items())
        else:
            reasons = "；".join(failed) or "模型没有写出内容"
            self.notes.append(f"大模型未能改写任何部分（{reasons}），以下全部为离线摘录。")

    def mode_label(self) -> str:
        """How it was made, as the command line says it."""
        return f"由大模型 {self.model} 生成" if self.mode == "generative" else "离线摘录"
