"""The 对比 → 历年 tab: one place's reports across the years — its commitments kept (each year's
next-steps items against the next year's report, cited on both sides) and its key figures by year (a
line chart and a table, each value with its sentence)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import gradio as gr

from assistant.exports.chart import series_chart
from assistant.exports.markdown import series_markdown, tracking_markdown
from assistant.exports.spreadsheet import series_xlsx, tracking_xlsx
from assistant.exports.word import tracking_docx
from assistant.interfaces.web.actions import Page, Refused
from assistant.interfaces.web.document_html import tracking_html
from assistant.interfaces.web.html import safe_line
from assistant.interfaces.web.layout import document_area, drafted, markdown_file, write_downloads
from assistant.interfaces.web.sessions import ExportSession

WORKING = "正在把每年“下一步”所列事项与次年报告逐项核对……"
@dataclass
class YearsTab:
    place: gr.Dropdown


SERIES_COLUMNS = ["指标", "年份", "数值", "原句"]


def series_table(rows) -> str:
    """Every value of the chosen indicators, by year, with its sentence."""
    body = "".join("<tr>" + "".join(f'<td class="content" data-label="{h}">{safe_line(str(v))}</td>' for h, v in zip(
        SERIES_COLUMNS, [row.indicator, f"{p.year}年", f"{p.value}{p.unit}" + ("（约数）" if p.approximate else ""), p.sentence]))
                   + "</tr>" for row in rows for p in row.points)
    head = "".join(f"<th>{h}</th>" for h in SERIES_COLUMNS)
    return f'<div class="lib-wrap filled"><table class="lib" id="series-rows"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def build_years(page: Page, session: gr.State) -> YearsTab:
    app = page.app
    with gr.Row(equal_height=False, elem_classes=["phone-stack"]):
        place = gr.Dropdown([], label="地区（同一地区、同类报告的各年）", elem_id="years-place", scale=3, allow_custom_value=True)
        indicator = gr.Textbox(label="指标（留空 = 全部；如 行政复议）", elem_id="years-indicator", scale=2, max_lines=1)
    with gr.Row(equal_height=True, elem_classes=["action-row"]):
        run = gr.Button("核对历年承诺", variant="primary", elem_id="years-run", scale=0, min_width=160)
        downloads = gr.HTML("", elem_id="years-downloads", elem_classes=["slot"])
    area = document_area("years", "历年引用", "选择地区后，点击“核对历年承诺”：每年“下一步”所列事项在次年报告中是否见到成效，以及关键数字的逐年变化。")
    gr.Markdown("#### 逐年数字")
    series_links = gr.HTML("", elem_id="series-download", elem_classes=["slot"])
    series_notice = gr.HTML("", elem_id="series-notice", elem_classes=["slot"])  # its own: never clears the commitments' 
    chart = gr.HTML("", elem_id="series-chart", elem_classes=["slot"])
    table = gr.HTML("", elem_id="series-table", elem_classes=["slot"])

    @page.action(outputs=4)
    def do_track(name, sess: ExportSession | None):
        if not name:
            page.require_reports("核对历年承诺")
            raise Refused("请先选择地区")
        yield from drafted(area, WORKING, lambda progress: app.track(name), tracking_html,
                           lambda t: f"{t.series.place}历年承诺落实",
                           [("下载 Word（.docx）", ".docx", tracking_docx), ("下载表格（.xlsx）", ".xlsx", tracking_xlsx),
                            ("下载 Markdown（.md）", ".md", markdown_file(tracking_markdown))], sess)

    @page.action(outputs=4)
    def do_series(name, wanted, sess: ExportSession | None):
        if not name or not app.store.reports():  # the commitments' own line says what is missing
            return "", "", "", ""
        found = app.figures_by_year(name, (wanted or "").strip() or None)
        rows = [r for r in found.rows if len(r.points) >= 2]
        if not rows:
            return f'<p class="ev-empty filled">{safe_line(found.series.place)}的报告中没有可逐年对照的数字。</p>', "", "", ""
        image = ""
        if sess is not None:
            path = sess.path_for(f"{found.series.place}逐年数字.png")
            series_chart(rows[:1] if not wanted else rows, found.series.place, path)
            data = base64.b64encode(path.read_bytes()).decode()
            image = (f'<div class="figure-chart filled"><img alt="{safe_line(found.series.place)}：逐年数字折线图" '
                     f'src="data:image/png;base64,{data}"></div>')
        links = write_downloads(sess, [("下载逐年数字（.xlsx）", f"{found.series.place}逐年数字.xlsx", lambda p: series_xlsx(found, p)),
                                       ("下载逐年数字（.md）", f"{found.series.place}逐年数字.md",
                                        lambda p: p.write_text(series_markdown(found), encoding="utf-8"))])
        return image, series_table(rows), links, ""

    run.click(do_track, [place, session], area.outputs(downloads), concurrency_id="long", concurrency_limit=2,
              show_progress="hidden")
    run.click(do_series, [place, indicator, session], [chart, table, series_links, series_notice], show_progress="hidden")
    indicator.submit(do_series, [place, indicator, session], [chart, table, series_links, series_notice], show_progress="hidden")
    return YearsTab(place)
