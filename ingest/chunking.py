"""Split paragraphs into retrieval chunks at sentence ends, and never beyond a hard cap.

A paragraph up to `max_chars` is one chunk; a longer one is packed sentence by sentence. A sentence
longer than the cap (a table flattened into one line, a 2 MB line without punctuation) is split at
commas and enumeration marks, and a run with none of those at a fixed size, so no chunk exceeds the
cap: an embedding of an unbounded chunk never ends, and an answer would quote it whole.
"""

from __future__ import annotations

import re

from .model import Chunk, Paragraph
from .text import split_sentences

# Paragraphs up to this many characters are one chunk; longer ones are packed sentence by sentence.
DEFAULT_CHUNK_CHARS = 350
# Where an over-long sentence may be cut: after a comma, an enumeration comma, a colon or a space.
_SOFT_BREAK_RE = re.compile(r"[，,、:：\s|]+")


def chunk_paragraph(paragraph: Paragraph, max_chars: int = DEFAULT_CHUNK_CHARS) -> list[Chunk]:
    text = paragraph.text
    if len(text) <= max_chars:
        return [_chunk(paragraph, 0, 0, len(text))]
    chunks: list[Chunk] = []
    start = end = 0
    for s_start, s_end in _pieces(text, max_chars):
        if end > start and s_end - start > max_chars:
            chunks.append(_chunk(paragraph, len(chunks), start, end))
            start = s_start
        end = s_end
    if end > start:
        chunks.append(_chunk(paragraph, len(chunks), start, end))
    return chunks


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Sentence spans, with every span longer than `max_chars` cut into pieces no longer than it."""
    pieces: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if end - start <= max_chars:
            pieces.append((start, end))
            continue
        pieces.extend(_split_long(text, start, end, max_chars))
    return pieces


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) after soft breaks where possible, else every `max_chars` characters."""
    cuts = [m.end() for m in _SOFT_BREAK_RE.finditer(text, start, end)]
    pieces, piece_start, index = [], start, 0
    while end - piece_start > max_chars:
        limit = piece_start + max_chars
        best = None
        while index < len(cuts) and cuts[index] <= limit:
            if cuts[index] > piece_start:
                best = cuts[index]
            index += 1
        cut = best if best is not None else limit
        pieces.append((piece_start, cut))
        piece_start = cut
    pieces.append((piece_start, end))
    return pieces


def _chunk(paragraph: Paragraph, ordinal: int, start: int, end: int) -> Chunk:
    return Chunk(
        id=f"{paragraph.id}.c{ordinal}",
        paragraph_id=paragraph.id,
        ordinal=ordinal,
        text=paragraph.text[start:end],
        start=start,
        end=end,
    )
