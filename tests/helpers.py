"""What several test modules share: store checks, a free port, the metadata of two stored regions."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from assistant.service import Assistant
from ingest.model import ReportMeta


def assert_consistent(a: Assistant) -> None:
    """Chroma holds exactly the chunks SQLite lists for 'ok' reports: no duplicates, no orphans."""
    library = a.store.library
    assert library.pending() == []
    sql_ids = sorted(c.id for c in library.chunks())
    per_report = sum(r.chunks for r in library.reports())
    assert len(sql_ids) == per_report
    if a.store.vectors is not None:
        chroma_ids = sorted(a.store.vectors.collection.get(include=[])["ids"])
        assert chroma_ids == sql_ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url_or_port, proc: subprocess.Popen, timeout_s: float, what: str) -> None:
    """Poll until a local server answers (a port accepts connections, or a URL returns a page)."""
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if isinstance(url_or_port, int):
                socket.create_connection(("127.0.0.1", url_or_port), timeout=0.5).close()
            else:
                urllib.request.urlopen(url_or_port, timeout=2)
            return
        except OSError:
            if proc.poll() is not None:
                output = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"{what} exited: {output}")
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"{what} did not start within {timeout_s:.0f} s")


def two_regions() -> list[ReportMeta]:
    """Two stored regions (汉阴县 of 安康市, 六合区 of 南京市), for reading questions without a store."""
    return [ReportMeta("a.txt", region="汉阴县", aliases=("汉阴",), city="安康市", year=2022),
            ReportMeta("b.txt", region="六合区", aliases=("六合",), city="南京市", year=2022)]


# Latin words a command's output may hold: product, format and unit names (tests of the CLI's language).
ALLOWED_LATIN_OUTPUT = {"chroma", "sqlite", "postgresql", "nginx", "markdown", "docx", "xlsx", "md", "txt", "html", "htm", "pdf", "csv", "png", "json",
                        "lines", "mb", "kb", "ms", "s", "api", "jieba", "bm25", "mrr", "multilingual", "small", "e5",
                        "deepseek", "openai", "ollama", "compatible", "none", "true", "false", "local", "word", "docx", "excel"}


def english_words_in(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """Latin-letter words in a command's output, minus option names (--json), variables (RA_…),
    identifiers with digits or dots (multilingual-e5-small, 1.2.3) and allowed names."""
    import re

    words = []
    for token in re.findall(r"(?<![-\w./])[A-Za-z][\w.:/@-]*", text):
        if re.search(r"[\d.:/@_]", token) or token.startswith("RA"):
            continue
        parts = [p for p in token.split("-") if p]
        if all(p.lower() in ALLOWED_LATIN_OUTPUT | set(allowed) or re.fullmatch(r"[A-Z]{1,3}", p) for p in parts):
            continue
        words.append(token)
    return sorted(set(words))
