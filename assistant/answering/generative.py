"""Generated answers: numbered passages in, streamed prose out, then every citation checked."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from assistant.answering.answer import Answer
from assistant.answering.citecheck import check
from assistant.answering.context import FRAMING_TOKENS, count_tokens, pack
from assistant.config.prompts import render
from assistant.config.settings import Settings
from assistant.llm.messages import system as system_message
from assistant.llm.messages import user as user_message
from assistant.llm.providers import LLMProvider
from assistant.retrieval.hybrid import Retrieval

# An answer that says this is a refusal: the reports do not hold what was asked.
_REFUSAL_RE = re.compile(r"^(报告中)?(未提及|未找到|没有提及|未涉及|没有找到)")


class GenerativeAnswerer:
    def __init__(self, provider: LLMProvider, settings: Settings):
        self.provider = provider
        self.settings = settings

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Yield text deltas as the model writes, then the checked Answer last."""
        started = time.perf_counter()
        system = render("answer_system")
        budget = (self.settings.context_window() - self.settings.llm_max_answer_tokens - FRAMING_TOKENS
                  - count_tokens(system) - count_tokens(render("answer_user", context="", question=question)))
        context = pack(retrieval.passages, budget)
        messages = [
            system_message(system),
            user_message(render("answer_user", context=context.text or "（无）", question=question)),
        ]
        parts: list[str] = []
        thinking: list[str] = []
        first_token_ms = None
        for delta in self.provider.stream_parts(messages):
            if first_token_ms is None:
                first_token_ms = round((time.perf_counter() - started) * 1000, 1)
            if delta.retract:  # what streamed as answer was thinking (a lone </think>)
                parts.clear()
            if delta.reasoning:
                thinking.append(delta.text)
                continue
            parts.append(delta.text)
            yield delta.text
        raw = "".join(parts).strip()
        checked = check(raw, context.passages)
        answer = Answer(
            question=question,
            answer=checked.text,
            mode="generative",
            refused=bool(_REFUSAL_RE.match(checked.text)) or not checked.text,
            citations=checked.citations,
            model=self.provider.model,
            checks={"verified": checked.verified, "repaired": checked.repaired, "flagged": checked.flagged},
            timings_ms={"first_token": first_token_ms or 0.0, "generation": round((time.perf_counter() - started) * 1000, 1)},
            reasoning="".join(thinking).strip() or None,
        )
        if context.dropped:
            answer.notes.append(f"上下文长度所限，{context.dropped} 段资料未提供给模型")
        yield answer
