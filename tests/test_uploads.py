"""Uploads through the app are checked for type and size and stored under safe names."""

from __future__ import annotations

from assistant.store.uploads import safe_name, store_uploads


def test_safe_names_keep_the_file_name_and_drop_paths():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\x\\天桥区 2022 报告.DOCX") == "天桥区_2022_报告.docx"
    assert safe_name("..") == "report"
    assert safe_name("a" * 300 + ".pdf").endswith(".pdf") and len(safe_name("a" * 300 + ".pdf")) <= 120


def test_uploads_are_limited_in_type_and_size(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("2022年,天桥区法治政府建设。", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 2**20))
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    uploads = tmp_path / "uploads"
    accepted, refused = store_uploads([("ok.txt", ok), ("big.txt", big), ("tool.exe", exe), ("empty.md", empty),
                                       ("../../escape.txt", ok)], uploads, max_mb=1)
    assert accepted == [uploads / "ok.txt", uploads / "escape.txt"]
    reasons = {r.name: r.reason for r in refused}
    assert "过大" in reasons["big.txt"] and "不支持" in reasons["tool.exe"] and "为空" in reasons["empty.md"]
    assert sorted(p.name for p in uploads.iterdir()) == ["escape.txt", "ok.txt"]


def test_an_upload_that_cannot_be_imported_is_not_kept(lexical_assistant, tmp_path):
    broken = tmp_path / "gradio-temp-broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    good = tmp_path / "gradio-temp-good.txt"
    good.write_text("2022年,测试区法治政府建设。\n一、工作情况\n(一)行政复议。全年收到行政复议申请9件。\n", encoding="utf-8")
    results = lexical_assistant.ingest_uploads([("坏文件.pdf", broken), ("好文件.txt", good)])
    assert [r.status for r in results] == ["error", "ok"]
    uploads = lexical_assistant.settings.uploads_dir
    assert sorted(p.name for p in uploads.iterdir() if p.is_file()) == ["好文件.txt"]  # the failed one is gone
