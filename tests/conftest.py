"""Shared fixtures: the sample reports, and stores built from them with the real embedding model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import assistant  # noqa: F401  (configures offline mode before anything else loads)
from assistant.service import Assistant
from assistant.config.settings import EmbeddingProvider, Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "reports"
DEV_QA = ROOT / "tests" / "data" / "qa_dev.jsonl"
EXTRA_QA = ROOT / "tests" / "data" / "qa_extra.jsonl"
EXTRA_QA2 = ROOT / "tests" / "data" / "qa_extra2.jsonl"


def make_settings(data_dir: Path, **kw) -> Settings:
    return Settings(data_dir=data_dir, **kw)


@pytest.fixture(scope="session")
def sample_assistant(tmp_path_factory) -> Assistant:
    """The five sample reports in an embedded store with local e5 embeddings (built once per run)."""
    data = tmp_path_factory.mktemp("samples-store")
    a = Assistant(make_settings(data))
    results = a.ingest([SAMPLES])
    assert [r.status for r in results] == ["ok"] * 5, results
    return a


@pytest.fixture()
def lexical_assistant(tmp_path) -> Assistant:
    """A fresh lexical-only store (no embeddings): fast, for store mechanics."""
    a = Assistant(make_settings(tmp_path / "data", embedding_provider=EmbeddingProvider.NONE))
    yield a
    a.close()


@pytest.fixture()
def samples_copy(tmp_path) -> Path:
    target = tmp_path / "reports"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    """Tests may reach 127.0.0.1 / ::1 / unix sockets only: anything else fails loudly."""
    import ipaddress
    import socket

    original = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise ConnectionRefusedError(f"test tried to reach {host}: only loopback is allowed")
        return original(self, address)

    socket.socket.connect = guarded
    yield
    socket.socket.connect = original
