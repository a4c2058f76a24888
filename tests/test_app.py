"""app.py's own small jobs: login configuration."""

from __future__ import annotations

import pytest

from app import parse_auth
from assistant.config.settings import Settings


def test_auth_setting_becomes_gradio_credentials(tmp_path):
    assert parse_auth(Settings(data_dir=tmp_path)) is None
    pairs = parse_auth(Settings(data_dir=tmp_path, auth="sifaju:pw1, fzb:p:w2"))
    assert pairs == [("sifaju", "pw1"), ("fzb", "p:w2")]
    with pytest.raises(ValueError, match="RA_AUTH"):
        parse_auth(Settings(data_dir=tmp_path, auth="nocolon"))
