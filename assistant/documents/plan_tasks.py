"""The offline plan: tasks from a report's problems, its commitments and its own work, each with the
peer practice on the same subject, grouped by 纲要 area; and 保障措施 from the report's own words.

1. Every problem gets a task in the area of the problem. When a next-step commitment speaks to it
   (they share specific words and it names the problem's own subject), the commitment is the task (its
   heading the headline, its sentences the content); otherwise the headline is the problem's remedy
   (…薄弱 → 加强…) and the content the action clauses of the peer practice that best fits it, when
   those actions name the problem's subject too; else the remedies of the problem's own clauses, marked
   as general wording (a task about 普法 never stands for 法治专业人才比例较低).
2. Every other commitment is a task in its own area.
3. Each area the report's work part speaks of gets tasks continuing its strongest practices until it
   has MIN_TASKS_PER_AREA, subjects not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import Part, ReportMeta
from ingest.text import split_sentences

from assistant.answering.answer import CitationNumbering
from assistant.answering.quotes import is_bare_heading, strip_outline_number
from assistant.documents.areas import AREA_BY_NAME, AREAS, classify_many
from assistant.documents.evidence import AREA_FIT_WEIGHT, Item, Span, area_fit, items, sentences, speaks_for, weight
from assistant.documents.plan_peers import PeerFinder
from assistant.documents.plan_text import (action_clauses, answers, continued, headline, is_action, problem_remedies,
                                            remedy_title, shared_weight, subject_words)
from assistant.documents.plans import Evidence, ProblemLink, Section, Task

# A commitment answers a problem when they share specific words of at least this weight (characters,
# the problem heading's words counting double); one of another area only when they share much more
# (基层力量 … 司法所: the same subject named in two areas' words), never on a word like 程序 alone.
MIN_SHARED_WEIGHT = 4
MIN_CROSS_AREA_WEIGHT = 10
# Tasks continuing the report's own work added until an area has this many, and never beyond the max.
MIN_TASKS_PER_AREA = 2
MAX_TASKS_PER_AREA = 5
# A continuing task is a new subject when at most this share of its words are in the area's tasks.
MAX_SUBJECT_OVERLAP = 0.5


@dataclass
class Draft:
    sections: list[Section]
    safeguards: list[Task]
    problems: list[ProblemLink]
    notes: list[str] = field(default_factory=list)


def assemble(store, target: ReportMeta, numbering: CitationNumbering) -> Draft:
    paragraphs = store.library.paragraphs(target.name)
    problems = items(target, paragraphs, Part.PROBLEMS)
    commitments = items(target, paragraphs, Part.NEXT)
    work = sentences(target, paragraphs)
    peers = PeerFinder(store, target, numbering)
    idf = store.lexical().idf
    label = target.heading_label()
    notes = [] if problems else [f"{target.label()}的报告未单列“存在的问题”，任务依据其下一步打算和已有工作起草。"]
    by_area: dict[str, list[Task]] = {a.name: [] for a in AREAS}
    problem_areas = classify_many([p.title + "，" + (p.detail[0].text if p.detail else "") for p in problems])
    commitment_areas = [_area_of(c) for c in commitments]
    answered = _answers(problems, problem_areas, commitments, commitment_areas, idf)
    safeguard_commitments = _safeguard_commitments(commitments, answered)
    for commitment_index, commitment in enumerate(commitments):
        if commitment_index in safeguard_commitments:
            continue
        answering = [p for p, c in answered.items() if c == commitment_index]
        area = problem_areas[problems.index(answering[0])] if answering else commitment_areas[commitment_index]
        task = _commitment_task(commitment, label, numbering, area)
        for problem in answering:
            task.evidence.insert(0, _problem_evidence(problem, label, numbering))
            task.problem = task.problem or problem.title
        by_area[area].append(task)
    for problem, area in zip(problems, problem_areas):
        if problem not in answered:
            by_area[area].append(_problem_task(problem, label, numbering, area, peers, idf))
    titles = {t.title for tasks in by_area.values() for t in tasks}
    _continue_work(by_area, work, label, numbering, idf, titles)
    for area, tasks in by_area.items():
        for task in tasks:
            if not task.template and not any(e.role == "借鉴" for e in task.evidence):
                task.evidence.extend(peers.practices(task.text, area, task.title))
    sections = [Section(AREA_BY_NAME[a].title, tasks, a) for a, tasks in by_area.items() if tasks]
    used = {(c.paragraph_id, c.quote_start) for s in sections for t in s.tasks for c in t.citations}
    from assistant.documents.safeguards import safeguards

    links = [ProblemLink(p.title, _whole(p).cite(numbering)) for p in problems]
    own = [commitments[i] for i in sorted(safeguard_commitments)]
    return Draft(sections, safeguards(target, paragraphs, used, label, numbering, own), links, notes)


def _answers(problems: list[Item], problem_areas: list[str], commitments: list[Item],
             commitment_areas: list[str], idf) -> dict[Item, int]:
    """Problem → index of the commitment that speaks to it: one of the same area (a 执法程序 problem is
    not answered by a 决策程序 commitment) sharing most specific words, its task naming the problem's
    subject (a 执法监督体系 commitment does not answer 执法人员培训不足 for sharing 执法)."""
    answered = {}
    for problem, area in zip(problems, problem_areas):
        heading = set(subject_words(problem.title))
        words = heading | set(subject_words(problem.context))
        best, best_score = None, 0.0
        for i, commitment in enumerate(commitments):
            theirs = set(subject_words(commitment.context))
            score = sum(len(w) * (2 if w in heading else 1) for w in words & theirs)
            needed = MIN_SHARED_WEIGHT if commitment_areas[i] == area else MIN_CROSS_AREA_WEIGHT
            if score >= needed and score / needed > best_score and answers(problem.title, _task_words(commitment), idf):
                best, best_score = i, score / needed
        if best is not None:
            answered[problem] = best
    return answered


def _task_words(commitment: Item) -> str:
    """What a commitment's task says: its heading and the sentences that become its content."""
    return commitment.title + "，" + "".join(d.text for d in commitment.detail[:2])


