"""Next year's 工作要点, drafted from evidence: a report's admitted problems, its own commitments,
and the practices that worked in peers' reports, retrieved per problem.

Every task cites what motivated it. Without an LLM the draft is a material-assembly draft (素材稿):
each task is the problem, the matching commitment and the peer practice, quoted and cited, for a
person to rewrite. With an LLM the same evidence is written up as prose and its citations checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.model import Paragraph, Part, ReportMeta
from ingest.structure import HEADING_PATTERNS, split_heading
from ingest.text import normalise, split_sentences

from assistant.answering.answer import Citation, CitationNumbering
from assistant.answering.citecheck import check
from assistant.documents.comparison import GENERIC_WORDS
from assistant.documents.areas import Area, area_for
from assistant.config.prompts import render
from assistant.answering.quotes import part_items, trim_to_clauses
from assistant.retrieval.hybrid import Passage, retrieve
from assistant.retrieval.tokens import content_terms

# Peer reports consulted per problem; the weight of shared specific words (characters, heading words
# double) a commitment needs to count as answering a problem.
PEERS_PER_PROBLEM = 2
MIN_SHARED_WEIGHT = 4
PEER_PASSAGES = 20
# A peer quote shorter than this is a bare heading; a fuller sentence of the passage is preferred.
MIN_PRACTICE_CHARS = 20
CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class Task:
    title: str
    text: str  # with [n] markers
    problem: str | None = None  # the admitted problem it answers, if any


@dataclass
class Section:
    title: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Plan:
    report: ReportMeta
    year: int
    title: str
    opening: str
    sections: list[Section]
    closing: list[Task]
    problems: list[tuple[str, int]]  # (problem, citation number)
    citations: list[Citation]
    mode: str = "extractive"
    model: str | None = None
    checks: dict[str, int] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_material_draft(self) -> bool:
        return self.mode == "extractive"


@dataclass
class _Evidence:
    paragraph: Paragraph
    start: int
    end: int
    context_end: int = 0  # where this item's own text ends (the next item's start), for matching

    @property
    def quote(self) -> str:
        return self.paragraph.text[self.start : self.end].strip()

    @property
    def context(self) -> str:
        return self.paragraph.text[self.start : max(self.end, self.context_end)]


def _items(paragraphs: list[Paragraph]) -> list[_Evidence]:
    """A part's items, each knowing its whole text up to the next item (一是…；二是… share a paragraph)."""
    raw = part_items(paragraphs)
    items = []
    for i, (paragraph, start, end) in enumerate(raw):
        following = raw[i + 1] if i + 1 < len(raw) else None
        stop = following[1] if following and following[0].id == paragraph.id else len(paragraph.text)
        items.append(_Evidence(paragraph, start, end, stop))
    return items


def draft_plan(store, target: ReportMeta, year: int | None = None, provider=None) -> Plan:
    year = year or ((target.year + 1) if target.year else None)
    if year is None:
        raise ValueError(f"{target.name}：报告年份未知，请指定计划年度（--year）或用 reports --set 补充年份")
    paragraphs = store.library.paragraphs(target.name)
    problems = _items([p for p in paragraphs if p.part == Part.PROBLEMS])
    commitments = _items([p for p in paragraphs if p.part == Part.NEXT])
    peers = [m for m in store.reports() if m.name != target.name]
    numbering = CitationNumbering()
    plan = Plan(target, year, f"{year}年{target.region or ''}法治政府建设工作要点", "", [], [], [], [])
    plan.problems = [(p.quote, numbering.add(target, p.paragraph, p.start, p.end).n) for p in problems]
    if not problems:
        plan.notes.append(f"{target.name} 中没有找到“存在的问题”部分，任务仅依据本地区的下一步打算。")
    matched = {id(p): _matching_commitments(p, commitments) for p in problems}
    practices = {id(p): _peer_practices(store, p, peers) for p in problems}
    if provider is not None:
        return _generated(plan, target, problems, commitments, matched, practices, numbering, provider)
    return _assembled(plan, target, problems, commitments, matched, practices, numbering)


