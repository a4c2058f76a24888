"""One file in, one ParsedReport out: load → clean → metadata → structure → chunks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .chunking import DEFAULT_CHUNK_CHARS, chunk_paragraph
from .cleaning import clean
from .loading import SUPPORTED_SUFFIXES, file_sha256, is_supported, load_document
from .pdf import PageCallback
from .gazetteer import gazetteer
from .metadata import infer_metadata, region_level, with_plan_year
from .model import EDITABLE_FIELDS, DocType, IngestError, ParsedReport, Part, ReportMeta
from .region import place_under
from .structure import parse_paragraphs


def parse_file(
    path: Path,
    data: bytes | None = None,
    overrides: dict | None = None,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    on_page: PageCallback | None = None,
    max_unpacked_mb: float | None = None,
) -> ParsedReport:
    """Parse one report file; raise IngestError (naming the file) when it cannot be read as a report.
    `on_page(done, total)` is told after each page of a PDF (scanned pages take about a second each); a
    packed file (.docx) may unpack to `max_unpacked_mb` at most (the caller's file size limit)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(str(path), f"无法读取文件：{exc.strerror or exc}") from exc
    if not is_supported(path):
        raise IngestError(str(path), f"不支持的文件类型“{path.suffix}”（支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）")
    loaded = load_document(path, data, on_page, max_unpacked_mb)
    cleaned = clean(loaded.text)
    if not cleaned.lines:
        raise IngestError(str(path), "去除网页栏目文字后没有剩下报告正文")
    meta = infer_metadata(path.name, cleaned)
    if overrides:
        meta = apply_overrides(meta, overrides)
    paragraphs = parse_paragraphs(cleaned.lines, path.name, meta.year, plans_after_review=meta.session_report)
    if not overrides or "plan_year" not in overrides:
        meta = with_plan_year(meta, any(p.part == Part.NEXT for p in paragraphs))
    if loaded.ocr_lines:
        paragraphs = [_mark_ocr(p, loaded.ocr_lines) for p in paragraphs]
    chunks = [c for p in paragraphs for c in chunk_paragraph(p, chunk_chars)]
    report = ParsedReport(meta=meta, source_path=str(path), sha256=file_sha256(data), paragraphs=paragraphs, chunks=chunks)
    report.warnings.extend(loaded.warnings)
    if meta.region is None:
        report.warnings.append("正文中未识别出地区，请用 reports --set 或报告库页面补充")
    if meta.year is None:
        report.warnings.append("正文中未识别出年份，请用 reports --set 或报告库页面补充")
    return report


def _mark_ocr(paragraph, ocr_lines: frozenset[str]):
    """A paragraph any of whose lines OCR read (a held heading and its body are two lines) is marked."""
    if any(line.strip() in ocr_lines for line in paragraph.text.split("\n")):
        return replace(paragraph, ocr=True)
    return paragraph


def apply_overrides(meta: ReportMeta, overrides: dict) -> ReportMeta:
    """Apply user corrections. Year becomes an int; a corrected region is looked up in the gazetteer (its
    official name, short forms, level, province, city and code follow unless also given). What the user
    set, and what follows from an unambiguous name, is confirmed: it leaves the 待确认 list."""
    values = {k: v for k, v in overrides.items() if k in EDITABLE_FIELDS}
    for key in ("year", "plan_year"):
        if values.get(key) is not None:
            values[key] = int(values[key])
    if values.get("year") is not None and "plan_year" not in values and meta.plan_year and meta.year:
        values["plan_year"] = values["year"] + (meta.plan_year - meta.year)  # the plans stay a year ahead
    if "doc_type" in values:
        values["doc_type"] = DocType(values["doc_type"]).value  # ValueError names the bad type
    if values.get("region"):
        values = {**_from_gazetteer(values["region"], values.get("province"), values.get("city")), **values}
        if "official" in values:
            values["region"] = values.pop("official")
    elif "region" in values and "level" not in values:
        values["level"] = region_level(values["region"])
    confirmed = set(values) | ({"level", "province", "city"} if "division_code" in values else set())
    values["uncertain"] = tuple(f for f in meta.uncertain if f not in confirmed)
    return replace(meta, **values)


def _from_gazetteer(region: str, province: str | None, city: str | None) -> dict:
    """Fields that follow from a region name the gazetteer resolves to exactly one division."""
    found = [d for d in gazetteer().named(region)
             if (not province or d.province == province) and (not city or d.city == city or d.name == city)]
    if len(found) != 1:
        under = place_under(region) if not found else None  # 高平市寺庄镇: a town in a known county
        if under is not None and under.region != region:
            return {"official": under.region, "level": under.level, "province": province or under.province,
                    "city": city or under.city}
        return {"level": region_level(region)}
    division = found[0]
    return {"official": division.name, "aliases": gazetteer().aliases(division), "level": division.level,
            "province": division.province, "city": division.city or (division.name if division.rank == 1 else None),
            "division_code": division.code}
