"""The app around the pages: header, tabs, the per-session state, and one rule for the library —
every page reads it on load, on every tab switch and after every change, so nothing goes stale."""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from assistant.interfaces.web.access import EDITOR, ROLE_LABELS
from assistant.interfaces.web.actions import Page
from assistant.interfaces.web.chat import build_chat, restore
from assistant.interfaces.web.compare import build_compare
from assistant.interfaces.web.guards import BROWSER_COOKIE, login_token
from assistant.interfaces.web.html import report_label
from assistant.interfaces.web.library import build_library
from assistant.interfaces.web.library_html import library_html, queue_html
from assistant.interfaces.web.plan import build_plan
from assistant.interfaces.web.settings import build_settings, status_html
from assistant.interfaces.web.startup import Startup

STARTUP_POLL_S = 2.0
QUEUE_POLL_S = 1.0  # the vector queue's line and the library's counts move this often while vectors are built
# Gradio deletes a session's state this long after the tab closes; the export folder goes with it.
SESSION_STATE_TTL_S = 12 * 3600
# A file uploaded to Gradio but never imported (the page was closed first) is removed once this old,
# looked for this often; an import takes the file at once and deletes it when done.
ORPHAN_AGE_S = 3600
ORPHAN_CHECK_S = 600


@dataclass
class Choices:
    reports: list[tuple[str, str]]
    regions: list[str]
    years: list[str]
    versions: list[tuple[str, str]]
    places: list[str]  # the places whose reports form a series (the 历年 tab)


def choices(page: Page) -> Choices:
    metas = page.app.store.reports()
    labels = [report_label(m.region, m.year, m.name) for m in metas]
    reports = [(label if labels.count(label) == 1 else f"{label}（{m.name}）", m.name) for label, m in zip(labels, metas)]
    by_name = dict((name, label) for label, name in reports)
    versions = [(f"{by_name.get(n, n)} 的新版本（{n}）", n) for n in page.app.pending_versions()]
    places = list(dict.fromkeys(s.place for s in page.app.series()))
    return Choices(reports, sorted({m.region for m in metas if m.region}), sorted({str(m.year) for m in metas if m.year}),
                   versions, places)


def header_html(user: str | None, role: str, login: bool) -> str:
    who = f"当前用户：{html.escape(user or '')}（{ROLE_LABELS[role]}）" if login else "本机使用"
    return f'<h1>法治报告助手</h1><span class="who">法治政府建设年度报告问答与引用 · {who}</span>'


def build_app(page: Page, startup: Startup, browser_secret: str) -> gr.Blocks:
    with gr.Blocks(title="法治报告助手", delete_cache=(ORPHAN_CHECK_S, ORPHAN_AGE_S)) as demo:
        header = gr.HTML(header_html(None, EDITOR, False), elem_id="app-header")
        banner = gr.HTML(startup.banner(), elem_id="startup", elem_classes=["slot"])
        session = gr.State(None, time_to_live=SESSION_STATE_TTL_S, delete_callback=page.exports.close)
        with gr.Tabs():
            with gr.Tab("问答", id="chat") as chat_tab:
                chat = build_chat(page, session, browser_secret)
            with gr.Tab("报告库", id="library") as library_tab:
                library = build_library(page, session)
            with gr.Tab("对比", id="compare") as compare_tab:
                compare = build_compare(page, session)
            with gr.Tab("计划", id="plan") as plan_tab:
                plan = build_plan(page, session)
            with gr.Tab("设置", id="settings") as settings_tab:
                settings = build_settings(page)
        timer = gr.Timer(STARTUP_POLL_S, active=startup.busy)

        pickers = [chat.reports, chat.regions, chat.years, compare.reports, plan.target, library.chosen, library.versions,
                   library.summary_reports, compare.places]
        library_outputs = [library.table, *pickers, library.versions_box]

        def refresh(*current):
            """The library table and every report picker from the store, keeping what is still valid; the
            new-version controls only while a new version waits."""
            c = choices(page)
            lists = [c.reports, c.regions, c.years, c.reports, c.reports, c.reports, c.versions, c.reports, c.places]
            updates = [_dropdown(options, value) for options, value in zip(lists, current)]
            return (library_html(page.app.library()), *updates, gr.update(visible=bool(c.versions)))

        def on_load(stored, request: gr.Request):
            user = getattr(request, "username", None)
            role = page.role(request)
            cookies, app = _cookies_of(request)
            sess = page.exports.open(user, cookies.get(BROWSER_COOKIE), login_token(app, cookies) if user else None)
            editor = role == EDITOR
            messages, evidence, answers, download = restore(stored, sess, user)
            return (sess, header_html(user, role, page.access.login_required), startup.banner(),
                    *(gr.update(visible=editor) for _ in library.editor_parts), gr.update(visible=not editor),
                    gr.update(visible=editor), gr.update(visible=not editor),
                    messages, evidence, answers, download, *settings.load())

        # one event, the first the page sends: the settings form is filled before anyone can touch it
        load_outputs = [session, header, banner, *library.editor_parts, library.viewer_note, settings.form,
                        settings.viewer_note, chat.chatbot, chat.evidence, chat.answers, chat.download,
                        *settings.load_outputs]
        demo.load(on_load, [chat.stored], load_outputs, show_progress="hidden").then(
            refresh, pickers, library_outputs, show_progress="hidden")
        for event in library.changed:
            event.then(refresh, pickers, library_outputs, show_progress="hidden")
        for tab in (chat_tab, library_tab, compare_tab, plan_tab):
            tab.select(refresh, pickers, library_outputs, show_progress="hidden")
        # the status only: reloading the form here would undo what the user is choosing meanwhile
        settings_tab.select(lambda: status_html(page), None, [settings.status], show_progress="hidden")

        def tick(*current):
            return (startup.banner(), gr.Timer(active=startup.busy), *refresh(*current))

        timer.tick(tick, pickers, [banner, timer, *library_outputs], show_progress="hidden")

        queue_timer = gr.Timer(QUEUE_POLL_S)
        queue_seen = gr.State(None)

        def queue_tick(seen):
            """The queue's line whenever it changed (the seconds of a batch move it), and the table when the counts
            moved (not otherwise: a table redrawn every second would jump under the user's eyes)."""
            queue = page.app.vector_status()
            line, counts = queue_html(queue), (queue.waiting, queue.report, queue.done)
            last_line, last_counts = seen or (None, None)
            return (gr.skip() if line == last_line else line,
                    gr.skip() if counts == last_counts else library_html(page.app.library()), (line, counts))

        queue_timer.tick(queue_tick, [queue_seen], [library.queue, library.table, queue_seen], show_progress="hidden")
    return demo


def _cookies_of(request: gr.Request) -> tuple[dict[str, str], object]:
    """The cookies of the request that loaded the page, and the Gradio app that served it."""
    raw = getattr(request, "request", None)
    if raw is not None:
        return dict(raw.cookies), raw.app
    return dict(getattr(request, "kwargs", {}).get("cookies") or {}), None


def _dropdown(options: list, value) -> gr.Dropdown:
    """New choices; the value is sent only when it must change (a pick made meanwhile is not undone)."""
    valid = {o[1] if isinstance(o, tuple) else o for o in options}
    if isinstance(value, list):
        kept = [v for v in value if v in valid]
    else:
        kept = value if value in valid else None
    return gr.Dropdown(choices=options) if kept == value else gr.Dropdown(choices=options, value=kept)
