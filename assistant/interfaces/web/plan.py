"""The 计划 page: next year's 工作要点 drafted from a report, with its sources and downloads."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from assistant.exports.markdown import plan_markdown
from assistant.exports.word import plan_docx, plan_text_docx
from assistant.interfaces.web.actions import Page, Refused
from assistant.interfaces.web.document_html import plan_html
from assistant.interfaces.web.layout import document_area, drafted, markdown_file
from assistant.interfaces.web.sessions import ExportSession

WORKING = "正在检索问题、承诺和兄弟地区做法，起草工作要点……"


@dataclass
class PlanPage:
    target: gr.Dropdown


def plan_year(text: str | None) -> int | None:
    """The plan's year as typed (empty: the report's year + 1); anything but four digits is refused."""
    value = (text or "").strip().rstrip("年")
    if not value:
        return None
    if not (value.isdigit() and len(value) == 4):
        raise Refused(f"年份应为四位数字，例如 2025（收到“{text}”）")
    return int(value)


def build_plan(page: Page, session: gr.State) -> PlanPage:
    app = page.app
    with gr.Row(equal_height=False, elem_classes=["phone-stack"]):
        target = gr.Dropdown([], label="目标报告", elem_id="plan-report", scale=3, allow_custom_value=True)
        year = gr.Textbox(label="计划年度", placeholder="留空即报告次年", elem_id="plan-year", scale=1, max_lines=1)
    with gr.Row(equal_height=True, elem_classes=["action-row"]):
        run = gr.Button("起草工作要点", variant="primary", elem_id="plan-run", scale=0, min_width=160)
        downloads = gr.HTML("", elem_id="plan-downloads", elem_classes=["slot"])
    area = document_area("plan", "计划依据", "选择目标报告后，点击“起草工作要点”：按报告自己承认的问题、作出的承诺和兄弟地区的做法起草。")

    @page.action(outputs=4)
    def do_plan(name, typed_year, sess: ExportSession | None):
        if not name:
            page.require_reports("起草工作要点")
            raise Refused("请先选择目标报告")
        wanted = plan_year(typed_year)
        yield from drafted(area, WORKING, lambda progress: app.plan(name, wanted, progress=progress), plan_html,
                           lambda plan: plan.title, [("下载 Word（.docx，含依据）", ".docx", plan_docx),
                                                     ("下载正文（.docx，无依据）", "（正文）.docx", plan_text_docx),
                                                     ("下载 Markdown（.md）", ".md", markdown_file(plan_markdown))], sess)

    run.click(do_plan, [target, year, session], area.outputs(downloads),
              concurrency_id="long", concurrency_limit=2, show_progress="hidden")
    return PlanPage(target)
