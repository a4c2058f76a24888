"""What ingestion never does: follow links out of the named path, take oversized files, store the same
content twice, replace a report unasked, or break when several questions bring the lexical index up to date at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

from assistant.store import lexical as lexical_module
from assistant.service import UsageError

from .conftest import ROOT, SAMPLES
from .helpers import assert_consistent

TIANQIAO = "004_6793ac9eb53e21ba.txt"
SUIBIN = "003_fb7ec0fd7d2f86b8.txt"
SECRET = "秘密区2020年绝密内容：共办理保密测试案件4321件。"


@pytest.fixture()
def secret_file(tmp_path):
    """A report-like file outside every folder the tests name, standing in for /etc/passwd."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.txt"
    path.write_text(f"2020年,秘密区法治政府建设。\n一、工作情况\n(一)保密。{SECRET}\n", encoding="utf-8")
    return path


def test_a_named_symlink_is_not_read(lexical_assistant, tmp_path, secret_file):
    link = tmp_path / "report.txt"
    link.symlink_to(secret_file)
    result = lexical_assistant.ingest([link])[0]
    assert result.status == "error" and "符号链接" in result.reason
    assert lexical_assistant.library() == []


def test_folder_ingest_never_follows_links_out_of_the_folder(lexical_assistant, tmp_path, secret_file):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLES / TIANQIAO, folder / TIANQIAO)
    (folder / "passwd.txt").symlink_to(secret_file)
    (folder / "elsewhere").symlink_to(secret_file.parent, target_is_directory=True)
    (folder / "alias.txt").symlink_to(folder / TIANQIAO)  # inside the folder: its target is ingested once
    results = {r.name: r for r in lexical_assistant.ingest([folder])}
    assert results[TIANQIAO].status == "ok"
    assert results["passwd.txt"].status == "error" and "所选路径之外" in results["passwd.txt"].reason
    assert results["elsewhere"].status == "error"
    assert "alias.txt" not in results and "secret.txt" not in results
    assert [r.meta.name for r in lexical_assistant.library()] == [TIANQIAO]
    answer = lexical_assistant.ask("秘密区共办理多少件保密测试案件？")
    assert "4321" not in answer.answer and all("4321" not in c.text for c in answer.citations)


def test_the_cli_refuses_oversized_files_naming_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("2022年,天桥区法治政府建设。" * 90_000, encoding="utf-8")  # ≈ 2.3 MB
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "RA_UPLOAD_MAX_MB": "1"}
    done = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(tmp_path / "data"), "ingest", "--json",
                           str(big), str(SAMPLES / TIANQIAO)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    results = {r["name"]: r for r in json.loads(done.stdout)}
    assert results["big.txt"]["status"] == "error" and "上限 1 MB" in results["big.txt"]["reason"]
    assert results[TIANQIAO]["status"] == "ok"


def test_the_same_content_under_another_name_is_stored_once(lexical_assistant, tmp_path):
    copy = tmp_path / "copy-of-tianqiao.txt"
    shutil.copy(SAMPLES / TIANQIAO, copy)
    first, second = lexical_assistant.ingest([SAMPLES / TIANQIAO, copy])
    assert first.status == "ok"
    assert second.status == "duplicate" and "已存在，与 天桥区 2022年" in second.reason and TIANQIAO in second.reason
    assert [r.meta.name for r in lexical_assistant.library()] == [TIANQIAO]
    assert_consistent(lexical_assistant)


def _upload(tmp_path, name: str, text: str):
    temp = tmp_path / "gradio-temp" / name
    temp.parent.mkdir(exist_ok=True)
    temp.write_text(text, encoding="utf-8")
    return name, temp


