"""The 12 generalisation fixtures (our own words, real place names): metadata, chrome, parts and figures
against their hand-written truth in tests/fixtures/reports/labels.json."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from assistant.documents.figures import INDICATORS, extract
from ingest.model import Part
from ingest.pipeline import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
LABELS = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
META_FIELDS = ("region", "city", "province", "level", "doc_type", "year", "published")
# Share of the labelled figures (of indicators the lexicon knows) that must be found.
MIN_FIGURE_RECALL = 0.9


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


@pytest.fixture(scope="module")
def parsed():
    return {name: parse_file(FIXTURES / name) for name in LABELS}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_fixture_metadata_matches_its_label(parsed, name):
    meta, label = parsed[name].meta, LABELS[name]
    assert {f: getattr(meta, f) for f in META_FIELDS} == {f: label[f] for f in META_FIELDS}
    assert not meta.uncertain  # every fixture names its area plainly enough to be sure


@pytest.mark.parametrize("name", sorted(LABELS))
def test_fixture_chrome_lines_are_not_indexed(parsed, name):
    texts = [p.text for p in parsed[name].paragraphs]
    for line in LABELS[name]["chrome_lines"]:
        assert line not in texts, line
        if len(line) > 12:  # long enough not to occur inside report prose by chance
            assert not any(line in t for t in texts), line


@pytest.mark.parametrize("name", sorted(LABELS))
def test_fixture_parts_follow_their_headings(parsed, name):
    for heading in LABELS[name]["parts"]:
        parts = [p.part.value for p in parsed[name].paragraphs
                 if p.section_path and _key(p.section_path[0]) == _key(heading["heading"])]
        assert parts, heading
        if heading["part"] == "problems+next":
            assert parts[0] == Part.PROBLEMS and parts[-1] == Part.NEXT
            assert parts == sorted(parts, key=lambda part: part != Part.PROBLEMS)  # problems, then plans
        else:
            assert set(parts) == {heading["part"]}, heading


def test_fixture_figures_are_found_with_their_sentences(parsed):
    known = {i.name for i in INDICATORS}
    found, total = 0, 0
    for name, label in LABELS.items():
        report = parsed[name]
        figures = extract(report.meta, report.paragraphs, include_all_types=True)
        by_id = {p.id: p for p in report.paragraphs}
        for figure in figures:
            assert figure.sentence in by_id[figure.paragraph_id].text
            assert figure.value in figure.sentence
            assert figure.part == by_id[figure.paragraph_id].part.value
        got = {(f.indicator, f.number): f for f in figures}
        for expected in label["figures"]:
            if expected["indicator"] in known:
                total += 1
                figure = got.get((expected["indicator"], float(expected["value"])))
                found += figure is not None
                if figure is not None:
                    assert figure.approximate == bool(expected.get("approx")), figure
    assert total > 100 and found / total >= MIN_FIGURE_RECALL, (found, total)


def test_look_alike_fixtures_give_no_figures_unless_included(parsed):
    court = parsed["fx09_2c8f41.txt"]
    assert extract(court.meta, court.paragraphs) == []
    assert extract(court.meta, court.paragraphs, include_all_types=True)
    report = parsed["fx01_a17c3e.txt"]  # an annual report: its labelled figures come out by default
    known = {i.name for i in INDICATORS}
    labelled = {(f["indicator"], float(f["value"])) for f in LABELS["fx01_a17c3e.txt"]["figures"] if f["indicator"] in known}
    assert labelled and labelled <= {(f.indicator, f.number) for f in extract(report.meta, report.paragraphs)}
