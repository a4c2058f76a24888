"""Writing a plan's task text offline from the reports' own words, without inventing anything.

A next-steps commitment is already written as a task ("加强行政执法协调监督。加强…机制和能力建设…").
A work-done or peer sentence is turned into one by keeping its action clauses (those opening with a
verb such as 推行, 建立, 聘请) and leaving out its figures, dates and place names: what was done
becomes what to do, and no peer's number ever becomes a target. A problem heading becomes a task's
headline by its remedy (…薄弱 → 加强…, …单一 → 丰富…; data/remedies.tsv).
"""

from __future__ import annotations

import re

from ingest.text import normalise

from assistant.answering.quotes import strip_outline_number
from assistant.documents.vocabulary import (action_words, continuations, generic_words, national_sources, remedies,
                                            subject_verbs)

# A headline longer than this is cut at a clause boundary (a 工作要点 headline is a short phrase).
MAX_TITLE_CHARS = 24
# Action clauses kept as a task's content.
MAX_CONTENT_CLAUSES = 3
_CLAUSE_SPLIT_RE = re.compile(r"[，,；;：:。！？]")
# Figures and quantities: 132项, 98.8%, 两批次, 20余次, 1.2万件 (a peer's numbers are never targets).
_QUANTITY_RE = re.compile(r"\d|[一二两三四五六七八九十百千万]+(?:余|多)?(?:个|项|件|次|场|名|人|家|批|期|轮|条|份|所|处|支|张)")
# Time and scope openers that belong to the year reported, not to next year's plan.
_TIME_RE = re.compile(r"^(?:20\d\d年(?:以来|度|内)?|今年(?:以来)?|全年|年内|目前|截至目前|近年来|一年来|同时|此外|另外|其中)[,，]?")
_PURPOSE_RE = re.compile(r"^(?:为了?|围绕|按照|根据|结合|依据|对照|针对)[^，,]{2,40}[，,]")
# Words that make a clause report a result rather than an action (…实现全覆盖, …获评…).
_RESULT_RE = re.compile(r"获评|被评为|荣获|入选|位居|排名|得到.*肯定|受到.*表扬|报道")
_SELF_RE = re.compile(r"我(?:区|县|市|旗|镇|局)|全(?:区|县|市|旗|镇)|本(?:区|县|市)")
_QUOTED_RE = re.compile(r"“[^”]*”|《[^》]*》")
# A document named with one year (《…2022年工作要点》, 《…2021年度工作清单》) is that year's: issuing or
# carrying it out is last year's action, never next year's task. A span of years (2021—2025年) is not.
_DATED_TITLE_RE = re.compile(r"《[^》]*(?<![\d—–~-])(?:19|20)\d\d(?![\d—–~-])年[^》]*》")
_NAME_RE = re.compile(r"“[^”]*”")
# A count at the end of a clause is left out, the action kept: 聘请社会监督员40名 → 聘请社会监督员.
_TRAILING_COUNT_RE = re.compile(r"(?:共|累计|合计|达到|达)?\d+(?:\.\d+)?(?:余|多)?(?:个|项|件|次|场|名|人次|人|家|批|期|轮|条|份|所|处|支|张|卷|户|万)*$")
# A clause opening with where it happened: 在长寿路街道、曹杨新村街道试点… (the place is the peer's).
_PLACE_OPENER_RE = re.compile(r"^在(?:[^，,、]{1,15}?(?:街道|社区|园区|开发区|镇|乡|村)+、?)+")
# Prepositions a clause may open with before its verb (在各街道聘请…, 依托平台开展…).
_PREPOSITION_RE = re.compile(r"^(?:在|对|向|将|把|通过|依托|利用|借助|以|围绕)")
_SUBJECT_TAIL_RE = re.compile(r"(?:的|方面|情况|工作|现状|还|仍|尚|较|比较|相对|均|也)+$")
# Subjects naming a body of people that is built up, not strengthened as such (队伍 → 队伍建设).
_BUILT_RE = re.compile(r"(?:队伍|机构)$")


def action_clauses(text: str, place_stems: tuple[str, ...] = (), limit: int = MAX_CONTENT_CLAUSES) -> str | None:
    """The sentence's action clauses, without figures, dates or the named places: what to do."""
    _, verbs = action_words()
    body = _PURPOSE_RE.sub("", _TIME_RE.sub("", strip_outline_number(text)))
    kept: list[str] = []
    for clause in (c.strip() for c in _CLAUSE_SPLIT_RE.split(body)):
        place = _PLACE_OPENER_RE.match(clause)
        if place and not clause[place.end() :].startswith(("和", "与", "及", "等")):
            clause = clause[place.end() :]
        clause = _TRAILING_COUNT_RE.sub("", clause).strip()
        if not clause or _QUANTITY_RE.search(_QUOTED_RE.sub("", clause)) or _RESULT_RE.search(clause):
            continue
        if _DATED_TITLE_RE.search(clause):
            continue  # issuing 《…2022年工作要点》 was that year's work
        if any(word in clause for word in national_sources()):
            continue  # 坚持以习近平…为指引: a slogan, not an action to borrow
        if any(stem and stem in clause for stem in place_stems):
            continue
        if not (is_action(clause) or (_PREPOSITION_RE.match(clause) and any(v in clause[1:] for v in verbs))):
            continue
        if place_stems:  # a peer's own brand (“美好生活·法典相伴”) is not ours to borrow
            clause = _NAME_RE.sub("", clause)
        kept.append(_present(_SELF_RE.sub("", clause), verbs))
        if len(kept) >= limit:
            break
    return "，".join(kept) + "。" if kept else None


