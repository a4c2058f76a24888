"""Who delivered a report to a congress or its standing committee: an office holder named under the
dateline (国务院总理 李克强, 山东省省长 周乃翔, 省高级人民法院院长 康为民) or in a news lead (省长毛伟明作政府
工作报告; 最高人民法院院长张军11月5日在…作…报告). Office titles and name shapes, not any person's name."""

from __future__ import annotations

import re

TITLES = "总理|副总理|省长|市长|区长|县长|州长|盟长|旗长|镇长|乡长|主席|院长|检察长|局长|主任"
# Two to four characters (a two-character name is often padded: 李　强), or a transcribed name (艾尔肯·吐尼亚孜).
NAME = r"[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}(?:·[\u4e00-\u9fff]{2,8})?"
# An office of at most 16 characters ending in a title, then the name: a line of its own.
_LINE_RE = re.compile(rf"^(.{{0,16}}?(?:{TITLES}))\s*({NAME})$")
_OFFICE_RE = re.compile(rf"^.{{0,16}}?(?:{TITLES})$")
_NOT_A_NAME_RE = re.compile(r"报告|讲话|发言|工作|总结|述职|办公")
# A news lead or caption: an office, a name, then (代表…) 向大会作, or 作…工作报告, or a date and 在…上.
_LEAD_RE = re.compile(rf"({TITLES})({NAME}?)(?=代表[^，。；\n]{{0,16}}向大会作|向大会作|作(?:政府)?工作报告"
                      rf"|\d{{1,2}}月\d{{1,2}}日在)")


def speaker_line(line: str, next_line: str | None = None) -> tuple[str, int] | None:
    """The speaker a head line names, with how many lines it takes (the office and the name may be on two)."""
    line = line.strip()
    taken = 1
    if _OFFICE_RE.match(line) and next_line is not None:
        line, taken = f"{line} {next_line.strip()}", 2
    match = _LINE_RE.match(line)
    if not match or _NOT_A_NAME_RE.search(match.group(2)):
        return None
    name = re.sub(r"\s", "", match.group(2))
    return f"{match.group(1).strip()} {name}", taken


def delivered_by(text: str) -> str | None:
    """The speaker a news lead or caption names."""
    if match := _LEAD_RE.search(text):
        return f"{match.group(1)} {match.group(2)}"
    return None


def body_before_speaker(sentence: str) -> str | None:
    """The body a news lead opens with (最高人民法院院长张军11月5日在… → 最高人民法院)."""
    match = re.match(rf"^(.{{2,20}}?)(?:{TITLES}){NAME}?(?=\d{{1,2}}月|在|代表|向大会|作)", sentence)
    return match.group(1) if match else None
