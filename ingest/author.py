"""Who wrote a report: the issuing body as printed, a bare 县政府 named by its region, and the other name
a title gives the region in brackets (高新区(新市区))."""

from __future__ import annotations

import re


def issuing_body(head: str, authors: list[str], subject: str, department: str | None, source: str | None,
                 region: str | None) -> str | None:
    """The author as a reader can find it: the first body named, a bare 县政府 as 蒙城县人民政府."""
    return _named_author(_author(head, authors, subject, department, source), region)


# 高新区(新市区)人民政府: a body that goes by two names, the second in brackets.
_BRACKETED_RE = re.compile(r"^([\u4e00-\u9fff]{2,12}?)[(（]([\u4e00-\u9fff]{2,12})[)）]")


def bracketed_names(head: str, place) -> tuple[str, ...]:
    """The other name a title gives the region beside it in brackets (高新区 in 高新区(新市区)), an alias."""
    match = _BRACKETED_RE.match(head or "")
    if not match or not place.region:
        return ()
    first, second = match.groups()
    own = {place.region, *place.aliases}
    if second in own and first not in own:
        return (first,)
    if first in own and second not in own:
        return (second,)
    return ()


# A body named by its level alone (县政府, 区人民政府): the report's own government, whose name is the region's.
# A body named by its level alone (县政府, 区人民政府, 县司法局, 市政府办公室): the report's own area's body.
_BARE_BODY_RE = re.compile(r"^(?:本|我)?([省市区县旗])(?:(?:人民)?政府(办公室|办公厅)?|(司法局|司法厅|[\u4e00-\u9fff]{1,6}?局))$")


def _named_author(author: str | None, region: str | None) -> str | None:
    """'县政府' in 蒙城县's report → '蒙城县人民政府', '县司法局' → '三门县司法局': a bare level word names no
    body a reader can find."""
    if author and region and (bare := _BARE_BODY_RE.match(author)) and region.endswith(bare.group(1)):
        office, bureau = bare.group(2), bare.group(3)
        return f"{region}{bureau}" if bureau else f"{region}人民政府{office or ''}"
    return author


def _author(head: str, authors: list[str], subject: str, department: str | None, source: str | None) -> str | None:
    """The issuing body as printed: the title's head, a 落款 / 发布机构, the opening's subject, or last the
    portal's 来源 (the office that posted it, when nothing else names a body)."""
    org = re.compile(r"(人民政府|政府|管委会|管理委员会|法院|局|厅|部|署|办公室|政府办|党政办|委员会)$")
    for candidate in (department, head, *authors, subject, source):
        if candidate and org.search(candidate) and len(candidate) >= 3:
            return candidate
    return None
