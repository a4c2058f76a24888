"""Peer practices for a plan's task: what other regions' reports (any year) did on the same subject.

Found by the product's own retrieval over the peers' reports, then judged sentence by sentence: a
practice sentence (work part, never a bare heading) of the task's area sharing the task's specific
words. Each peer sentence is borrowed once per plan, at most PEERS_PER_TASK per task, from
different regions; its region and year go with it.
"""

from __future__ import annotations

from ingest.model import DocType, ReportMeta
from ingest.text import normalise, split_sentences

from assistant.answering.answer import CitationNumbering
from assistant.documents.distinctive import region_stem
from assistant.answering.quotes import is_bare_heading
from assistant.documents.evidence import PRACTICE_PARTS, MIN_SENTENCE_CHARS, Span, speaks_for, weight
from assistant.documents.plan_text import subject_words

PEERS_PER_TASK = 1
PEER_PASSAGES = 20
# A peer sentence must share the task's subject, not just its area: the idf of the specific words it
# shares must add up to this (one rare word such as 社会监督员, or two middling ones; 行政执法 alone,
# found in most reports, is not enough).
MIN_SHARED_IDF = 4.0
# How much what a peer sentence says (figures, names) counts beside how well it fits the subject.
PEER_WEIGHT_SHARE = 0.3


class PeerFinder:
    def __init__(self, store, target: ReportMeta, numbering: CitationNumbering):
        self.store = store
        self.numbering = numbering
        self.peers = [m for m in store.reports() if m.name != target.name and m.doc_type == DocType.ANNUAL_REPORT.value]
        self.used: set[tuple[str, int]] = set()
        self.idf = store.lexical().idf

    def practices(self, about: str, area: str, headline: str = "", limit: int = PEERS_PER_TASK, reserve: bool = True):
        """Evidence('借鉴', …) for a task about `about` in `area`: the peer sentences sharing most of its
        specific words (the headline's counting double), each borrowed once."""
        from assistant.documents.plans import Evidence
        from assistant.retrieval.hybrid import retrieve

        words = subject_words(headline + "，" + about)
        key_words = set(subject_words(headline))
        if not self.peers or not words:
            return []
        query = " ".join(words[:10])
        passages = retrieve(self.store, query, top_k=PEER_PASSAGES, reports=[m.name for m in self.peers]).passages
        scored = []
        for passage in passages:
            if passage.paragraph.part not in PRACTICE_PARTS:
                continue
            for start, end in split_sentences(passage.paragraph.text):
                span = Span(passage.report, passage.paragraph, start, end)
                if (passage.paragraph.id, start) in self.used or len(span.body) < MIN_SENTENCE_CHARS:
                    continue
                if is_bare_heading(passage.paragraph, start, end) or not speaks_for(span, area):
                    continue
                norm = normalise(span.text)
                shared = sum(self.idf(w) * (2 if w in key_words else 1) for w in set(words) if normalise(w) in norm)
                if shared >= MIN_SHARED_IDF:
                    scored.append((shared + PEER_WEIGHT_SHARE * weight(span, self.idf), span))
        chosen, regions = [], set()
        for _, span in sorted(scored, key=lambda x: -x[0]):
            if span.meta.name in regions:
                continue
            regions.add(span.meta.name)
            if reserve:
                self.used.add((span.paragraph.id, span.start))
            chosen.append(Evidence.of("借鉴", span, self.numbering))
            if len(chosen) >= limit:
                break
        return chosen

    def reserve(self, evidence) -> None:
        """Borrow this practice: no other task of the plan will quote it."""
        span = evidence.spans[0]
        self.used.add((span.paragraph.id, span.start))

    @staticmethod
    def place_stems(evidence) -> tuple[str, ...]:
        """Names of the peer's own places, left out when its actions are borrowed."""
        meta = evidence.spans[0].meta
        return tuple(s for s in (region_stem(meta.region or ""), region_stem(meta.city or "")) if s)
