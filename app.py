"""The browser app: a thin Gradio layer over assistant.service, the same functions the CLI calls.

Per-session state only (gr.State): two browsers never see each other's conversation or filters.
"""

from __future__ import annotations

import functools
import logging
import sys
import tempfile
from pathlib import Path

import gradio as gr

import assistant  # noqa: F401  (offline configuration before gradio and friends load)
from assistant.answering.answer import Answer
from assistant.answering.conversation import Turn
from assistant.exports.chart import figures_chart
from assistant.exports.markdown import comparison_markdown, conversation_markdown, plan_markdown
from assistant.exports.spreadsheet import FIGURE_HEADERS, comparison_xlsx, figure_rows, figures_table
from assistant.exports.word import comparison_docx, plan_docx
from assistant.documents.figures import INDICATORS
from assistant.store.ingestion import FileResult, IngestProgress
from assistant.service import Assistant, UsageError
from assistant.config.settings import SAMPLES_DIR, Settings, load_settings
from assistant.interfaces.web.document_html import DOCUMENT_CSS, comparison_html, plan_html, sources_html
from assistant.interfaces.web.html import (
    CITATION_JS,
    CSS,
    LIBRARY_HEADERS,
    RESULT_HEADERS,
    answer_html,
    evidence_html,
    library_rows,
    result_rows,
    safe_text,
)

log = logging.getLogger("report-assistant.app")
EXAMPLES = [
    "天桥区2022年共收到多少件行政复议申请？",
    "哪些报告提到了“法律明白人”？各自是怎么做的？",
    "绥滨县2024年报告中指出了哪些存在的问题？",
    "老边区2024年的下一步工作安排是什么？",
]


