"""An LLM writing parts of a drafted document (comparison cells, plan tasks, summaries) from evidence.

Each part is one job: numbered evidence sentences in, prose with [n] out, then every citation and
figure checked as in answers (answering/citecheck.py). Jobs run in parallel, at most
`llm_concurrency` at a time, and a job not finished within the document's `llm_budget` keeps its
extractive text, marked as such: a slow model makes a document late by the budget, never forever.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ingest.model import Paragraph, ReportMeta
from ingest.text import split_sentences

from assistant.answering.answer import Citation, CitationNumbering
from assistant.answering.citecheck import Checked, check
from assistant.answering.context import FRAMING_TOKENS, count_tokens
from assistant.config.settings import Settings
from assistant.documents.evidence import Span
from assistant.llm.markers import MARKER_RE, marker_numbers
from assistant.llm.providers import LLMProvider, ProviderError
from assistant.retrieval.hybrid import Passage

# progress(done, total, what was just finished)
ProgressFn = Callable[[int, int, str], None]
BUDGET_REASON = "超出时间预算"


@dataclass
class Job:
    key: object
    label: str  # what the progress bar says when this job is done
    system: str | None
    prompt: str  # the user message; `$evidence` in it is replaced by the packed evidence
    evidence: list[Span]


@dataclass
class Outcome:
    checked: Checked | None = None
    reason: str | None = None  # why the model's text is not used (error, budget)
    passages: list[Passage] = field(default_factory=list)  # the evidence as numbered for the model


class Writer:
    """The LLM, its settings and a progress callback, shared by the documents it writes."""

    def __init__(self, provider: LLMProvider, settings: Settings, progress: ProgressFn | None = None):
        self.provider = provider
        self.settings = settings
        self.progress = progress
        self.checks = {"verified": 0, "repaired": 0, "flagged": 0}
        self.calls = 0

    @property
    def model(self) -> str:
        return self.provider.model

    def run(self, jobs: list[Job]) -> dict[object, Outcome]:
        """Every job's outcome; jobs still running when the budget is spent get BUDGET_REASON."""
        if not jobs:
            return {}
        deadline = time.monotonic() + self.settings.llm_budget
        outcomes: dict[object, Outcome] = {}
        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.llm_concurrency))
        futures = {pool.submit(self._one, job): job for job in jobs}
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(pending, timeout=max(deadline - time.monotonic(), 0), return_when=FIRST_COMPLETED)
                if not finished:
                    break
                for future in finished:
                    job = futures[future]
                    outcomes[job.key] = future.result()
                    if self.progress:
                        self.progress(len(outcomes), len(jobs), job.label)
                    if _refused(outcomes[job.key]):  # 401/403/404: every other call would fail alike
                        pending = _cancel(pending)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        first_error = next((o.reason for o in outcomes.values() if o.reason), None)
        for job in jobs:
            outcomes.setdefault(job.key, Outcome(reason=first_error if first_error and _refusal_reason(first_error) else BUDGET_REASON))
        for outcome in outcomes.values():
            if outcome.checked:
                for key in self.checks:
                    self.checks[key] += getattr(outcome.checked, key)
        return outcomes

    def _one(self, job: Job) -> Outcome:
        from assistant.llm.messages import system, user

        passages, context = self._pack(job)
        messages = [system(job.system)] if job.system else []
        messages.append(user(job.prompt.replace("$evidence", context)))
        self.calls += 1
        try:
            reply = self.provider.reply(messages)
        except ProviderError as exc:
            return Outcome(reason=exc.reason, passages=passages)
        return Outcome(check(reply.text, passages), passages=passages)

    def _pack(self, job: Job) -> tuple[list[Passage], str]:
        """Number the evidence and keep what fits the model's window (the first items are the best)."""
        budget = (self.settings.context_window() - self.settings.llm_max_answer_tokens - FRAMING_TOKENS
                  - count_tokens((job.system or "") + job.prompt))
        passages, blocks, used = [], [], 0
        for span in job.evidence:
            block = f"[{len(passages) + 1}] {span.meta.heading_label()} · {span.paragraph.section or '导语'}\n{span.text}"
            cost = count_tokens(block) + 2
            if used + cost > budget:
                break
            passages.append(Passage(span.paragraph, span.meta, 0.0, (span.start, span.end)))
            blocks.append(block)
            used += cost
        return passages, "\n\n".join(blocks) or "（无）"


def _refusal_reason(reason: str) -> bool:
    return any(code in reason for code in ("401", "403", "404"))


def _refused(outcome: Outcome) -> bool:
    return bool(outcome.reason) and _refusal_reason(outcome.reason)


def _cancel(pending: set) -> set:
    for future in pending:
        future.cancel()
    return {f for f in pending if not f.cancelled()}


def sentences_of(outcome: Outcome, numbering: CitationNumbering) -> list[tuple[str, list[Citation]]]:
    """The checked text as (sentence without markers, its citations in the document's numbering)."""
    checked = outcome.checked
    local = {c.n: c for c in checked.citations}
    sources = {p.paragraph.id: (p.report, p.paragraph) for p in outcome.passages}
    found = []
    for line in checked.text.splitlines():
        for start, end in split_sentences(line):
            piece = line[start:end]
            body = MARKER_RE.sub("", piece).strip()
            if not body:
                if found and marker_numbers(piece):  # markers that slid after the sentence end
                    found[-1][1].extend(_renumbered(marker_numbers(piece), local, sources, numbering))
                continue
            found.append((body, _renumbered(marker_numbers(piece), local, sources, numbering)))
    return found


def _renumbered(numbers: list[int], local: dict[int, Citation], sources: dict[str, tuple[ReportMeta, Paragraph]],
                numbering: CitationNumbering) -> list[Citation]:
    cited = []
    for n in numbers:
        citation = local.get(n)
        if citation is None or citation.paragraph_id not in sources:
            continue
        meta, paragraph = sources[citation.paragraph_id]
        cited.append(numbering.add(meta, paragraph, citation.quote_start, citation.quote_end))
    return cited