def _safeguard_commitments(commitments: list[Item], answered: dict[Item, int]) -> set[int]:
    """Commitments that are a standard 保障措施 (推进法治督察考核) and answer no problem: they go there."""
    from assistant.documents.safeguards import measures

    chosen = set()
    for i, commitment in enumerate(commitments):
        if i in answered.values():
            continue
        if any(sum(cue in commitment.title for cue in cues) >= SAFEGUARD_CUES for _, cues, _ in measures()):
            chosen.add(i)
    return chosen


# A commitment whose heading holds this many cue words of one 保障措施 is that measure.
SAFEGUARD_CUES = 2


def _area_of(item: Item) -> str:
    text = item.title + "，" + "，".join(d.text for d in item.detail[:2])
    return classify_many([text])[0]


def _whole(item: Item) -> Span:
    """The item's heading with the sentence that explains it (never the heading alone)."""
    return item.whole


def _problem_evidence(problem: Item, label: str, numbering: CitationNumbering) -> Evidence:
    return Evidence.of("问题", _whole(problem), numbering, label)


def _commitment_task(commitment: Item, label: str, numbering: CitationNumbering, area: str) -> Task:
    title = headline(commitment.title)
    detail = [d for d in commitment.detail if is_action(d.body) or not d.body.startswith(("通过", "在"))][:2] or list(commitment.detail[:2])
    text = "".join(d.body + "。" for d in detail) or commitment.title + "。"
    cited = [d.cite(numbering) for d in detail] or [commitment.head.cite(numbering)]
    evidence = Evidence.of("本地承诺", _whole(commitment), numbering, label)
    return Task(title, text, cited, [evidence], area)


