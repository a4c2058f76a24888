"""The app's access rules: login configuration, the exposure rule, roles."""

from __future__ import annotations

import pytest

from assistant.config.settings import Settings
from assistant.interfaces.web.access import EDITOR, VIEWER, Access, AccessError, is_loopback, parse_auth


def test_auth_setting_becomes_credentials(tmp_path):
    assert parse_auth(Settings(data_dir=tmp_path)) is None
    pairs = parse_auth(Settings(data_dir=tmp_path, auth="sifaju:pw1, fzb:p:w2"))
    assert pairs == [("sifaju", "pw1"), ("fzb", "p:w2")]
    with pytest.raises(AccessError, match="RA_AUTH"):
        parse_auth(Settings(data_dir=tmp_path, auth="nocolon"))


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_needs_no_login(tmp_path, host):
    assert is_loopback(host)
    assert Access.from_settings(Settings(data_dir=tmp_path, host=host)).role(None) == EDITOR


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "sifaju-pc"])
def test_anything_beyond_loopback_requires_a_login(tmp_path, host):
    with pytest.raises(AccessError, match="RA_AUTH=用户名:密码"):
        Access.from_settings(Settings(data_dir=tmp_path, host=host))
    assert Access.from_settings(Settings(data_dir=tmp_path, host=host, auth="a:b")).login_required


def test_editors_may_change_the_library_viewers_may_not(tmp_path):
    access = Access.from_settings(Settings(data_dir=tmp_path, auth="zhang:1,li:2", editors="zhang"))
    assert (access.role("zhang"), access.role("li"), access.role(None)) == (EDITOR, VIEWER, VIEWER)
    everyone = Access.from_settings(Settings(data_dir=tmp_path, auth="zhang:1,li:2"))
    assert everyone.role("li") == EDITOR
    assert access.check_password("li", "2") and not access.check_password("li", "1") and not access.check_password("wang", "2")
    with pytest.raises(AccessError, match="wang"):
        Access.from_settings(Settings(data_dir=tmp_path, auth="zhang:1", editors="zhang,wang"))


def test_session_exports_are_removed_when_the_session_ends_or_grows_old(tmp_path):
    import os
    import time

    from assistant.interfaces.web.sessions import ExportRegistry

    registry = ExportRegistry(tmp_path / "exports", ttl_hours=1)
    assert (tmp_path / "exports").stat().st_mode & 0o777 == 0o700
    first, second = registry.open("zhang"), registry.open("zhang")
    assert first.token != second.token and len(first.token) >= 24
    first.path_for("对比.docx").write_bytes(b"x")
    second.path_for("../../escape.md").write_bytes(b"y")
    assert (second.folder / "escape.md").exists()  # names stay inside the session's folder
    registry.close(first)
    assert not first.folder.exists() and registry.get(first.token) is None
    old = time.time() - 2 * 3600
    os.utime(second.folder, (old, old))
    second.created = old
    registry.sweep()
    assert not second.folder.exists() and registry.get(second.token) is None


def test_the_page_is_rewritten_to_chinese_before_any_script_runs():
    from assistant.interfaces.web.assets import chinese_page

    page = chinese_page(b'<!doctype html>\n<html\n\tlang="en"\n\tstyle="margin: 0"\n>\n\t<head>\n<meta charset="utf-8">')
    assert b'lang="zh-CN"' in page and b'lang="en"' not in page
    assert page.index(b"Navigator.prototype,'language'") < page.index(b"<meta")


def test_import_reasons_never_show_server_paths():
    from assistant.interfaces.web.library_html import results_html
    from assistant.store.ingestion import ERROR, FileResult

    html = results_html([FileResult("/srv/data/uploads/a.pdf", "a.pdf", ERROR,
                                    "无法读取 .pdf 文件：PdfReadError: /srv/data/uploads/a.pdf 已损坏")])
    assert "/srv/" not in html and "a.pdf 已损坏" in html


def test_every_field_a_user_may_correct_has_a_chinese_label():
    import re

    from ingest.model import EDITABLE_FIELDS

    from assistant.interfaces.web.library_html import FIELD_LABELS, meta_fields

    for field in EDITABLE_FIELDS:
        assert re.search(r"[\u4e00-\u9fff]", FIELD_LABELS.get(field, "")), field
    assert set(EDITABLE_FIELDS) <= set(meta_fields())


def test_answer_lists_are_html_lists_with_their_citations_linked():
    from assistant.answering.answer import Answer
    from assistant.interfaces.web.html import answer_html

    text = "- 天桥区（2022年）：\n  - (一)统筹推进。[1]\n  - (二)健全机制。[2]\n- 绥滨县（2024年）：做法<b>。[3]\n注：仅供参考"
    page = answer_html(Answer("问", text, "extractive", False), 1)
    body = page[page.index('class="content"'):]
    assert body.count("<ul") == 2 and body.count("<li>") == 4 and "- " not in body
    assert body.index("统筹推进") < body.index("</ul>") < body.index("绥滨县")  # nested under its report
    assert '<a class="cite" href="#ev-1-3"' in body and "<b>" not in body  # linked; report text escaped
