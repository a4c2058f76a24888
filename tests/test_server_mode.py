"""RA_CHROMA_HOST switches the store to a real `chroma run` server with no other change."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.service import Assistant

from .conftest import SAMPLES, make_settings
from .helpers import assert_consistent, free_port, wait_until_serving

STARTUP_TIMEOUT_S = 30


@pytest.fixture()
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "chroma")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(port, proc, STARTUP_TIMEOUT_S, "chroma run")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.server
def test_store_works_against_a_chroma_server(tmp_path, chroma_server, monkeypatch):
    monkeypatch.setenv("RA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("RA_CHROMA_PORT", str(chroma_server))
    settings = make_settings(tmp_path / "data")
    assert settings.chroma_host == "127.0.0.1"
    a = Assistant(settings)
    results = a.ingest([SAMPLES / "004_6793ac9eb53e21ba.txt", SAMPLES / "003_fb7ec0fd7d2f86b8.txt"])
    assert [r.status for r in results] == ["ok", "ok"]
    assert not (tmp_path / "data" / "chroma").exists()  # vectors went to the server, not to disk here
    assert a.store.vectors.count() == sum(r.chunks for r in results)
    assert_consistent(a)
    a.close()

    reopened = Assistant(make_settings(tmp_path / "data"))
    retrieval = reopened.retrieve("绥滨县2024年共有多少件行政处罚案件？")
    assert "dense" in retrieval.timings_ms
    assert retrieval.passages[0].report.name == "003_fb7ec0fd7d2f86b8.txt"
    assert "13575" in reopened.ask("绥滨县2024年共有多少件行政处罚案件？").answer


def test_unreachable_server_is_a_clear_error(tmp_path):
    from assistant.store.vectors import VectorStoreUnavailable

    with pytest.raises(VectorStoreUnavailable, match="RA_CHROMA_HOST"):
        Assistant(make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port()))
