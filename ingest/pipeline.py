"""One file in, one ParsedReport out: load → clean → metadata → structure → chunks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .chunking import DEFAULT_CHUNK_CHARS, chunk_paragraph
from .cleaning import clean
from .loading import SUPPORTED_SUFFIXES, file_sha256, is_supported, load_text
from .metadata import infer_metadata, region_level
from .model import IngestError, ParsedReport
from .structure import parse_paragraphs

# User corrections a report's metadata accepts.
EDITABLE_FIELDS = ("region", "year", "province", "city", "level", "title", "published", "doc_type")


def parse_file(
    path: Path,
    data: bytes | None = None,
    overrides: dict | None = None,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
) -> ParsedReport:
    """Parse one report file; raise IngestError (naming the file) when it cannot be read as a report."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(str(path), f"无法读取文件：{exc.strerror or exc}") from exc
    if not is_supported(path):
        raise IngestError(str(path), f"不支持的文件类型 '{path.suffix}'（unsupported；支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）")
    text = load_text(path, data)
    cleaned = clean(text)
    if not cleaned.lines:
        raise IngestError(str(path), "去除网页栏目文字后没有剩下报告正文")
    meta = infer_metadata(path.name, cleaned)
    if overrides:
        meta = apply_overrides(meta, overrides)
    paragraphs = parse_paragraphs(cleaned.lines, path.name, meta.year)
    chunks = [c for p in paragraphs for c in chunk_paragraph(p, chunk_chars)]
    report = ParsedReport(meta=meta, source_path=str(path), sha256=file_sha256(data), paragraphs=paragraphs, chunks=chunks)
    if meta.region is None:
        report.warnings.append("正文中未识别出地区，请用 reports --set 或报告库页面补充")
    if meta.year is None:
        report.warnings.append("正文中未识别出年份，请用 reports --set 或报告库页面补充")
    return report


def apply_overrides(meta, overrides: dict):
    """Apply user corrections; year becomes an int, and a corrected region re-derives the level."""
    values = {k: v for k, v in overrides.items() if k in EDITABLE_FIELDS}
    if "year" in values and values["year"] is not None:
        values["year"] = int(values["year"])
    if "region" in values and "level" not in values:
        values["level"] = region_level(values["region"])
    values["uncertain"] = tuple(f for f in meta.uncertain if f not in values)  # what the user set is confirmed
    return replace(meta, **values)