# System fonts only: the default theme would fetch Google Fonts, which intranet browsers cannot reach.
THEME = gr.themes.Default(
    font=["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "Consolas", "monospace"],
)


def friendly(fn):
    """Errors reach the user as one readable line in the page; the server keeps running."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            if hasattr(result, "__next__"):
                yield from result
            else:
                yield result
        except gr.Error:
            raise
        except (UsageError, ValueError, KeyError) as exc:
            raise gr.Error(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - logged for the operator, summarised for the user
            log.exception("request failed")
            raise gr.Error(f"处理失败：{exc.__class__.__name__}: {exc}") from exc

    return wrapper


class _GradioProgress(IngestProgress):
    """Per-file progress in the page while files are ingested."""

    def __init__(self, progress: gr.Progress):
        self.progress = progress
        self.total = 1

    def file_started(self, path: Path, index: int, total: int) -> None:
        self.total = total
        self.progress((index, total), desc=f"正在导入 {path.name}（{index + 1}/{total}）", unit="文件")

    def file_finished(self, result: FileResult) -> None:
        self.progress(1.0 if self.total == 0 else None, desc=f"{result.name}：{result.status}")


def build(app: Assistant) -> gr.Blocks:
    with gr.Blocks(title="法治报告助手") as demo:
        gr.Markdown("## 法治报告助手 · 法治政府建设年度报告问答与引用")
        answers_state = gr.State([])  # this session's Answer objects, oldest first
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat_components = _chat_tab(app, answers_state)
            with gr.Tab("报告库", id="library"):
                library_components = _library_tab(app)
            with gr.Tab("对比", id="compare"):
                compare_components = _compare_tab(app)
            with gr.Tab("计划", id="plan"):
                plan_components = _plan_tab(app)
            with gr.Tab("设置", id="settings"):
                _settings_tab(app)
        _wire_filters(app, chat_components, library_components, compare_components, plan_components)
    return demo


def _report_choices(app: Assistant) -> tuple[list[tuple[str, str]], list[str], list[int]]:
    metas = app.store.reports()
    reports = [(f"{m.label()} · {m.name}", m.name) for m in metas]
    regions = sorted({m.region for m in metas if m.region})
    years = sorted({m.year for m in metas if m.year})
    return reports, regions, years


def _chat_tab(app: Assistant, answers_state: gr.State) -> dict:
    reports, regions, years = _report_choices(app)
    with gr.Row():
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(label="问答", height=520, buttons=["copy", "copy_all"], elem_id="chatbot",
                                 placeholder="请输入问题，例如：天桥区2022年共收到多少件行政复议申请？")
            with gr.Row():
                question = gr.Textbox(placeholder="输入问题后按回车", show_label=False, scale=5, elem_id="question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
            gr.Examples(EXAMPLES, inputs=[question], label="示例问题")
            with gr.Accordion("筛选报告", open=False):
                report_filter = gr.Dropdown(reports, multiselect=True, label="报告", elem_id="filter-reports")
                region_filter = gr.Dropdown(regions, multiselect=True, label="地区", elem_id="filter-regions")
                year_filter = gr.Dropdown(years, multiselect=True, label="年份", elem_id="filter-years")
            with gr.Row():
                clear = gr.Button("新对话", size="sm")
                export = gr.Button("导出对话（Markdown）", size="sm", elem_id="export-chat")
            export_file = gr.File(label="对话记录", visible=False, elem_id="export-file")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("#### 引用原文")
            evidence = gr.HTML(evidence_html([]), elem_id="evidence", js_on_load=None)

    @friendly
    def respond(message: str, messages: list, answers: list[Answer], picked, picked_regions, picked_years):
        message = (message or "").strip()
        if not message:
            raise gr.Error("请输入问题")
        history = [Turn(a.question, a.standalone_question or a.question, a.answer) for a in answers]
        scope = app.select_reports(picked or [], picked_regions or [], [int(y) for y in picked_years or []])
        messages = [*messages, {"role": "user", "content": message}, {"role": "assistant", "content": "……"}]
        yield messages, gr.skip(), answers, ""
        partial = ""
        for item in app.ask_stream(message, scope, history):
            if isinstance(item, Answer):
                answers = [*answers, item]
                messages[-1] = {"role": "assistant", "content": answer_html(item, len(answers))}
                yield messages, evidence_html(answers), answers, ""
            else:
                partial += item
                messages[-1] = {"role": "assistant", "content": safe_text(partial)}
                yield messages, gr.skip(), answers, ""

    outputs = [chatbot, evidence, answers_state, question]
    inputs = [question, chatbot, answers_state, report_filter, region_filter, year_filter]
    question.submit(respond, inputs, outputs, concurrency_id="ask")
    send.click(respond, inputs, outputs, concurrency_id="ask")
    clear.click(lambda: ([], evidence_html([]), [], ""), None, outputs)

    @friendly
    def export_chat(answers: list[Answer]):
        if not answers:
            raise gr.Error("还没有可以导出的对话")
        path = Path(tempfile.mkdtemp(prefix="ra-chat-")) / "问答记录.md"
        path.write_text(conversation_markdown(answers), encoding="utf-8")
        return gr.File(value=str(path), visible=True)

    export.click(export_chat, [answers_state], [export_file])
    return {"reports": report_filter, "regions": region_filter, "years": year_filter}


def _library_tab(app: Assistant) -> dict:
    table = gr.Dataframe(library_rows(app.library()), headers=LIBRARY_HEADERS, interactive=False,
                         label="报告库", elem_id="library-table", wrap=True)
    with gr.Row():
        with gr.Column(min_width=300):
            files = gr.File(file_count="multiple", label=f"上传报告（txt / md / html / docx / pdf，单个不超过 {app.settings.upload_max_mb} MB）",
                            elem_id="upload")
            upload = gr.Button("导入上传的文件", variant="primary", elem_id="upload-button")
            results = gr.Dataframe(headers=RESULT_HEADERS, interactive=False, label="导入结果", elem_id="upload-results",
                                   wrap=True)
        with gr.Column(min_width=300):
            names = [r.meta.name for r in app.library()]
            chosen = gr.Dropdown(names, label="选择报告", elem_id="edit-report")
            region = gr.Textbox(label="地区", elem_id="edit-region")
            year = gr.Textbox(label="年份", placeholder="例如 2023", elem_id="edit-year")
            with gr.Row():
                save = gr.Button("保存更正", elem_id="edit-save")
                remove = gr.Button("删除报告", variant="stop", elem_id="edit-remove")
                reindex = gr.Button("重新索引全部报告", elem_id="reindex")
            message = gr.Markdown(elem_id="library-message")

    def refreshed():
        rows = app.library()
        return library_rows(rows), gr.Dropdown(choices=[r.meta.name for r in rows], value=None)

    @friendly
    def do_upload(uploaded, progress=gr.Progress()):
        if not uploaded:
            raise gr.Error("请先选择要上传的文件")
        pairs = [(Path(f).name, Path(f)) for f in uploaded]  # Gradio keeps the original name in the temp path
        outcome = app.ingest_uploads(pairs, _GradioProgress(progress))
        return (result_rows(outcome), *refreshed())

    @friendly
    def pick(name):
        meta = next((r.meta for r in app.library() if r.meta.name == name), None)
        return (meta.region or "", str(meta.year or "")) if meta else ("", "")

    @friendly
    def do_save(name, new_region, new_year):
        if not name:
            raise gr.Error("请先选择报告")
        fields = {}
        if new_region:
            fields["region"] = new_region.strip()
        if (new_year or "").strip():
            fields["year"] = _year(new_year)
        meta = app.set_metadata(name, fields)
        return (f"已更新 {meta.name}：{meta.label()}", *refreshed())

    @friendly
    def do_remove(name):
        if not name:
            raise gr.Error("请先选择报告")
        app.remove(name)
        return (f"已删除 {name}", *refreshed())

    @friendly
    def do_reindex(progress=gr.Progress()):
        outcome = app.reindex(_GradioProgress(progress))
        return (result_rows(outcome), *refreshed())

    upload.click(do_upload, [files], [results, table, chosen], concurrency_id="ingest", concurrency_limit=1)
    chosen.change(pick, [chosen], [region, year])
    save.click(do_save, [chosen, region, year], [message, table, chosen], concurrency_id="ingest")
    remove.click(do_remove, [chosen], [message, table, chosen], concurrency_id="ingest")
    reindex.click(do_reindex, None, [results, table, chosen], concurrency_id="ingest")
    return {"table": table, "triggers": [upload, save, remove, reindex]}


def _year(text: str) -> str:
    """A year typed into the page: four digits, else a readable error."""
    value = (text or "").strip().rstrip("年")
    if not (value.isdigit() and len(value) == 4):
        raise gr.Error(f"年份应为四位数字，例如 2024（收到“{text}”）")
    return value


def _download(content_writer, filename: str) -> gr.File:
    """Write an export into a fresh temporary folder and offer it for download."""
    path = Path(tempfile.mkdtemp(prefix="ra-export-")) / filename
    content_writer(path)
    return gr.File(value=str(path), visible=True)


def _document_with_evidence(scope: str, formats: tuple[str, ...], evidence_title: str):
    """The layout the 对比 and 计划 pages share: the document, its download buttons, and its evidence beside it."""
    with gr.Row():
        with gr.Column(scale=3, min_width=320):
            document = gr.HTML(elem_id=f"{scope}-document")
            with gr.Row():
                buttons = {kind: gr.Button(f"下载 .{kind}", size="sm", elem_id=f"{scope}-{kind}") for kind in formats}
            download = gr.File(label="下载", visible=False, elem_id=f"{scope}-file")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown(f"#### {evidence_title}")
            evidence = gr.HTML(sources_html([], scope, "点击 [n] 查看原文"), elem_id=f"{scope}-evidence")
    return document, buttons, download, evidence


def _compare_tab(app: Assistant) -> dict:
    reports, _, _ = _report_choices(app)
    indicators = [i.name for i in INDICATORS]
    comparison_state = gr.State(None)
    with gr.Row():
        chosen = gr.Dropdown(reports, multiselect=True, label="参与对比的报告（不选 = 全部）", elem_id="compare-reports", scale=3)
        topic = gr.Textbox(label="主题（留空 = 按《纲要》九个领域）", placeholder="例如：行政复议、普法", elem_id="compare-topic", scale=2)
        run = gr.Button("生成对比", variant="primary", elem_id="compare-run", scale=1)
    matrix, buttons, download, evidence = _document_with_evidence("compare", ("docx", "md", "xlsx"), "引用原文")
    gr.Markdown("#### 关键数字")
    with gr.Row():
        indicator = gr.Dropdown(indicators, value="行政复议收案", label="指标", elem_id="figure-indicator", scale=1)
        chart = gr.Image(label="各报告对比图", type="filepath", elem_id="figure-chart", scale=2)
    figure_grid = gr.Dataframe(headers=FIGURE_HEADERS, interactive=False, wrap=True, elem_id="figures-table")
    get_figures = gr.Button("下载关键数字 .xlsx", size="sm", elem_id="figures-xlsx")

    @friendly
    def do_compare(picked, topic_text, progress=gr.Progress()):
        progress(0.1, desc="按报告、按领域检索……")
        result = app.compare(picked or None, (topic_text or "").strip() or None)
        return result, comparison_html(result), sources_html(result.citations, "compare", "对比引用"), gr.File(visible=False)

    @friendly
    def do_figures(picked, name):
        found = app.figures(picked or None)
        rows = figure_rows(found)
        if not any(f.indicator == name for f in found):
            return rows, None
        path = Path(tempfile.mkdtemp(prefix="ra-chart-")) / "chart.png"
        figures_chart(found, name, path)
        return rows, str(path)

    def export(kind: str):
        writers = {"docx": (comparison_docx, "对比.docx"), "xlsx": (comparison_xlsx, "对比.xlsx"),
                   "md": (lambda c, p: p.write_text(comparison_markdown(c), encoding="utf-8"), "对比.md")}

        @friendly
        def handler(result):
            if result is None:
                raise gr.Error("请先生成对比")
            writer, filename = writers[kind]
            return _download(lambda path: writer(result, path), filename)

        return handler

    @friendly
    def export_figures(picked):
        found = app.figures(picked or None)
        return _download(lambda path: figures_table(found, path), "关键数字.xlsx")

    run.click(do_compare, [chosen, topic], [comparison_state, matrix, evidence, download], concurrency_id="long", concurrency_limit=2)
    run.click(do_figures, [chosen, indicator], [figure_grid, chart])
    indicator.change(do_figures, [chosen, indicator], [figure_grid, chart])
    for kind, button in buttons.items():
        button.click(export(kind), [comparison_state], [download])
    get_figures.click(export_figures, [chosen], [download])
    return {"reports": chosen}


def _plan_tab(app: Assistant) -> dict:
    names = [(f"{m.label()} · {m.name}", m.name) for m in app.store.reports()]
    plan_state = gr.State(None)
    with gr.Row():
        target = gr.Dropdown(names, label="目标报告", elem_id="plan-report", scale=3)
        year = gr.Textbox(label="计划年度", placeholder="留空 = 报告年度 + 1", elem_id="plan-year", scale=1)
        run = gr.Button("起草工作要点", variant="primary", elem_id="plan-run", scale=1)
    draft, buttons, download, evidence = _document_with_evidence("plan", ("docx", "md"), "依据原文")

    @friendly
    def do_plan(name, plan_year, progress=gr.Progress()):
        if not name:
            raise gr.Error("请先选择目标报告")
        progress(0.1, desc="检索问题、承诺和兄弟地区做法……")
        result = app.plan(name, int(_year(plan_year)) if (plan_year or "").strip() else None)
        return result, plan_html(result), sources_html(result.citations, "plan", "计划依据"), gr.File(visible=False)

    def export(kind: str):
        @friendly
        def handler(result):
            if result is None:
                raise gr.Error("请先起草计划")
            if kind == "docx":
                return _download(lambda path: plan_docx(result, path), f"{result.title}.docx")
            return _download(lambda path: path.write_text(plan_markdown(result), encoding="utf-8"), f"{result.title}.md")

        return handler

    run.click(do_plan, [target, year], [plan_state, draft, evidence, download], concurrency_id="long", concurrency_limit=2)
    for kind, button in buttons.items():
        button.click(export(kind), [plan_state], [download])
    return {"target": target}


def _settings_tab(app: Assistant) -> None:
    gr.Markdown("当前配置（只读；修改请设置 RA_ 开头的环境变量后重启）：")
    status = gr.JSON(app.status(), label="状态", elem_id="status")
    with gr.Row():
        refresh = gr.Button("刷新")
        test = gr.Button("测试 LLM 连接", elem_id="test-llm")
    result = gr.Markdown(elem_id="llm-result")
    refresh.click(lambda: app.status(), None, [status])

    @friendly
    def test_llm():
        ok, text = app.check_llm()
        return ("✅ " if ok else "⚠️ ") + text

    test.click(test_llm, None, [result])


def _wire_filters(app: Assistant, chat: dict, library: dict, compare: dict, plan: dict) -> None:
    """After the library changes, every report picker offers the new choices."""

    def choices():
        reports, regions, years = _report_choices(app)
        return (gr.Dropdown(choices=reports), gr.Dropdown(choices=regions), gr.Dropdown(choices=years),
                gr.Dropdown(choices=reports), gr.Dropdown(choices=reports))

    library["table"].change(choices, None, [chat["reports"], chat["regions"], chat["years"], compare["reports"], plan["target"]])


def parse_auth(settings: Settings) -> list[tuple[str, str]] | None:
    """RA_AUTH=user:password[,user2:password2] → Gradio's list of (user, password)."""
    if not settings.auth:
        return None
    pairs = []
    for item in settings.auth.get_secret_value().split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ValueError("RA_AUTH must look like user:password[,user2:password2]")
        pairs.append((user, password))
    return pairs


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_settings()
    try:
        app = Assistant(settings)
        auth = parse_auth(settings)
    except Exception as exc:  # noqa: BLE001 - configuration problems end with one line, not a trace
        print(f"无法启动：{exc}", file=sys.stderr)
        sys.exit(2)
    if not app.library() and SAMPLES_DIR.is_dir():
        log.info("报告库为空，导入示例报告 %s", SAMPLES_DIR)
        for result in app.ingest([SAMPLES_DIR]):
            log.info("%s: %s %s", result.name, result.status, result.reason)
    app.retrieve("法治政府建设")  # load jieba, the BM25 index and the embedding model before the first user asks
    demo = build(app)
    demo.queue(default_concurrency_limit=settings.concurrency)
    print(f"法治报告助手已启动：http://{settings.host}:{settings.port}", flush=True)
    demo.launch(server_name=settings.host, server_port=settings.port, auth=auth, css=CSS + DOCUMENT_CSS, js=CITATION_JS, theme=THEME,
                show_error=False, footer_links=[], allowed_paths=[tempfile.gettempdir()],
                max_file_size=f"{settings.upload_max_mb}mb")


if __name__ == "__main__":
    main()
