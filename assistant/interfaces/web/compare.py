"""The 对比 page: the comparison matrix at full width (cards on a phone), its downloads one click away,
and the key figures with their chart and table; its 历年 tab (web/years.py) shows one place across the years."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import gradio as gr

from assistant.documents.figures import INDICATORS
from assistant.exports.chart import figures_chart
from assistant.exports.markdown import comparison_markdown
from assistant.exports.spreadsheet import comparison_xlsx, figures_table
from assistant.exports.word import comparison_docx
from assistant.interfaces.web.actions import Page
from assistant.interfaces.web.document_html import comparison_html
from assistant.interfaces.web.html import report_label, safe_line
from assistant.interfaces.web.layout import document_area, drafted, markdown_file, write_downloads
from assistant.interfaces.web.sessions import ExportSession
from assistant.interfaces.web.years import build_years

WORKING = "正在按报告、按领域检索并整理对比……"


@dataclass
class ComparePage:
    reports: gr.Dropdown
    places: gr.Dropdown  # the 历年 tab's place


def build_compare(page: Page, session: gr.State) -> ComparePage:
    with gr.Tabs():
        with gr.Tab("并列对比", id="side-by-side"):
            chosen = _build_side_by_side(page, session)
        with gr.Tab("历年", id="years", elem_id="years-tab"):
            years = build_years(page, session)
    return ComparePage(chosen, years.place)


def _build_side_by_side(page: Page, session: gr.State) -> gr.Dropdown:
    app = page.app
    with gr.Row(equal_height=False, elem_classes=["phone-stack"]):
        chosen = gr.Dropdown([], multiselect=True, label="参与对比的报告（不选 = 全部）", elem_id="compare-reports", scale=3,
                             allow_custom_value=True)
        topic = gr.Textbox(label="主题（留空 = 按《纲要》九个领域）", placeholder="例如：行政复议、普法", elem_id="compare-topic",
                           scale=2, max_lines=1)
    with gr.Row(equal_height=True, elem_classes=["action-row"]):
        run = gr.Button("生成对比", variant="primary", elem_id="compare-run", scale=0, min_width=160)
        downloads = gr.HTML("", elem_id="compare-downloads", elem_classes=["slot"])
    area = document_area("compare", "对比引用", "选择报告（不选即全部）和主题后，点击“生成对比”。")
    gr.Markdown("#### 关键数字")
    with gr.Row(equal_height=False, elem_classes=["phone-stack"]):
        indicator = gr.Dropdown([i.name for i in INDICATORS], value=INDICATORS[0].name, label="指标",
                                elem_id="figure-indicator", scale=1)
        figures_download = gr.HTML("", elem_id="figures-download", elem_classes=["slot"])
    figures_notice = gr.HTML("", elem_id="figures-notice", elem_classes=["slot"])  # its own: never clears the matrix's
    chart = gr.HTML("", elem_id="figure-chart", elem_classes=["slot"])
    figure_table = gr.HTML("", elem_id="figures-table", elem_classes=["slot"])

    @page.action(outputs=4)
    def do_compare(picked, topic_text, sess: ExportSession | None):
        topic = (topic_text or "").strip() or None
        yield from drafted(area, WORKING, lambda progress: app.compare(picked or None, topic, progress=progress),
                           comparison_html, _file_stem,
                           [("下载 Word（.docx）", ".docx", comparison_docx), ("下载表格（.xlsx）", ".xlsx", comparison_xlsx),
                            ("下载 Markdown（.md）", ".md", markdown_file(comparison_markdown))], sess)

    @page.action(outputs=4)
    def do_figures(picked, name, sess: ExportSession | None):
        if not app.store.reports():  # the comparison's own line says the library is empty
            return "", "", "", ""
        found = app.figures(picked or None)
        chosen_figures = [f for f in found if f.indicator == name]
        image = ""
        if chosen_figures and sess is not None:
            path = sess.path_for("关键数字图.png")
            figures_chart(found, name, path)
            data = base64.b64encode(path.read_bytes()).decode()
            image = (f'<div class="figure-chart filled"><img alt="{safe_line(name)}：各报告对比图" '
                     f'src="data:image/png;base64,{data}"></div>')
        elif not chosen_figures:
            image = f'<p class="ev-empty filled">所选报告中没有找到“{safe_line(name)}”的数字。</p>'
        link = write_downloads(sess, [("下载关键数字（.xlsx）", "关键数字.xlsx", lambda p: figures_table(found, p))]) if found else ""
        return image, _figures_table(chosen_figures, name), link, ""

    run.click(do_compare, [chosen, topic, session], area.outputs(downloads),
              concurrency_id="long", concurrency_limit=2, show_progress="hidden")
    run.click(do_figures, [chosen, indicator, session], [chart, figure_table, figures_download, figures_notice],
              show_progress="hidden")
    indicator.change(do_figures, [chosen, indicator, session], [chart, figure_table, figures_download, figures_notice],
                     show_progress="hidden")
    return chosen


FIGURE_COLUMNS = ["指标", "数值", "单位", "报告", "原句"]  # the file and paragraph ID are in the .xlsx


def _figures_table(found, indicator: str) -> str:
    """The chosen indicator's figures, each with its sentence (every indicator is in the .xlsx)."""
    if not found:
        return ""
    caption = f'<p class="hint">“{safe_line(indicator)}”：{len(found)} 项数字；全部指标见 .xlsx。</p>'
    head = "".join(f"<th>{html.escape(h)}</th>" for h in FIGURE_COLUMNS)
    values = [[f.indicator, f.value, f.unit, report_label(f.region, f.year, f.report), f.sentence] for f in found]
    rows = "".join("<tr>" + "".join(f'<td class="content" data-label="{html.escape(h)}">{safe_line("" if v is None else str(v))}</td>'
                                    for h, v in zip(FIGURE_COLUMNS, row)) + "</tr>" for row in values)
    return f'<div class="lib-wrap filled">{caption}<table class="lib" id="figures-rows"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


# Regions named in a download's file name before it is cut short with 等.
NAMED_IN_FILE = 3


def _file_stem(result) -> str:
    """对比_寺庄镇_殷祖镇_仁和镇: the file names the reports it compares (downloads of several comparisons
    stay apart)."""
    names = [m.region or m.name for m in result.reports]
    return "_".join(["对比", *names[:NAMED_IN_FILE]]) + ("等" if len(names) > NAMED_IN_FILE else "")