def _present(clause: str, verbs: tuple[str, ...]) -> str:
    """'提高了…' → '提高…': what was done becomes what to do."""
    for verb in verbs:
        at = clause.find(verb + "了")
        if 0 <= at <= MAX_ADVERB_CHARS:
            return clause[: at + len(verb)] + clause[at + len(verb) + 1 :]
    return clause


# An adverb before the verb is at most this long (进一步, 常态化).
MAX_ADVERB_CHARS = 3


def headline(text: str) -> str:
    """A short headline: the text's first clause(s) within MAX_TITLE_CHARS, without outline numbers; a
    single long clause is cut before its second object (…专项行动和…专项活动 → …专项行动), never mid-word."""
    body = strip_outline_number(text)
    clauses = [c.strip() for c in _CLAUSE_SPLIT_RE.split(body) if c.strip()]
    title = ""
    for clause in clauses:
        candidate = f"{title}，{clause}" if title else clause
        if len(candidate) > MAX_TITLE_CHARS and title:
            break
        title = candidate
    if len(title) > MAX_TITLE_CHARS:
        outside = _QUOTED_RE.sub(lambda m: "＿" * len(m.group()), title)  # never cut inside a quoted name
        cuts = [m.start() for m in re.finditer(r"和|及|并|、", outside) if MIN_TITLE_CHARS <= m.start() <= MAX_TITLE_CHARS + 8]
        if cuts:
            title = title[: cuts[-1]]
    return title


# A headline cut shorter than this says too little.
MIN_TITLE_CHARS = 8


def continued(text: str) -> str:
    """A practice carried into next year: '持续' before it, unless it already says so or opens with a
    manner word (积极履行…, 扎实开展…) that 持续 would clash with; a one-off act becomes its use
    (设立“草原调解室” → 用好“草原调解室”)."""
    adverbs, _ = action_words()
    pieces = []
    for sentence in re.split(r"(?<=。)", text):
        for once, carried in continuations().items():
            if sentence.startswith(once):
                sentence = carried + sentence[len(once) :]
                break
        pieces.append(sentence)
    text = "".join(pieces)
    if text.startswith(("持续", "深化", "深入", "继续", "巩固", "进一步", "用好", "落实")) or text.startswith(adverbs):
        return text
    return "持续" + text


def is_action(text: str) -> bool:
    """Whether a phrase opens with a verb (already a task, e.g. a report's own next-step heading)."""
    adverbs, verbs = action_words()
    core = text.strip()
    for adverb in adverbs:
        if core.startswith(adverb):
            core = core[len(adverb) :]
            break
    return core.startswith(verbs)


def remedy_title(problem: str) -> str:
    """'法治建设意识需进一步加强' → '进一步加强法治建设意识'; '普法宣传形式单一' → '丰富普法宣传形式'."""
    first = _CLAUSE_SPLIT_RE.split(strip_outline_number(problem))[0].strip()
    for judgement, verb in remedies():
        at = first.find(judgement)
        if at <= 0:
            continue
        subject = _SUBJECT_TAIL_RE.sub("", first[:at].split("与")[0]).strip()
        if not subject:
            continue
        verb = next((v for ending, v in subject_verbs() if subject.endswith(ending)), verb)
        further = "进一步" if "进一步" in judgement else ""
        return f"{further}{verb}{subject}{'建设' if _BUILT_RE.search(subject) else ''}"
    return f"着力解决{first}的问题"


def problem_remedies(problem: str) -> list[str]:
    """Each judged clause of a problem as its remedy: '基层法治力量薄弱，法治专业人才比例较低' →
    ['加强基层法治力量', '提高法治专业人才比例'] (clauses that judge nothing are left out)."""
    found = []
    for clause in (c.strip() for c in _CLAUSE_SPLIT_RE.split(strip_outline_number(problem))):
        remedy = remedy_title(clause) if clause else ""
        if remedy and not remedy.startswith("着力解决") and remedy not in found:
            found.append(remedy)
    return found


# A text answers a problem when the specific words of the problem it holds weigh this much (idf over the
# library's chunks, so that 执法 or 制度 alone, found in a quarter of all passages, is not enough; 普法 or
# 信息公开 is): a task about 普法 does not answer 法治专业人才比例较低.
MIN_ANSWER_IDF = 1.5


def answers(problem: str, text: str, idf) -> bool:
    """Whether `text` speaks to the problem: it names the problem's own subject, not only its area."""
    norm = normalise(text)
    return sum(idf(w) for w in subject_words(problem) if normalise(w) in norm) >= MIN_ANSWER_IDF


def subject_words(text: str) -> list[str]:
    """The specific words that say what a text is about (not 加强, 工作, 水平 …)."""
    from assistant.language.tokens import content_terms

    generic = generic_words()
    adverbs, verbs = action_words()
    words = (_FUNCTION_TAIL_RE.sub("", t) for t in content_terms(strip_outline_number(text)))
    return list(dict.fromkeys(t for t in words if len(t) >= 2 and t not in generic and t not in verbs and t not in adverbs
                              and not t.startswith("进一步")))


# Function characters the tokenizer leaves stuck to a word (意识还, 任务不, 还有待): not part of the subject.
_FUNCTION_TAIL_RE = re.compile(r"(?:还|不|仍|尚|也|都|的|较|需|要|亟|待|有待)+$")


def shared_weight(words: list[str], text: str) -> int:
    """How much of `words` a text holds, longer words counting more."""
    norm = normalise(text)
    return sum(len(w) for w in dict.fromkeys(words) if normalise(w) in norm)
