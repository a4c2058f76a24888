"""Layout the 对比 and 计划 pages share: controls with their downloads beside the button, the document
at full width, and its evidence in a sheet that opens on a citation click (a side panel on a desktop,
a bottom sheet on a phone) without moving the page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import gradio as gr

from assistant.interfaces.web.html import downloads_html, sheet_bar, sheet_opener
from assistant.interfaces.web.sessions import ExportSession


@dataclass
class DocumentArea:
    notice: gr.HTML
    document: gr.HTML
    evidence: gr.HTML


def document_area(scope: str, evidence_title: str, empty: str) -> DocumentArea:
    notice = gr.HTML("", elem_id=f"{scope}-notice", elem_classes=["slot"])
    gr.HTML(sheet_opener(f"{scope}-evidence-col", f"查看{evidence_title}"), elem_classes=["opener-always"])
    document = gr.HTML(f'<p class="ev-empty">{empty}</p>', elem_id=f"{scope}-document")
    with gr.Column(elem_id=f"{scope}-evidence-col", elem_classes=["ev-sheet-always"]):
        gr.HTML(sheet_bar(evidence_title), elem_classes=["sheet-head"])
        evidence = gr.HTML("", elem_id=f"{scope}-evidence")
    return DocumentArea(notice, document, evidence)


def write_downloads(sess: ExportSession | None, writers: list[tuple[str, str, Callable[[Path], None]]]) -> str:
    """Write each (label, file name, writer) into the session's folder; the links to them, one click each."""
    if sess is None:
        return downloads_html([], "页面会话已过期，刷新页面后可下载")
    links = []
    for label, filename, writer in writers:
        path = sess.path_for(filename)
        writer(path)
        links.append((label, sess.url(path)))
    return downloads_html(links)
