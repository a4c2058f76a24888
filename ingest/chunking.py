"""Split long paragraphs into retrieval chunks at sentence boundaries (。！？；)."""

from __future__ import annotations

from .model import Chunk, Paragraph
from .text import split_sentences

# Paragraphs up to this many characters are one chunk; longer ones are packed sentence by sentence.
DEFAULT_CHUNK_CHARS = 350


def chunk_paragraph(paragraph: Paragraph, max_chars: int = DEFAULT_CHUNK_CHARS) -> list[Chunk]:
    text = paragraph.text
    if len(text) <= max_chars:
        return [_chunk(paragraph, 0, 0, len(text))]
    chunks: list[Chunk] = []
    start = end = 0
    for s_start, s_end in split_sentences(text):
        if end > start and s_end - start > max_chars:
            chunks.append(_chunk(paragraph, len(chunks), start, end))
            start = s_start
        end = s_end
    if end > start:
        chunks.append(_chunk(paragraph, len(chunks), start, end))
    return chunks


def _chunk(paragraph: Paragraph, ordinal: int, start: int, end: int) -> Chunk:
    return Chunk(
        id=f"{paragraph.id}.c{ordinal}",
        paragraph_id=paragraph.id,
        ordinal=ordinal,
        text=paragraph.text[start:end],
        start=start,
        end=end,
    )
