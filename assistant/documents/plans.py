"""Next year's 《YYYY年法治政府建设工作要点》, drafted from evidence.

The draft has the form of a real 工作要点: a title, a short opening, parts 一、二、… by the 纲要 areas
the report gives material for, tasks （一）（二）… each a short imperative headline and one or two
sentences of content, then 保障措施. Under each task its evidence is attached, not stitched into the
prose: the problem it answers, the report's own commitment or work it continues, and the peer
practice it borrows (region, year, whole sentences as quotes), each cited. Every problem the report
admits is answered by a task (the 问题对照 list says which), every next-step commitment appears, and last
year's commitments the report shows no sign of (or only in part) are carried over (documents/carry_over.py).

Offline the task text is the report's own words (documents/plan_tasks.py); with an LLM each task is
rewritten from its evidence only, in parallel, every figure checked as in answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import ReportMeta
from ingest.text import chinese_punctuation, cn_numeral

from assistant.answering.answer import Citation, CitationNumbering
from assistant.documents.drafted import EXTRACT_MARK, Drafted
from assistant.documents.evidence import renumber

TEMPLATE_MARK = "〔通用表述〕"


@dataclass
class Evidence:
    role: str  # 问题 | 本地承诺 | 工作基础 | 借鉴 | 依据
    text: str  # whole sentences, as printed (without outline numbers)
    source: str  # 绥滨县（2024年）
    citations: list[Citation]
    spans: list = field(default_factory=list, repr=False)  # the evidence.Span behind it (for an LLM)

    @classmethod
    def of(cls, role: str, span, numbering: CitationNumbering, source: str | None = None) -> "Evidence":
        return cls(role, span.body + "。", source or span.meta.heading_label(), [span.cite(numbering)], [span])

    @property
    def marked(self) -> str:
        return self.text + "".join(f"[{c.n}]" for c in self.citations)

    def to_dict(self) -> dict:
        return {"role": self.role, "text": self.text, "source": self.source, "citations": [c.n for c in self.citations]}


@dataclass
class Task:
    title: str  # a short imperative headline
    text: str  # its content, without markers
    citations: list[Citation] = field(default_factory=list)  # the sources of the content
    evidence: list[Evidence] = field(default_factory=list)
    area: str | None = None
    problem: str | None = None  # the admitted problem it answers, if any
    template: bool = False  # general wording, no source of the report's own (a 保障措施, or a problem nothing answers)
    mode: str = "extractive"  # "generative" when an LLM wrote it

    @property
    def marked(self) -> str:
        return self.text + "".join(f"[{c.n}]" for c in self.citations)

    def to_dict(self) -> dict:
        return {"title": self.title, "text": self.text, "citations": [c.n for c in self.citations], "area": self.area,
                "problem": self.problem, "template": self.template, "mode": self.mode,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class Section:
    title: str  # the 纲要's chapter title of the area
    tasks: list[Task] = field(default_factory=list)
    area: str | None = None

    def to_dict(self) -> dict:
        return {"title": self.title, "area": self.area, "tasks": [t.to_dict() for t in self.tasks]}


@dataclass
class ProblemLink:
    """One admitted problem and the task that answers it (or why none does)."""

    text: str
    citation: Citation
    task: str | None = None  # "二、（一）加强行政执法协调监督"
    reason: str | None = None

    @property
    def citations(self) -> list[Citation]:
        return [self.citation]

    @citations.setter
    def citations(self, value: list[Citation]) -> None:
        self.citation = value[0]

    def to_dict(self) -> dict:
        return {"text": self.text, "citation": self.citation.n, "task": self.task, "reason": self.reason}


@dataclass
class Plan(Drafted):
    report: ReportMeta
    year: int
    title: str
    opening: str
    sections: list[Section]
    closing: list[Task]  # 保障措施
    problems: list[ProblemLink]

    @property
    def tasks(self) -> list[Task]:
        return [t for s in self.sections for t in s.tasks]

    def shown(self, task: Task) -> str:
        """A task's content as renderers print it: its [n], and a mark when it is template or extract."""
        return TEMPLATE_MARK + task.marked if task.template else super().shown(task)

    def to_dict(self) -> dict:
        """The `plan --json` document (schema in the README)."""
        return {
            "title": self.title, "year": self.year, "report": self.report.name, "region": self.report.region,
            "opening": self.opening,
            "problems": [p.to_dict() for p in self.problems],
            "sections": [s.to_dict() for s in self.sections],
            "closing": [t.to_dict() for t in self.closing],
            **self.provenance(),
        }


