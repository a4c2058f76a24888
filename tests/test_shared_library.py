"""Issue 19's shared library on real servers (the `server` marker): a PostgreSQL of the test's own, a
`chroma run`, replicas that see each other's changes, a `worker` process that builds the vectors the
replicas queued (and resumes after being killed), and migration from an embedded library and back."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from assistant.config.settings import EmbeddingProvider
from assistant.province.postgres import LocalPostgres
from assistant.service import Assistant

from .conftest import ROOT, SAMPLES, make_settings
from .helpers import assert_consistent, free_port
from .test_server_mode import chroma_process  # noqa: F401 - a fixture

pytestmark = pytest.mark.server
TIANQIAO = "004_6793ac9eb53e21ba.txt"
XINRONG = "001_67dd1777d5ec419a.txt"
QUESTION = "天桥区2022年共收到多少件行政复议申请？"
SEEN_WITHIN_S = 2.0
_databases = itertools.count()


@pytest.fixture(scope="module")
def postgres():
    folder = Path(tempfile.mkdtemp(prefix="ra-test-pg-"))  # in /tmp: reachable by the postgres user when run as root
    server = LocalPostgres(folder, free_port()).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def database(postgres) -> str:
    return postgres.new_database(f"library_{next(_databases)}")


def _until(check, timeout: float) -> float:
    """Seconds until check() holds (fails the test past `timeout`)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not seen within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def test_replicas_on_one_postgresql_library_see_each_others_changes_within_two_seconds(tmp_path, database):
    one = Assistant(make_settings(tmp_path / "one", database_url=database, embedding_provider=EmbeddingProvider.NONE))
    two = Assistant(make_settings(tmp_path / "two", database_url=database, embedding_provider=EmbeddingProvider.NONE))
    try:
        assert two.ask(QUESTION).refused  # its index is made (empty) before the other replica adds anything
        assert [r.status for r in one.ingest([SAMPLES / TIANQIAO, SAMPLES / XINRONG])] == ["ok", "ok"]
        _until(lambda: "84" in two.ask(QUESTION).answer, SEEN_WITHIN_S)
        one.set_metadata(TIANQIAO, {"region": "历下区"})
        _until(lambda: "84" in two.ask("历下区2022年共收到多少件行政复议申请？").answer, SEEN_WITHIN_S)
        assert [r.meta.region for r in two.library() if r.meta.name == TIANQIAO] == ["历下区"]
        answer = two.ask("历下区2022年共收到多少件行政复议申请？")
        one.record_feedback(answer, "up", "准确")
        _until(lambda: [f.note for f in two.feedback()] == ["准确"], SEEN_WITHIN_S)
        one.remove(TIANQIAO)
        _until(lambda: two.ask("历下区2022年共收到多少件行政复议申请？").refused, SEEN_WITHIN_S)
        assert [r.meta.name for r in two.library()] == [XINRONG]
    finally:
        one.close()
        two.close()


def test_a_change_committed_while_an_earlier_one_is_being_written_does_not_hide_it(tmp_path, database):
    """Replicas follow the change log by its numbers: a later change commits only after an earlier one."""
    lexical = {"database_url": database, "embedding_provider": EmbeddingProvider.NONE}
    one, two, reader = (Assistant(make_settings(tmp_path / n, **lexical)) for n in ("one", "two", "reader"))
    try:
        one.ingest([SAMPLES / TIANQIAO, SAMPLES / XINRONG])
        assert "84" in reader.ask(QUESTION).answer
        written, release = threading.Event(), threading.Event()

        def delete_and_hold() -> None:  # a removal whose transaction is still open
            library = one.store.library
            with library.db.transaction():
                library.delete(TIANQIAO)
                written.set()
                release.wait(30)

        holder = threading.Thread(target=delete_and_hold)
        holder.start()
        assert written.wait(30)
        later = threading.Thread(target=two.remove, args=(XINRONG,))
        later.start()
        time.sleep(1.0)  # time enough for the later change to commit, were it not made to wait
        reader.store.reports()
        reader.ask(QUESTION)  # the reader follows the log as it stands meanwhile
        release.set()
        holder.join(30)
        later.join(30)
        assert reader.store.reports() == [] and reader.ask(QUESTION).refused
    finally:
        release.set()
        for a in (one, two, reader):
            a.close()


