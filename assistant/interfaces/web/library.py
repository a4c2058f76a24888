"""The 报告库 page: the library with every metadata field; for editors, uploads with live progress,
new versions awaiting a decision, corrections of every field the CLI can set, deletion, re-indexing
and the export of answer feedback."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import gradio as gr

from ingest.model import LEVELS, DocType
from ingest.model import EDITABLE_FIELDS

from assistant.exports.feedback import feedback_xlsx
from assistant.documents.summary import Length
from assistant.exports.markdown import summary_markdown
from assistant.exports.word import summary_docx
from assistant.interfaces.web.actions import ERROR as ERROR_NOTICE
from assistant.interfaces.web.actions import OK as OK_NOTICE
from assistant.interfaces.web.actions import WARN, Finished, Page, Refused, in_worker, notice
from assistant.interfaces.web.document_html import summary_html
from assistant.interfaces.web.layout import document_area, drafted, markdown_file
from assistant.interfaces.web.html import downloads_html
from assistant.interfaces.web.library_html import FIELD_LABELS, field_text, progress_html, results_html
from assistant.interfaces.web.sessions import ExportSession
from assistant.store.ingestion import DUPLICATE, ERROR, NEW_VERSION, OK, UNCHANGED, FileResult, IngestProgress

CHOICES = {"level": list(LEVELS), "doc_type": [d.value for d in DocType]}
HINTS = {"year": "报告所写工作的年份，例如 2023", "plan_year": "报告所作安排的年份，例如 2024", "published": "例如 2024-03-15", "aliases": "多个用顿号或逗号分隔"}


@dataclass
class LibraryPage:
    table: gr.HTML
    queue: gr.HTML  # the vector queue's progress, above the table
    chosen: gr.Dropdown
    versions: gr.Dropdown
    versions_box: gr.Group  # the new-version controls, shown only while one waits
    summary_reports: gr.Dropdown
    editor_parts: list  # shown to editors only
    viewer_note: gr.HTML
    changed: list = field(default_factory=list)  # events after which every report picker is refreshed


class _Tracker(IngestProgress):
    """Progress of an import, read by the page while the import runs in a worker thread."""

    def __init__(self):
        self.total, self.done, self.chunks, self.current = 0, 0, 0, ""
        self.started = time.monotonic()
        self.pages: tuple[int, int] | None = None  # (read, of) while a PDF's pages are read
        self.finished: list[FileResult] = []

    def file_started(self, path: Path, index: int, total: int) -> None:
        self.total, self.done, self.current, self.chunks, self.pages = total, index, path.name, 0, None
        self.started = time.monotonic()

    def pages_done(self, done: int, total: int) -> None:
        self.pages = (done, total)

    def chunks_done(self, count: int) -> None:
        self.chunks += count

    def file_finished(self, result: FileResult) -> None:
        self.finished.append(result)
        self.done += 1

    def html(self) -> str:
        return progress_html(self.done, self.total, self.current, self.chunks, list(self.finished), self.pages,
                             time.monotonic() - self.started)


def with_progress(job: Callable[[IngestProgress], list[FileResult]]) -> Iterator[str | list[FileResult]]:
    """Run an import in a worker thread, yielding progress HTML until it ends, then its results."""
    tracker = _Tracker()
    for item in in_worker(lambda: job(tracker), tracker.html):
        yield item.value if isinstance(item, Finished) else item


def summary(results: list[FileResult], vectors_later: bool = False) -> str:
    """The import's outcome in one line, in the colour of its worst result: red when a file failed, amber
    when a new version waits for a decision, green when everything is in."""
    counts = {s: sum(r.status == s for r in results) for s in (OK, UNCHANGED, DUPLICATE, NEW_VERSION, ERROR)}
    parts = [f"{label} {counts[s]} 个" for s, label in ((OK, "已导入"), (UNCHANGED, "未变化"), (DUPLICATE, "重复"),
                                                        (NEW_VERSION, "新版本待确认"), (ERROR, "失败")) if counts[s]]
    if not parts:
        return notice("没有可导入的文件", WARN)
    kind = ERROR_NOTICE if counts[ERROR] else WARN if counts[NEW_VERSION] else OK_NOTICE
    later = "。已导入的报告已可检索，向量在后台建立（进度见报告库上方）" if vectors_later and counts[OK] else ""
    return notice("处理完成：" + "，".join(parts) + later, kind)


def build_library(page: Page, session: gr.State) -> LibraryPage:
    app = page.app
    # Filled on load and on every tab switch: a value made when the page was built would show a stale
    # (or empty) library for a moment after each reload.
    queue = gr.HTML("", elem_id="vector-queue", elem_classes=["slot"])
    table = gr.HTML('<p class="ev-empty">正在读取报告库……</p>', elem_id="library-table")
    viewer_note = gr.HTML('<p class="mode-line">当前为只读账号：可以查看报告库；导入、更正和删除需要编辑权限。</p>', visible=False)
    summary_reports = _summary_section(page, session)
    with gr.Row(equal_height=False) as work:
        with gr.Column(min_width=320):
            gr.Markdown("#### 导入报告")
            files = gr.File(file_count="multiple", elem_id="upload",
                            label=f"上传报告（txt、md、html、docx、pdf，单个不超过 {app.settings.upload_max_mb} MB）")
            # the limit, for the page's own check before a file is sent (Gradio's refusal would be English)
            limit = app.settings.upload_max_mb
            gr.HTML(f'<div id="upload-limit" data-bytes="{limit * 2**20}" data-mb="{limit}"></div>', elem_classes=["slot"])
            upload = gr.Button("导入上传的文件", variant="primary", elem_id="upload-button")
            upload_notice = gr.HTML("", elem_id="upload-notice", elem_classes=["slot"])
            results = gr.HTML("", elem_id="upload-results", elem_classes=["slot"])
            with gr.Group(visible=False, elem_id="versions-box") as versions_box:  # shown while a new version waits
                versions = gr.Dropdown([], label="待确认的新版本（与已有报告同名、内容不同）", elem_id="versions",
                                       allow_custom_value=True)
                with gr.Row():
                    accept = gr.Button("用新版本替换旧报告", size="sm", elem_id="version-accept")
                    drop = gr.Button("放弃新版本", size="sm", elem_id="version-drop")
            reindex = gr.Button("重新索引全部报告（解析规则更新后使用）", size="sm", elem_id="reindex")
        with gr.Column(min_width=320):
            gr.Markdown("#### 更正报告信息")
            gr.HTML('<p class="hint">标“待确认”的字段核对无误后，直接点“保存更正”即可确认。</p>')
            chosen = gr.Dropdown([], label="选择报告", elem_id="edit-report", allow_custom_value=True)
            inputs = {}
            for pair in range(0, len(EDITABLE_FIELDS), 2):  # two fields a row on a desktop
                with gr.Row(elem_classes=["phone-stack"]):
                    for name in EDITABLE_FIELDS[pair : pair + 2]:
                        inputs[name] = _field_input(name)
            save = gr.Button("保存更正", variant="primary", elem_id="edit-save")
            notice = gr.HTML("", elem_id="edit-notice", elem_classes=["slot"])
            with gr.Row():
                confirm = gr.Checkbox(label="确认删除所选报告及其全部索引", elem_id="edit-confirm")
                remove = gr.Button("删除报告", variant="stop", size="sm", elem_id="edit-remove")
            gr.Markdown("#### 回答反馈")
            with gr.Row():
                get_feedback = gr.Button("导出回答反馈（.xlsx）", size="sm", elem_id="feedback-export")
                feedback_link = gr.HTML("", elem_id="feedback-download", elem_classes=["slot"])
            feedback_notice = gr.HTML("", elem_id="feedback-notice", elem_classes=["slot"])

    @page.action(outputs=3, editor=True)
    def do_upload(uploaded, request: gr.Request):
        if not uploaded:
            raise Refused("请先选择要上传的文件")
        pairs = [(Path(f).name, Path(f)) for f in uploaded]  # Gradio keeps the original name in the temp path
        try:
            for item in with_progress(lambda tracker: app.ingest_uploads(pairs, tracker)):
                if isinstance(item, str):
                    yield item, gr.skip(), gr.skip()
                else:
                    yield results_html(item), None, summary(item, app.vector_worker is not None)
        finally:
            for _, temp in pairs:  # Gradio's copy is not needed once the file is stored (or refused)
                temp.unlink(missing_ok=True)

    @page.action(outputs=1 + len(inputs))
    def pick(name):
        meta = next((r.meta for r in app.library() if r.meta.name == name), None)
        return (*(field_text(meta, f) if meta else "" for f in inputs), "")

    @page.action(outputs=1, editor=True)
    def do_save(form: dict, request: gr.Request):
        name = form[chosen]
        if not name:
            raise Refused("请先选择报告")
        values = {f: form[component] for f, component in inputs.items()}
        meta = next((r.meta for r in app.library() if r.meta.name == name), None)
        if meta is None:
            raise Refused("所选报告已不在报告库中，请重新选择")
        changed = {f: v or "" for f, v in values.items() if (v or "").strip() != field_text(meta, f)}
        # A 待确认 field saved as it stands is the user's confirmation of it.
        confirmed = {f: v for f, v in values.items() if f in meta.uncertain and f not in changed and (v or "").strip()}
        if not changed and not confirmed:
            return "没有需要保存的更改"
        updated = app.set_metadata(name, {f: _typed(f, v) for f, v in {**changed, **confirmed}.items()})
        said = [f"{verb}：{'、'.join(FIELD_LABELS.get(f, f) for f in fields)}"
                for verb, fields in (("已更新", changed), ("已确认", confirmed)) if fields]
        return f"{updated.label()} {'；'.join(said)}"

    @page.action(outputs=3 + len(inputs), editor=True)
    def do_remove(name, confirmed: bool, request: gr.Request):
        if not name:
            raise Refused("请先选择报告")
        if not confirmed:
            raise Refused("请先勾选“确认删除所选报告及其全部索引”")
        app.remove(name)
        # the form no longer shows the deleted report's values (saving them would fail or mislead)
        return (gr.update(value=None), *("" for _ in inputs), False, f"已删除 {name}")

    @page.action(outputs=2, editor=True)
    def do_reindex(request: gr.Request):
        for item in with_progress(app.reindex):
            yield (item, gr.skip()) if isinstance(item, str) else (results_html(item), summary(item, app.vector_worker is not None))

    @page.action(outputs=2, editor=True)
    def do_accept(name, request: gr.Request):
        if not name:
            raise Refused("请先选择待确认的新版本")
        for item in with_progress(lambda tracker: [app.accept_version(name, tracker)]):
            yield (item, gr.skip()) if isinstance(item, str) else (results_html(item), f"已用新版本替换 {name}")

    @page.action(outputs=1, editor=True)
    def do_drop(name, request: gr.Request):
        if not name:
            raise Refused("请先选择待确认的新版本")
        app.discard_version(name)
        return f"已放弃 {name} 的新版本，原报告不变"

    @page.action(outputs=2, editor=True)
    def export_feedback(sess: ExportSession | None, request: gr.Request):
        records = app.feedback()
        if not records:
            raise Refused("还没有回答反馈：在问答页点击回答下方的 👍 或 👎 即可留下反馈")
        if sess is None:
            raise Refused("页面会话已过期，请刷新页面后再试")
        path = sess.path_for("回答反馈.xlsx")
        feedback_xlsx(records, path)
        return downloads_html([("下载回答反馈（.xlsx）", sess.url(path))], autoclick=True), f"已导出 {len(records)} 条反馈"

    fields = list(inputs.values())
    changed = [
        upload.click(do_upload, [files], [results, files, upload_notice], concurrency_id="ingest", concurrency_limit=1,
                     show_progress="hidden"),
        save.click(do_save, {chosen, *fields}, [notice], concurrency_id="ingest", show_progress="hidden"),
        remove.click(do_remove, [chosen, confirm], [chosen, *inputs.values(), confirm, notice], concurrency_id="ingest",
                     show_progress="hidden"),
        reindex.click(do_reindex, None, [results, upload_notice], concurrency_id="ingest", show_progress="hidden"),
        accept.click(do_accept, [versions], [results, upload_notice], concurrency_id="ingest", show_progress="hidden"),
        drop.click(do_drop, [versions], [upload_notice], show_progress="hidden"),
    ]
    # the user's choice only: a refresh of the pickers must not overwrite what is being typed
    chosen.input(pick, [chosen], [*fields, notice], show_progress="hidden")
    get_feedback.click(export_feedback, [session], [feedback_link, feedback_notice], show_progress="hidden")
    return LibraryPage(table, queue, chosen, versions, versions_box, summary_reports, [work], viewer_note, changed)


SUMMARY_WORKING = "正在按《纲要》领域整理报告的做法、亮点、问题和下一步安排……"


def _summary_section(page: Page, session: gr.State) -> gr.Dropdown:
    """报告摘要, for every user: chosen reports summarised by area and part, every sentence cited."""
    app = page.app
    gr.Markdown("#### 报告摘要")
    with gr.Row(equal_height=False, elem_classes=["phone-stack"]):
        reports = gr.Dropdown([], multiselect=True, label="要摘要的报告（可多选）", elem_id="summary-reports", scale=3,
                              allow_custom_value=True)
        length = gr.Radio([x.value for x in Length], value=Length.PAGE.value, label="篇幅", elem_id="summary-length", scale=1)
    with gr.Row(equal_height=True, elem_classes=["action-row"]):
        run = gr.Button("生成摘要", variant="primary", elem_id="summary-run", scale=0, min_width=160)
        downloads = gr.HTML("", elem_id="summary-downloads", elem_classes=["slot"])
    area = document_area("summary", "摘要依据", "选择报告后点击“生成摘要”：按《纲要》领域概括主要做法与成效，列出特色亮点、"
                                          "存在问题和下一步安排，每句注明出处。")

    @page.action(outputs=4)
    def do_summary(picked, chosen_length, sess: ExportSession | None):
        if not picked:
            page.require_reports("生成摘要")
            raise Refused("请先选择要摘要的报告")
        yield from drafted(area, SUMMARY_WORKING, lambda progress: app.summarize(picked, chosen_length, progress=progress),
                           summary_html, lambda summary: summary.title,
                           [("下载 Word（.docx）", ".docx", summary_docx),
                            ("下载 Markdown（.md）", ".md", markdown_file(summary_markdown))], sess)

    run.click(do_summary, [reports, length, session], area.outputs(downloads),
              concurrency_id="long", concurrency_limit=2, show_progress="hidden")
    return reports


def _field_input(name: str):
    label = FIELD_LABELS.get(name, name)
    if name in CHOICES:
        return gr.Dropdown(["", *CHOICES[name]], label=label, elem_id=f"edit-{name}", allow_custom_value=True)
    return gr.Textbox(label=label, placeholder=HINTS.get(name, ""), elem_id=f"edit-{name}", max_lines=2)


def _typed(field_name: str, value: str):
    """A form value as the service takes it: lists for multi-valued fields, text otherwise."""
    if field_name == "aliases":
        return [v.strip() for v in value.replace("，", ",").replace("、", ",").split(",") if v.strip()]
    return value.strip().rstrip("年") if field_name in ("year", "plan_year") else value.strip()