def _problem_task(problem: Item, label: str, numbering: CitationNumbering, area: str, peers: "PeerFinder", idf) -> Task:
    """A problem no commitment speaks to: its remedy as headline; as content the actions of a peer
    practice that name the problem's subject, else the remedies of its clauses, marked general wording."""
    title = remedy_title(problem.title)
    task = Task(title, "", [], [_problem_evidence(problem, label, numbering)], area, problem.title)
    for evidence in peers.practices(problem.context, area, title, limit=PEER_CANDIDATES, reserve=False):
        actions = action_clauses(evidence.text, peers.place_stems(evidence))
        if actions and answers(problem.title, actions, idf):
            peers.reserve(evidence)
            task.evidence.append(evidence)
            task.text, task.citations = actions, list(evidence.citations)
            return task
    rest = [r for r in problem_remedies(problem.title) if r != title]
    task.text = "，".join([*rest, "明确牵头单位和完成时限，逐项推动解决。"]) if rest else f"{title}，明确牵头单位和完成时限，逐项推动解决。"
    task.template = True
    return task


# Peer practices weighed for a problem no commitment answers: the first whose actions name its subject.
PEER_CANDIDATES = 5


def _continue_work(by_area: dict[str, list[Task]], work: list[Span], label: str, numbering: CitationNumbering, idf,
                   titles: set[str]) -> None:
    """Tasks that carry the report's strongest practices into next year, for areas still thin: one per
    work item (a heading and the sentences under it), its headline the item's own heading."""
    placed = classify_many([s.text for s in work], by_meaning=False)
    groups: dict[tuple[str, str], list[tuple[float, Span]]] = {}
    for span, area in zip(work, placed):
        if area and speaks_for(span, area):
            score = weight(span, idf) + AREA_FIT_WEIGHT * area_fit(span, area)
            groups.setdefault((area, _heading_of(span) or span.text), []).append((score, span))
    for area, tasks in by_area.items():
        ranked = sorted(((max(x for x, _ in g), heading, [sp for _, sp in sorted(g, key=lambda x: -x[0])])
                         for (a, heading), g in groups.items() if a == area), key=lambda x: -x[0])
        for _, heading, spans in ranked:
            if len(tasks) >= MIN_TASKS_PER_AREA or len(tasks) >= MAX_TASKS_PER_AREA:
                break
            task = _work_task(heading, spans, label, numbering, area)
            if task is None or task.title in titles or _repeats(task, tasks):
                continue
            titles.add(task.title)
            tasks.append(task)


def _work_task(heading: str, spans: list[Span], label: str, numbering: CitationNumbering, area: str) -> Task | None:
    """'持续' + the item's heading as headline; the actions of its best sentences as content."""
    best = spans[:2]
    actions = [a for a in (action_clauses(s.text) for s in best) if a]
    head = heading if heading is not None and heading != best[0].text and is_action(heading) else None
    if not actions and not head:
        return None
    title = continued(headline(head or actions[0]))
    text = continued("".join(actions[:2]) if actions else strip_outline_number(head) + "。")
    if text.rstrip("。") == title:
        return None  # nothing to say beyond the headline
    cited = [s for s, a in zip(best, (action_clauses(s.text) for s in best)) if a] or best[:1]
    return Task(title, text, [s.cite(numbering) for s in cited], [Evidence.of("工作基础", s, numbering, label) for s in cited], area)


def _heading_of(span: Span) -> str | None:
    """The heading the sentence stands under: the last bare heading before it in its paragraph (一是…),
    the paragraph's own heading, or the last of its section path."""
    paragraph = span.paragraph
    inline = [paragraph.text[s:e] for s, e in split_sentences(paragraph.text[: span.start])
              if is_bare_heading(paragraph, s, e)]
    heading = inline[-1] if inline else paragraph.heading or (paragraph.section_path[-1] if paragraph.section_path else None)
    return strip_outline_number(heading) if heading else None


def _repeats(task: Task, tasks: list[Task]) -> bool:
    """The task's subject is already an area task's (most of its words are there) or its title is."""
    words = subject_words(task.title + "，" + task.text)
    if not words:
        return True
    for other in tasks:
        if other.title.lstrip("持续") == task.title.lstrip("持续"):
            return True
        overlap = shared_weight(words, other.title + other.text) / max(sum(len(w) for w in set(words)), 1)
        if overlap > MAX_SUBJECT_OVERLAP:
            return True
    return False


def evidence_spans(task: Task) -> list[Span]:
    """The spans of a task's evidence, for an LLM to write from (documents/plans.py)."""
    return [span for e in task.evidence for span in e.spans]