def draft_plan(store, target: ReportMeta, year: int | None = None, writer=None) -> Plan:
    """The draft for `target`'s next year (or `year`); `writer` has an LLM rewrite every task."""
    from assistant.config.prompts import render
    from assistant.documents.carry_over import carry_over
    from assistant.documents.plan_tasks import assemble

    year = year or ((target.year + 1) if target.year else None)
    if year is None:
        raise ValueError(f"{target.name}：报告年份未知，请指定计划年度（--year）或用 reports --set 补充年份")
    numbering = CitationNumbering()
    draft = assemble(store, target, numbering)
    # The opening speaks of the report's admitted problems only when it has a problems part.
    opening = render("plan_opening" if draft.problems else "plan_opening_commitments", year=str(year),
                     region=target.region or "本地区", prev_year=str(target.year or ""))
    carried, carried_note = carry_over(store, target, numbering)
    sections = draft.sections + ([carried] if carried else [])
    plan = Plan(target, year, f"{year}年{target.region or ''}法治政府建设工作要点", opening, sections,
                draft.safeguards, draft.problems, notes=draft.notes + ([carried_note] if carried_note else []))
    for task in [*plan.tasks, *plan.closing]:  # the draft's own words set as Chinese; evidence stays verbatim
        task.title, task.text = chinese_punctuation(task.title), chinese_punctuation(task.text)
    if writer is not None:
        _write_tasks(writer, plan, numbering)
    _link_problems(plan)
    holders = [*plan.problems, *(x for t in [*plan.tasks, *plan.closing] for x in (t, *t.evidence))]
    plan.citations = renumber(holders)
    if not plan.tasks:  # say so: a plan of general wording alone must not pass for a draft
        plan.notes.append("报告中没有找到可作依据的问题、下一步安排或可延续的做法（文本可能不完整）：未能起草具体任务，"
                          "以下只有通用表述，请补充报告全文或手工起草。")
    plan.notes.append(f"开头段及标注“{TEMPLATE_MARK}”的任务和保障措施为通用表述；其余均依据所附原文，请核对后使用。")
    return plan


def _link_problems(plan: Plan) -> None:
    """Say, for every admitted problem, which task answers it."""
    for link in plan.problems:
        for i, section in enumerate(plan.sections):
            for j, task in enumerate(section.tasks):
                if any(e.role == "问题" and e.citations and e.citations[0].paragraph_id == link.citation.paragraph_id
                       and e.citations[0].quote_start == link.citation.quote_start for e in task.evidence):
                    link.task = f"{cn_numeral(i + 1)}、（{cn_numeral(j + 1)}）{task.title}"
                    break
            if link.task:
                break
        if not link.task and not link.reason:
            link.reason = "报告对该问题未给出可据以起草任务的原文，请补充"


def _write_tasks(writer, plan: Plan, numbering: CitationNumbering) -> None:
    """The LLM rewrites each task's headline and content from that task's evidence only."""
    from assistant.config.prompts import render
    from assistant.documents.generation import Job, sentences_of
    from assistant.documents.plan_tasks import evidence_spans

    region = plan.report.region or "本地区"
    jobs, spans = [], {}
    for i, task in enumerate(plan.tasks):
        spans[i] = evidence_spans(task)
        jobs.append(Job(i, task.title, render("plan_system"),
                        render("plan_task", region=region, year=str(plan.year), area=task.area or "", title=task.title,
                               context="$evidence"), spans[i]))
    outcomes = writer.run(jobs)
    failed: dict[str, int] = {}
    for i, task in enumerate(plan.tasks):
        outcome = outcomes[i]
        if outcome.checked is None:
            failed[outcome.reason] = failed.get(outcome.reason, 0) + 1
            continue
        title, sentences = _title_and_body(sentences_of(outcome, numbering))
        if not sentences:
            failed["模型未写出任务内容"] = failed.get("模型未写出任务内容", 0) + 1
            continue
        task.title = title or task.title
        task.text = "".join(text if text.endswith(("。", "；")) else text + "。" for text, _ in sentences)
        task.citations = list({c.n: c for _, cites in sentences for c in cites}.values())
        task.mode = "generative"
    plan.written_by(writer, sum(t.mode == "generative" for t in plan.tasks), failed,
                    lambda count, reason: f"{count} 项任务未由模型改写（{reason}），保留离线初稿，标注“{EXTRACT_MARK}”。")


def _title_and_body(sentences: list[tuple[str, list]]) -> tuple[str | None, list[tuple[str, list]]]:
    """The model writes '标题：…' then '内容：…' (see prompts/plan_task.md)."""
    title = None
    body = []
    for text, cites in sentences:
        label, sep, rest = text.partition("：")
        if sep and label.strip() in ("标题", "任务"):
            title = rest.strip().rstrip("。")
        elif sep and label.strip() == "内容":
            if rest.strip():
                body.append((rest.strip(), cites))
        else:
            body.append((text, cites))
    return title, body