def _matching_commitments(problem: _Evidence, commitments: list[_Evidence]) -> list[_Evidence]:
    """The report's own commitment that speaks to this problem: the one sharing the most specific words
    (those of the problem's heading count double), if it shares any at all."""
    heading = set(_specific_words(problem.quote))
    words = set(_specific_words(problem.context))
    scored = []
    for i, commitment in enumerate(commitments):
        theirs = set(_specific_words(commitment.context))
        score = sum(len(w) * (2 if w in heading else 1) for w in words & theirs)
        scored.append((score, -i))
    best = max(scored, default=(0, 0))
    return [commitments[-best[1]]] if best[0] >= MIN_SHARED_WEIGHT else []


def _specific_words(text: str) -> list[str]:
    return [t for t in content_terms(_strip_number(text)) if len(t) >= 2 and t not in GENERIC_WORDS]


def _peer_practices(store, problem: _Evidence, peers: list[ReportMeta]) -> list[tuple[ReportMeta, _Evidence]]:
    """The best work-done passage of the most relevant peer reports for this problem."""
    if not peers:
        return []
    query = problem.quote + " " + " ".join(content_terms(problem.context)[:8])
    passages = retrieve(store, query, top_k=PEER_PASSAGES, reports=[m.name for m in peers]).passages
    chosen: list[tuple[ReportMeta, _Evidence]] = []
    terms = [normalise(t) for t in content_terms(_strip_number(problem.quote)) if len(t) >= 2 and t not in GENERIC_WORDS]
    for passage in passages:
        if passage.paragraph.part not in (Part.WORK, Part.DUTY) or any(m.name == passage.report.name for m, _ in chosen):
            continue
        if not any(t in normalise(passage.paragraph.text) for t in terms):
            continue  # shares no specific word with the problem: not a practice for it
        start, end = _best_sentence(passage, terms)
        chosen.append((passage.report, _Evidence(passage.paragraph, start, end)))
        if len(chosen) >= PEERS_PER_PROBLEM:
            break
    return chosen


def _best_sentence(passage: Passage, terms: list[str]) -> tuple[int, int]:
    text = passage.paragraph.text
    spans = split_sentences(text)
    best = max(spans, key=lambda s: (s[1] - s[0] >= MIN_PRACTICE_CHARS, sum(t in normalise(text[s[0] : s[1]]) for t in terms)))
    return trim_to_clauses(text, best[0], best[1], frozenset(terms))


def _assembled(plan: Plan, target, problems, commitments, matched, practices, numbering: CitationNumbering) -> Plan:
    """The 素材稿: per problem, its commitment and peer practices, quoted and cited, grouped by area."""
    plan.opening = render("plan_opening", year=str(plan.year), region=target.region or "本地区", prev_year=str(target.year or ""))
    sections: dict[str, Section] = {}
    used_commitments: set[int] = set()
    titles: set[str] = set()
    for problem in problems:
        area = area_for(problem.paragraph.text)
        p_n = numbering.add(target, problem.paragraph, problem.start, problem.end).n
        parts = [f"针对报告查摆的“{_strip_number(problem.quote)}”问题[{p_n}]"]
        title = None
        for commitment in matched[id(problem)]:
            used_commitments.add(id(commitment))
            c_n = numbering.add(target, commitment.paragraph, commitment.start, commitment.end).n
            parts.append(f"落实本地区已明确的“{_strip_number(commitment.quote)}”[{c_n}]")
            if _strip_number(commitment.quote) not in titles:
                title = title or _strip_number(commitment.quote)
        for meta, practice in practices[id(problem)]:
            k_n = numbering.add(meta, practice.paragraph, practice.start, practice.end).n
            parts.append(f"可借鉴{meta.region or meta.name}（{meta.year}年报告）做法：{practice.quote.rstrip('。；;，,')}[{k_n}]")
        title = title or f"着力解决{_topic(problem.quote)}问题"
        titles.add(title)
        sections.setdefault(area.name, Section(_area_title(area))).tasks.append(
            Task(title, "；".join(parts) + "。", _strip_number(problem.quote)))
    for commitment in commitments:
        if id(commitment) in used_commitments:
            continue
        c_n = numbering.add(target, commitment.paragraph, commitment.start, commitment.end).n
        area = area_for(commitment.paragraph.text)
        sections.setdefault(area.name, Section(_area_title(area))).tasks.append(
            Task(_strip_number(commitment.quote), f"延续本地区报告已明确的下一步安排：{_strip_number(commitment.quote)}[{c_n}]。"))
    plan.sections = list(sections.values())
    plan.closing = [Task(line.split("。")[0], line) for line in render("plan_closing").splitlines() if line.strip()]
    plan.citations = numbering.items
    plan.notes.append("本稿为素材稿：由报告原文和兄弟地区做法拼装而成，请在此基础上改写。")
    return plan


