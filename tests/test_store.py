"""Ingestion into the store: idempotent, incremental, removable, correctable, crash-safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from assistant.service import Assistant, UsageError
from assistant.config.settings import EmbeddingProvider
from assistant.store.vectors import StoreMismatchError

from .conftest import ROOT, SAMPLES, make_settings
from .helpers import assert_consistent

TIANQIAO = "004_6793ac9eb53e21ba.txt"


def test_reingesting_unchanged_files_does_nothing(lexical_assistant, samples_copy):
    first = lexical_assistant.ingest([samples_copy])
    generation = lexical_assistant.store.library.generation
    second = lexical_assistant.ingest([samples_copy])
    assert [r.status for r in first] == ["ok"] * 5
    assert [r.status for r in second] == ["unchanged"] * 5
    assert lexical_assistant.store.library.generation == generation
    assert_consistent(lexical_assistant)


def test_changed_file_replaces_its_chunks(lexical_assistant, samples_copy):
    lexical_assistant.ingest([samples_copy])
    path = samples_copy / TIANQIAO
    path.write_text(path.read_text(encoding="utf-8").replace("共收到行政复议84件", "共收到行政复议85件"), encoding="utf-8")
    results = lexical_assistant.ingest([samples_copy])
    assert [r.status for r in results].count("ok") == 1
    texts = [p.text for p in lexical_assistant.store.library.paragraphs(TIANQIAO)]
    assert any("行政复议85件" in t for t in texts) and not any("行政复议84件" in t for t in texts)
    assert_consistent(lexical_assistant)


def test_remove_deletes_a_report_everywhere(lexical_assistant, samples_copy):
    lexical_assistant.ingest([samples_copy])
    lexical_assistant.remove(str(samples_copy / TIANQIAO))
    assert TIANQIAO not in [r.meta.name for r in lexical_assistant.library()]
    assert lexical_assistant.ask("天桥区2022年共收到多少件行政复议申请？").refused
    with pytest.raises(UsageError):
        lexical_assistant.remove(TIANQIAO)
    assert_consistent(lexical_assistant)


def test_the_report_list_is_read_again_only_after_a_change_by_any_process(lexical_assistant, samples_copy, monkeypatch):
    a = lexical_assistant
    a.ingest([samples_copy])
    other = Assistant(a.settings)  # another process on the same library (the CLI beside the app)
    try:
        reads: list = []
        original = other.store.library.reports
        monkeypatch.setattr(other.store.library, "reports", lambda *args, **kw: reads.append(1) or original(*args, **kw))
        before = other.store.reports()
        other.store.reports().clear()  # a caller's copy: the kept list is not touched
        assert other.store.reports() == before and len(before) == 5 and len(reads) == 1
        a.set_metadata(TIANQIAO, {"region": "历下区"})
        assert {m.name: m.region for m in other.store.reports()}[TIANQIAO] == "历下区"
        a.remove(TIANQIAO)
        assert TIANQIAO not in [m.name for m in other.store.reports()]
        assert len(reads) == 3
    finally:
        other.close()


def test_threads_that_come_and_go_share_a_few_connections(lexical_assistant, samples_copy):
    """A web server answers on short-lived worker threads: each new thread must not keep a connection open."""
    import threading

    from assistant.store.database import MAX_CONNECTIONS

    a = lexical_assistant
    a.ingest([samples_copy])
    library = a.settings.library_path.resolve()

    def open_files() -> int:
        return sum(1 for fd in os.listdir("/proc/self/fd") if os.path.realpath(f"/proc/self/fd/{fd}") == str(library))

    answers: list[bool] = []
    for _ in range(40):
        thread = threading.Thread(target=lambda: answers.append("84" in a.ask("天桥区2022年共收到多少件行政复议申请？").answer))
        thread.start()
        thread.join()
    assert answers == [True] * 40
    assert 0 < open_files() <= MAX_CONNECTIONS


def test_metadata_correction_survives_reingestion(lexical_assistant, samples_copy):
    lexical_assistant.ingest([samples_copy])
    lexical_assistant.set_metadata(TIANQIAO, {"region": "济南天桥区", "year": "2021"})
    path = samples_copy / TIANQIAO
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一段。", encoding="utf-8")
    assert lexical_assistant.ingest([path])[0].status == "ok"
    meta = next(r.meta for r in lexical_assistant.library() if r.meta.name == TIANQIAO)
    assert (meta.region, meta.year) == ("济南天桥区", 2021)
    answer = lexical_assistant.ask("济南天桥区2021年共收到多少件行政复议申请？")
    assert not answer.refused and "84" in answer.answer


def test_bad_metadata_fields_are_refused(lexical_assistant, samples_copy):
    lexical_assistant.ingest([samples_copy])
    with pytest.raises(UsageError, match="无法修改字段 colour"):
        lexical_assistant.set_metadata(TIANQIAO, {"colour": "red"})
    with pytest.raises(UsageError, match="年份应为四位数字"):
        lexical_assistant.set_metadata(TIANQIAO, {"year": "明年"})
    with pytest.raises(UsageError, match="级别应为"):
        lexical_assistant.set_metadata(TIANQIAO, {"level": "乡"})
    with pytest.raises(UsageError, match="发布日期"):
        lexical_assistant.set_metadata(TIANQIAO, {"published": "去年春天"})


def test_one_bad_file_does_not_stop_the_others(lexical_assistant, samples_copy):
    (samples_copy / "bad.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    results = lexical_assistant.ingest([samples_copy, samples_copy / "missing.docx"])
    by_name = {r.name: r for r in results}
    assert by_name["bad.txt"].status == "error" and "二进制" in by_name["bad.txt"].reason
    assert by_name["missing.docx"].status == "error"
    assert sum(r.status == "ok" for r in results) == 5
    assert_consistent(lexical_assistant)


def test_same_file_name_from_another_folder_waits_until_the_user_says_replace(lexical_assistant, samples_copy, tmp_path):
    lexical_assistant.ingest([samples_copy / TIANQIAO])
    other = tmp_path / "other"
    other.mkdir()
    (other / TIANQIAO).write_text("2022年,历下区法治政府建设情况。\n一、工作\n(一)内容。正文。", encoding="utf-8")
    result = lexical_assistant.ingest([other / TIANQIAO])[0]
    assert result.status == "new_version" and "同名报告" in result.reason
    assert lexical_assistant.library()[0].meta.region == "天桥区"  # the stored report is untouched
    replaced = lexical_assistant.ingest([other / TIANQIAO], replace=True)[0]
    assert replaced.status == "ok" and lexical_assistant.library()[0].meta.region == "历下区"
    assert_consistent(lexical_assistant)


def test_opening_a_store_with_another_embedding_model_is_an_error(tmp_path):
    a = Assistant(make_settings(tmp_path, embedding_provider=EmbeddingProvider.NONE))
    a.ingest([SAMPLES / TIANQIAO])
    a.close()
    with pytest.raises(StoreMismatchError, match="嵌入模型“none”.*--rebuild 重新导入"):
        Assistant(make_settings(tmp_path))


KILL_AFTER_VECTORS = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import assistant
    from assistant.store import vectors
    from assistant.service import Assistant
    from assistant.config.settings import Settings
    original = vectors.Vectors.upsert
    def upsert_then_die(self, *args, **kwargs):
        original(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)   # the first vectors written, their chunks not yet marked
    vectors.Vectors.upsert = upsert_then_die
    Assistant(Settings(data_dir=Path(sys.argv[1]))).ingest([Path(sys.argv[2])])
    """
)


def test_ingest_killed_while_building_vectors_is_resumed_by_the_next_run(tmp_path):
    data = tmp_path / "data"
    report = SAMPLES / TIANQIAO
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER_VECTORS, str(data), str(report)], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    a = Assistant(make_settings(data))
    (row,) = a.library()
    assert row.meta.name == TIANQIAO and row.embedded == 0 < row.chunks  # stored, searchable, its vectors queued
    assert a.store.library.queue_length() == row.chunks
    assert "84" in a.ask("天桥区2022年共收到多少件行政复议申请？").answer  # by its words meanwhile
    assert a.ingest([report])[0].status == "unchanged"  # the file is in; the queue is what was left
    assert a.store.library.queue_length() == 0
    assert a.library()[0].embedded == row.chunks
    assert_consistent(a)  # the chunks embedded twice are in Chroma once


@pytest.mark.slow
def test_ingest_killed_at_random_moments_leaves_a_consistent_store(tmp_path, samples_copy):
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "assistant", "--data-dir", str(data), "ingest", "--json", str(samples_copy)]
    for delay in (4.0, 9.0):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    a = Assistant(make_settings(data))
    assert len(a.library()) == 5
    assert_consistent(a)
