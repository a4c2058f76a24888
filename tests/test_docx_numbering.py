"""Word's automatic numbering computed from numbering.xml as Word shows it."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ingest.docx_numbering import Numbering, format_number

W = nsdecls("w")


def _numbering(levels: str, nums: str) -> Numbering:
    xml = f'<w:numbering {W}><w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum>{nums}</w:numbering>'
    return Numbering(parse_xml(xml))


def _lvl(index: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'{extra}</w:lvl>')


def _p(num: str, level: int) -> object:
    return parse_xml(f'<w:p {W}><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr></w:p>')


OFFICIAL = (_lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）") + _lvl(2, "decimal", "%3.")
            + _lvl(3, "decimal", "（%4）"))


def test_official_levels_count_and_restart_under_their_parent():
    numbering = _numbering(OFFICIAL, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    sequence = [0, 1, 2, 2, 3, 3, 1, 2, 0, 1] + [0] * 9
    labels = [numbering.label(_p("5", level)) for level in sequence]
    assert labels[:10] == ["一、", "（一）", "1.", "2.", "（1）", "（2）", "（二）", "1.", "二、", "（一）"]
    assert labels[-1] == "十一、"  # past ten in Chinese counting


def test_a_start_override_restarts_a_list_that_shares_its_definition():
    numbering = _numbering(OFFICIAL, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
                                     '<w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
                                     '<w:num w:numId="7"><w:abstractNumId w:val="1"/>'
                                     '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    assert [numbering.label(_p(n, 2)) for n in ("5", "5", "6", "7", "7")] == ["1.", "2.", "3.", "1.", "2."]


def test_lvl_restart_zero_keeps_counting_across_parents_and_start_is_honoured():
    levels = (_lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%2.", '<w:lvlRestart w:val="0"/>')
              .replace('<w:start w:val="1"/>', '<w:start w:val="3"/>'))
    numbering = _numbering(levels, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    assert [numbering.label(_p("5", level)) for level in (0, 1, 1, 0, 1)] == ["一、", "3.", "4.", "二、", "5."]


def test_legal_numbering_bullets_and_unnumbered_paragraphs():
    levels = _lvl(0, "decimal", "%1.") + _lvl(1, "chineseCounting", "%1.%2", '<w:isLgl/>') + _lvl(2, "bullet", "\u2022")
    numbering = _numbering(levels, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    assert numbering.label(_p("5", 0)) == "1."
    assert numbering.label(_p("5", 1)) == "1.1 "  # decimal despite chineseCounting; a space before the text
    assert numbering.label(_p("5", 2)) == ""
    assert numbering.label(parse_xml(f"<w:p {W}/>")) == "" and numbering.label(_p("0", 0)) == ""


def test_numbering_set_on_a_paragraph_style():
    styles = parse_xml(
        f'<w:styles {W}><w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr>'
        '</w:pPr></w:style><w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/><w:pPr><w:numPr>'
        '<w:ilvl w:val="1"/><w:numId w:val="5"/></w:numPr></w:pPr></w:style></w:styles>')
    xml = f'<w:numbering {W}><w:abstractNum w:abstractNumId="1">{OFFICIAL}</w:abstractNum>' \
          '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    numbering = Numbering(parse_xml(xml), styles)

    def styled(style: str):
        return parse_xml(f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>')

    assert [numbering.label(styled(s)) for s in ("H1", "H2", "H2", "H1")] == ["一、", "（一）", "（二）", "二、"]


def test_number_formats():
    assert format_number(3, "ideographTraditional") == "丙"
    assert format_number(2, "decimalEnclosedCircle") == "②"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "lowerLetter") == "bb"
    assert format_number(21, "chineseCounting") == "二十一" and format_number(2, "chineseLegalSimplified") == "贰"