def _generated(plan: Plan, target, problems, commitments, matched, practices, numbering: CitationNumbering, provider) -> Plan:
    """An LLM writes the draft from the numbered evidence; its citations are then checked."""
    from llama_index.core.llms import ChatMessage, MessageRole

    from assistant.llm.providers import ProviderError

    evidence: list[Passage] = []
    lines: list[str] = []

    def add(meta: ReportMeta, item: _Evidence, label: str) -> None:
        evidence.append(Passage(item.paragraph, meta, 0.0, (item.start, item.end)))
        lines.append(f"[{len(evidence)}] {label}：{item.paragraph.text}")

    for problem in problems:
        add(target, problem, f"{target.region}报告承认的问题")
        for commitment in matched[id(problem)]:
            add(target, commitment, f"{target.region}报告的下一步打算")
        for meta, practice in practices[id(problem)]:
            add(meta, practice, f"{meta.region}（{meta.year}年）的做法")
    for commitment in commitments:
        if not any(commitment is c for cs in matched.values() for c in cs):
            add(target, commitment, f"{target.region}报告的下一步打算")
    messages = [ChatMessage(role=MessageRole.SYSTEM, content=render("plan_system")),
                ChatMessage(role=MessageRole.USER, content=render("plan_user", region=target.region or "", year=str(plan.year),
                                                                 context="\n\n".join(lines)))]
    try:
        text = provider.complete(messages)
    except ProviderError as exc:
        fallback = _assembled(plan, target, problems, commitments, matched, practices, numbering)
        fallback.notes.insert(0, f"未使用 LLM：{exc.reason}")
        return fallback
    checked = check(text, evidence)
    plan.mode, plan.model = "generative", provider.model
    plan.checks = {"verified": checked.verified, "repaired": checked.repaired, "flagged": checked.flagged}
    plan.citations = checked.citations
    plan.problems = [(p.quote, next((c.n for c in checked.citations if c.paragraph_id == p.paragraph.id), 0)) for p in problems]
    _parse_generated(plan, checked.text)
    return plan


def _parse_generated(plan: Plan, text: str) -> None:
    """Split the model's draft into opening, sections with tasks, and closing, by its own numbering."""
    opening: list[str] = []
    current: Section | None = None
    closing_mode = False
    for line in (l.strip() for l in text.splitlines()):
        if not line or line.startswith("#") and "工作要点" in line:
            continue
        title, rank = split_heading(line.lstrip("#").strip())
        if rank == 1:
            closing_mode = "保障" in line
            current = None if closing_mode else Section(line.lstrip("#").strip())
            if current:
                plan.sections.append(current)
        elif closing_mode:
            plan.closing.append(Task(title or line, line))
        elif current is not None:
            current.tasks.append(Task(title or line[:20], line))
        else:
            opening.append(line)
    plan.opening = "\n".join(opening)


def _area_title(area: Area) -> str:
    return area.name


def _strip_number(text: str) -> str:
    """'(一)法治建设意识需进一步加强。' → '法治建设意识需进一步加强'."""
    norm = unicodedata.normalize("NFKC", text)
    for _, pattern in HEADING_PATTERNS:
        match = pattern.match(norm)
        if match:
            text = text[match.end() :] if len(norm) == len(text) else text[len(match.group()) :]
            break
    text = re.sub(rf"^[{CN_NUMBERS}]+是", "", text.strip())
    return text.strip().rstrip("。；;，,")


# How problem headings end: the judgement, not the subject (…还有待加强, …需进一步提高, …还不到位).
_JUDGEMENT_TAIL_RE = re.compile(r"(?:[,，]|的)?(?:还|仍|尚|需|有待|亟待|进一步|不够|欠|要)+.*$")


def _topic(problem: str) -> str:
    """The subject of a problem heading: '普法效果还有待加强' → '普法效果'."""
    subject = _JUDGEMENT_TAIL_RE.sub("", _strip_number(problem).split("，")[0].split(",")[0])
    return subject or _strip_number(problem)[:12]