def test_a_replica_answering_on_threads_that_come_and_go_keeps_a_few_connections(tmp_path, database):
    import psycopg

    from assistant.store.database import MAX_CONNECTIONS

    replica = Assistant(make_settings(tmp_path / "replica", database_url=database, embedding_provider=EmbeddingProvider.NONE))
    try:
        replica.ingest([SAMPLES / TIANQIAO])
        answers: list[bool] = []
        for _ in range(40):  # as a web server's worker threads: each answers once and ends
            thread = threading.Thread(target=lambda: answers.append("84" in replica.ask(QUESTION).answer))
            thread.start()
            thread.join()
        assert answers == [True] * 40
        with psycopg.connect(database, autocommit=True) as db:
            held = db.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid()").fetchone()[0]
        assert 0 < held <= MAX_CONNECTIONS
    finally:
        replica.close()


def test_a_replica_starts_its_index_over_when_the_library_is_emptied_by_a_rebuild(tmp_path, database):
    from assistant.service import reset_store

    lexical = {"database_url": database, "embedding_provider": EmbeddingProvider.NONE}
    replica = Assistant(make_settings(tmp_path / "replica", **lexical))
    try:
        builder_settings = make_settings(tmp_path / "builder", **lexical)
        builder = Assistant(builder_settings)
        builder.ingest([SAMPLES / TIANQIAO])
        assert "84" in replica.ask(QUESTION).answer
        builder.close()
        reset_store(builder_settings)  # ingest --rebuild
        builder = Assistant(builder_settings)
        builder.ingest([SAMPLES / XINRONG])
        builder.close()
        assert replica.ask(QUESTION).refused and [m.name for m in replica.store.reports()] == [XINRONG]
        assert replica.store.lexical().size == len(replica.store.library.chunks())
    finally:
        replica.close()


def test_a_data_directory_pointed_at_another_library_does_not_take_its_saved_index(tmp_path, database):
    embedded = make_settings(tmp_path / "data", embedding_provider=EmbeddingProvider.NONE)
    local = Assistant(embedded)
    local.ingest([SAMPLES / TIANQIAO])
    local.store.wait_saved()
    assert (embedded.lexical_dir / "current.json").exists()  # a copy of the embedded library's index
    local.close()
    shared = Assistant(make_settings(tmp_path / "data", database_url=database, embedding_provider=EmbeddingProvider.NONE))
    try:
        assert shared.ask(QUESTION).refused and shared.store.lexical().size == 0
    finally:
        shared.close()


