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