def test_an_upload_of_the_same_name_waits_as_a_new_version(lexical_assistant, tmp_path):
    a = lexical_assistant
    old = "2021年,甲区法治政府建设。\n一、工作情况\n(一)复议。收到行政复议申请11件。\n"
    new = "2021年,甲区法治政府建设。\n一、工作情况\n(一)复议。收到行政复议申请22件。\n"
    assert a.ingest_uploads([_upload(tmp_path, "甲区.txt", old)])[0].status == "ok"
    again = a.ingest_uploads([_upload(tmp_path, "甲区.txt", new), _upload(tmp_path, "甲区副本.txt", old)])
    assert [r.status for r in again] == ["new_version", "duplicate"]
    assert "内容不同，未替换" in again[0].reason and "甲区.txt" in again[1].reason
    assert "11件" in a.ask("甲区2021年收到多少件行政复议申请？").answer  # the old version still answers
    assert a.pending_versions() == ["甲区.txt"]
    assert (a.settings.uploads_dir / "甲区.txt").read_text(encoding="utf-8") == old  # its source untouched
    assert a.accept_version("甲区.txt").status == "ok"
    assert "22件" in a.ask("甲区2021年收到多少件行政复议申请？").answer
    assert a.pending_versions() == []
    with pytest.raises(UsageError, match="没有待确认的新版本"):
        a.accept_version("甲区.txt")
    a.ingest_uploads([_upload(tmp_path, "甲区.txt", old)])
    a.discard_version("甲区.txt")
    assert a.pending_versions() == [] and "22件" in a.ask("甲区2021年收到多少件行政复议申请？").answer
    assert_consistent(a)


def test_the_same_file_twice_in_one_upload_is_stored_once(lexical_assistant, tmp_path):
    text = "2020年,乙县法治政府建设。\n一、工作情况\n(一)普法。开展普法活动8场。\n"
    results = lexical_assistant.ingest_uploads([_upload(tmp_path, "乙县.txt", text), _upload(tmp_path, "乙县2.txt", text)])
    assert [r.status for r in results] == ["ok", "duplicate"]


def test_many_questions_at_once_after_a_change_update_the_index_once(lexical_assistant, samples_copy, monkeypatch):
    a = lexical_assistant
    a.ingest([samples_copy])
    updates = []
    original = lexical_module.LexicalIndex.updated
    monkeypatch.setattr(lexical_module.LexicalIndex, "updated",
                        lambda self, gen, changed, rows: updates.append(sorted(changed)) or original(self, gen, changed, rows))
    a.remove(SUIBIN)  # a change: the next question needs the index brought up to date
    answers, errors = [], []

    def ask():
        try:
            answers.append(a.ask("天桥区2022年共收到多少件行政复议申请？"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(answers) == 12
    assert all("84" in x.answer for x in answers)
    assert updates == [[SUIBIN]]  # one update, of the one report that changed: nothing else re-read


def test_cli_processes_asking_at_once_after_a_change_all_answer(tmp_path):
    env = {**os.environ, "RA_EMBEDDING_PROVIDER": "none", "RA_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SAMPLES)], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    shutil.rmtree(tmp_path / "data" / "bm25", ignore_errors=True)  # no saved copy: each process reads the tokens
    procs = [subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--json", "天桥区2022年共收到多少件行政复议申请？"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(5)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 5, [err[-300:] for _, err in outputs]
    assert all("84" in json.loads(out)["answer"] for out, _ in outputs)
    folders = [p for p in (tmp_path / "data" / "bm25").iterdir() if p.is_dir()]
    assert len(folders) <= 1  # a copy is saved by whichever came first, never half of one


def test_a_correction_of_every_editable_field_is_kept(lexical_assistant):
    lexical_assistant.ingest([SAMPLES / TIANQIAO])
    meta = lexical_assistant.set_metadata(TIANQIAO, {"region": "历下区", "year": "2021", "province": "山东省", "city": "济南市",
                                                    "level": "区", "title": "历下区2021年法治政府建设情况报告",
                                                    "published": "2022-03-01", "doc_type": "法治政府建设年度报告"})
    assert (meta.region, meta.year, meta.city, meta.published) == ("历下区", 2021, "济南市", "2022-03-01")
    assert lexical_assistant.library()[0].meta == meta