def test_bench_measures_a_postgresql_library_and_writes_only_to_an_empty_one(tmp_path, database):
    from .test_cli import run

    out = tmp_path / "bench.json"
    args = ["bench", "--reports", "6", "--lexical-only", "--fresh-chars", "3000", "--database-url", database]
    result = run(tmp_path, *args, "--json", str(out))
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["reports"] == 6 and figures["recall_at_5"] > 0.8 and figures["database_mb"] > 0
    assert "另 PostgreSQL 数据库" in result.stdout
    again = run(tmp_path, *args)
    assert again.returncode == 2 and "--database-url 所指的报告库不是空的" in again.stderr
    closed = f"postgresql://ra:secret-pw@127.0.0.1:{free_port()}/library"
    unreachable = run(tmp_path, "bench", "--reports", "2", "--lexical-only", "--database-url", closed)
    assert unreachable.returncode == 2 and "无法连接 PostgreSQL 127.0.0.1" in unreachable.stderr
    assert "secret-pw" not in unreachable.stderr + unreachable.stdout and "Traceback" not in unreachable.stderr


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_process_builds_the_vectors_replicas_queued_and_resumes_after_a_kill(tmp_path, database, chroma_process):
    _, port = chroma_process
    shared = {"RA_DATABASE_URL": database, "RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(port),
              "RA_QUEUE_IN_APP": "false", "RA_EMBEDDING_BATCH_SIZE": "4"}
    for key, value in shared.items():
        os.environ[key] = value
    try:
        replica = Assistant(make_settings(tmp_path / "replica"))
        started = time.monotonic()
        [result] = replica.ingest([SAMPLES / XINRONG])
        assert result.status == "ok" and time.monotonic() - started < 30  # no embedding in the replica
        (row,) = replica.library()
        assert row.embedded == 0 and replica.store.library.queue_length() == row.chunks
        env = {**os.environ, "RA_DATA_DIR": str(tmp_path / "worker")}
        worker = _worker(env)
        _until(lambda: 0 < replica.library()[0].embedded, 120)
        worker.send_signal(signal.SIGKILL)  # killed in the middle of the queue
        worker.wait(timeout=10)
        assert replica.library()[0].embedded < row.chunks
        worker = _worker(env)  # a new worker resumes where the queue stands
        try:
            _until(lambda: replica.library()[0].embedded == row.chunks, 300)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        assert_consistent(replica)
        assert "dense" in replica.retrieve("新荣区行政复议").timings_ms
        replica.close()
    finally:
        for key in shared:
            os.environ.pop(key, None)


def test_migrate_an_embedded_library_to_postgresql_and_back(tmp_path, database, chroma_process):
    _, port = chroma_process
    local = Assistant(make_settings(tmp_path / "local"))
    local.ingest([SAMPLES / TIANQIAO])
    local.set_metadata(TIANQIAO, {"region": "历下区"})
    local.record_feedback(local.ask("历下区2022年共收到多少件行政复议申请？"), "down", "想看全年数字")
    vectors = local.store.vectors.count()
    local.close()
    env = {**os.environ, "RA_DATA_DIR": str(tmp_path / "local")}
    moved = subprocess.run([sys.executable, "-m", "assistant", "migrate", "--to", database, "--chroma", f"127.0.0.1:{port}"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert moved.returncode == 0, moved.stderr
    assert f"1 份报告，18 块，{vectors} 个向量，1 条回答反馈" in moved.stdout
    again = subprocess.run([sys.executable, "-m", "assistant", "migrate", "--to", database, "--chroma", f"127.0.0.1:{port}"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "目标报告库不是空的" in again.stderr

    shared = Assistant(make_settings(tmp_path / "replica", database_url=database, chroma_host="127.0.0.1", chroma_port=port))
    assert [r.meta.region for r in shared.library()] == ["历下区"]  # the correction came along
    answer = shared.ask("历下区2022年共收到多少件行政复议申请？")
    assert "84" in answer.answer and "dense" in answer.timings_ms
    assert [f.note for f in shared.feedback()] == ["想看全年数字"]
    assert_consistent(shared)
    shared.close()

    back_env = {**os.environ, "RA_DATABASE_URL": database, "RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(port),
                "RA_DATA_DIR": str(tmp_path / "replica")}
    back = subprocess.run([sys.executable, "-m", "assistant", "migrate", "--to", str(tmp_path / "home")], cwd=ROOT,
                          env=back_env, capture_output=True, text=True, timeout=300)
    assert back.returncode == 0, back.stderr
    home = Assistant(make_settings(tmp_path / "home"))
    assert [r.meta.region for r in home.library()] == ["历下区"] and home.store.vectors.count() == vectors
    assert "84" in home.ask("历下区2022年共收到多少件行政复议申请？").answer
    assert len(home.feedback()) == 1
    assert_consistent(home)
    home.close()
