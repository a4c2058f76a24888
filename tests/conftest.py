"""Shared fixtures: the sample reports, stores built from them with the real embedding model, and the
browser app (started per test module that uses it)."""

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


# --- the browser app (test_browser*.py): each module that uses these starts its own app ---------------
from .webtools import ARGS, CHROMIUM, VIEWPORTS, open_page, start_app  # noqa: E402 - webtools needs ROOT above

EVIL = ("<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">![图](http://127.0.0.1:9/x.png)"
        "{{constructor}}${value}")
SAMPLE_COUNT = 6  # the five samples and evil.txt


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    samples = tmp_path_factory.mktemp("samples")
    for path in SAMPLES.iterdir():
        shutil.copy(path, samples / path.name)
    (samples / "evil.txt").write_text(
        f"2023年,恶意区坚持依法行政。\n一、工作情况\n(一)网页安全。测试段落{EVIL}共办理防注入测试案件77件。\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("app-data")
    server = start_app(data, {"RA_SAMPLES_DIR": str(samples), "RA_UPLOAD_MAX_MB": "1"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def ready(app):
    app.wait_for_reports(SAMPLE_COUNT)
    return app


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser, ready):
    page = open_page(browser, ready.url, VIEWPORTS[request.param])
    page.width_name = request.param
    yield page
    page.context.close()
