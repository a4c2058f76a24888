"""The 问答 page: questions with cited answers, the evidence beside them (a sheet on phones), filters,
feedback on each answer, and the conversation kept in the browser across reloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.answering.answer import Answer, Citation
from assistant.answering.conversation import Turn
from assistant.exports.markdown import conversation_markdown
from assistant.interfaces.web.actions import Page, Refused, busy
from assistant.interfaces.web.html import (
    answer_html,
    downloads_html,
    evidence_html,
    safe_text,
    sheet_bar,
    sheet_opener,
)
from assistant.interfaces.web.sessions import ExportSession
from assistant.store.feedback import DOWN, UP

EXAMPLES = [
    "天桥区2022年共收到多少件行政复议申请？",
    "哪些报告提到了“法律明白人”？各自是怎么做的？",
    "绥滨县2024年报告中指出了哪些存在的问题？",
    "老边区2024年的下一步工作安排是什么？",
]
KEPT_ANSWERS = 20  # answers kept in the browser for a reload (localStorage holds a few MB)
THINKING = "正在检索报告……"


@dataclass
class ChatPage:
    """The components other parts of the app update (report pickers) or restore (after a reload)."""

    reports: gr.Dropdown
    regions: gr.Dropdown
    years: gr.Dropdown
    chatbot: gr.Chatbot
    evidence: gr.HTML
    answers: gr.State
    stored: gr.BrowserState
    download: gr.HTML


def build_chat(page: Page, session: gr.State, browser_secret: str) -> ChatPage:
    answers_state = gr.State([])  # this session's Answer objects, oldest first
    feedback_ids = gr.State({})  # answer number → stored feedback id, so a second click changes the first
    stored = gr.BrowserState({"user": None, "answers": []}, storage_key="ra-conversation", secret=browser_secret)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(label="问答", show_label=False, height="60vh", buttons=["copy"], elem_id="chatbot", sanitize_html=True,
                                 placeholder="请输入问题，例如：天桥区2022年共收到多少件行政复议申请？",
                                 feedback_options=("Like", "Dislike"))
            with gr.Row():
                question = gr.Textbox(label="问题", placeholder="输入问题后按回车", show_label=False, scale=5, elem_id="question",
                                      max_lines=4)
                send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="send")
            notice = gr.HTML("", elem_id="chat-notice", elem_classes=["slot"])
            with gr.Row(visible=False, elem_id="feedback-row") as feedback_row:
                note = gr.Textbox(label="补充说明（可选）", placeholder="例如：数字不对、漏了某个地区", scale=4,
                                  elem_id="feedback-note")
                save_note = gr.Button("提交说明", scale=1, min_width=100, elem_id="feedback-save")
            gr.HTML(sheet_opener("chat-evidence", "查看引用原文"), elem_classes=["opener"])
            examples = gr.Examples(EXAMPLES, inputs=[question], label="示例问题（点击即提问）")
            with gr.Accordion("只在部分报告中查找", open=False):
                report_filter = gr.Dropdown([], multiselect=True, label="报告", elem_id="filter-reports", allow_custom_value=True)
                region_filter = gr.Dropdown([], multiselect=True, label="地区", elem_id="filter-regions", allow_custom_value=True)
                year_filter = gr.Dropdown([], multiselect=True, label="年份", elem_id="filter-years", allow_custom_value=True)
            with gr.Row():
                clear = gr.Button("新对话", size="sm", elem_id="new-chat")
                download = gr.HTML("", elem_id="chat-download", elem_classes=["slot"])
        with gr.Column(scale=2, min_width=300, elem_id="chat-evidence", elem_classes=["ev-sheet"]):
            gr.HTML(sheet_bar("引用原文") + '<h3 class="ev-title">引用原文</h3>', elem_classes=["sheet-head"])
            evidence = gr.HTML(evidence_html([]), elem_id="evidence")

    @page.action(outputs=7)
    def respond(message: str, messages: list, answers: list[Answer], picked, picked_regions, picked_years,
                sess: ExportSession | None, request: gr.Request):
        message = (message or "").strip()
        if not message:
            raise Refused("请输入问题")
        history = [Turn.of(a) for a in answers]
        years = [int(y) for y in picked_years or [] if str(y).isdigit()]
        choice = page.app.choose_reports(picked or [], picked_regions or [], years)
        messages = [*messages, {"role": "user", "content": safe_text(message)}, {"role": "assistant", "content": THINKING}]
        yield messages, gr.skip(), gr.skip(), "", gr.skip(), gr.skip(), busy(THINKING)
        partial = ""
        for item in page.app.ask_stream(message, choice.names, history, choice.note):
            if isinstance(item, Answer):
                answers = [*answers, item]
                messages[-1] = {"role": "assistant", "content": answer_html(item, len(answers))}
                user = getattr(request, "username", None)
                kept = {"user": user, "answers": [a.to_dict() for a in answers[-KEPT_ANSWERS:]]}
                yield messages, evidence_html(answers), answers, "", kept, _export(sess, answers), ""
            else:
                partial += item
                messages[-1] = {"role": "assistant", "content": safe_text(partial)}
                yield messages, gr.skip(), gr.skip(), "", gr.skip(), gr.skip(), gr.skip()

    outputs = [chatbot, evidence, answers_state, question, stored, download, notice]
    inputs = [question, chatbot, answers_state, report_filter, region_filter, year_filter, session]
    for trigger in (question.submit, send.click, examples.load_input_event.then):  # an example is asked at once
        trigger(respond, inputs, outputs, concurrency_id="ask", show_progress="hidden")

    def new_chat(request: gr.Request):
        return [], evidence_html([]), [], "", {"user": getattr(request, "username", None), "answers": []}, "", "", {}

    reset = [chatbot, evidence, answers_state, question, stored, download, notice, feedback_ids]
    clear.click(new_chat, None, reset, show_progress="hidden")
    chatbot.clear(new_chat, None, reset, show_progress="hidden")  # the chat's own bin icon starts anew too

    @page.action(outputs=4)
    def on_like(messages: list, answers: list[Answer], ids: dict, data: gr.LikeData, request: gr.Request):
        number = sum(1 for m in messages[: data.index + 1] if m.get("role") == "assistant") if isinstance(data.index, int) else 0
        if not 1 <= number <= len(answers):
            raise Refused("这条消息不是回答，无法评价")
        rating = UP if data.liked is True or data.liked == "Like" else DOWN
        user = getattr(request, "username", None)
        feedback_id = page.app.record_feedback(answers[number - 1], rating, "", user, ids.get(number))
        ids = {**ids, number: feedback_id, "last": number}
        return ids, gr.Row(visible=True), "", "已记录评价，可在下方补充说明"

    chatbot.like(on_like, [chatbot, answers_state, feedback_ids], [feedback_ids, feedback_row, note, notice],
                 show_progress="hidden")

    @page.action(outputs=4)
    def on_note(text: str, answers: list[Answer], ids: dict, request: gr.Request):
        number = ids.get("last")
        if not number or number > len(answers):
            raise Refused("请先点击回答下方的 👍 或 👎")
        record = next((r for r in page.app.feedback() if r.id == ids[number]), None)
        rating = record.rating if record else UP
        page.app.record_feedback(answers[number - 1], rating, text or "", getattr(request, "username", None), ids[number])
        return gr.Row(visible=False), "", ids, "说明已保存，谢谢"

    save_note.click(on_note, [note, answers_state, feedback_ids], [feedback_row, note, feedback_ids, notice],
                    show_progress="hidden")
    return ChatPage(report_filter, region_filter, year_filter, chatbot, evidence, answers_state, stored, download)


def restore(stored: Any, sess: ExportSession | None, user: str | None) -> tuple[list, str, list[Answer], str]:
    """The conversation this browser kept (for this user), as chat messages, evidence and answers."""
    if not isinstance(stored, dict) or stored.get("user") != user:
        return [], evidence_html([]), [], ""
    answers = [a for a in (_answer(d) for d in stored.get("answers") or []) if a is not None]
    messages: list[dict] = []
    for turn, answer in enumerate(answers, start=1):
        messages += [{"role": "user", "content": safe_text(answer.question)},
                     {"role": "assistant", "content": answer_html(answer, turn)}]
    return messages, evidence_html(answers), answers, _export(sess, answers) if answers else ""


def _answer(data: dict) -> Answer | None:
    """An Answer from its to_dict() form; None for anything unreadable (an older or tampered entry)."""
    try:
        citations = [Citation(**c) for c in data.get("citations", [])]
        return Answer(data["question"], data["answer"], data["mode"], bool(data["refused"]), citations,
                      dict(data.get("timings_ms") or {}), list(data.get("notes") or []), data.get("model"),
                      data.get("checks"), data.get("standalone_question"), data.get("fallback_reason"))
    except (KeyError, TypeError, ValueError):
        return None


def _export(sess: ExportSession | None, answers: list[Answer]) -> str:
    """The conversation as Markdown in this session's folder, offered as a one-click download."""
    if sess is None or not answers:
        return ""
    path = sess.path_for("问答记录.md")
    path.write_text(conversation_markdown(answers), encoding="utf-8")
    return downloads_html([("下载对话记录（.md）", sess.url(path))])
