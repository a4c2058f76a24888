"""Layout the 对比 and 计划 pages share: controls with their downloads beside the button, the document
at full width, and its evidence in a sheet that opens on a citation click (a side panel on a desktop,
a bottom sheet on a phone) without moving the page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import gradio as gr

from assistant.interfaces.web.actions import DraftProgress, Finished, busy, in_worker
from assistant.interfaces.web.document_html import sources_html
from assistant.interfaces.web.html import downloads_html, sheet_bar, sheet_opener
from assistant.interfaces.web.sessions import ExportSession


@dataclass
class DocumentArea:
    scope: str
    evidence_title: str
    notice: gr.HTML
    document: gr.HTML
    evidence: gr.HTML

    def outputs(self, downloads: gr.HTML) -> list:
        """The components `drafted` fills, in its order."""
        return [self.document, self.evidence, downloads, self.notice]


def document_area(scope: str, evidence_title: str, empty: str) -> DocumentArea:
    notice = gr.HTML("", elem_id=f"{scope}-notice", elem_classes=["slot"])
    gr.HTML(sheet_opener(f"{scope}-evidence-col", f"查看{evidence_title}"), elem_classes=["opener-always"])
    document = gr.HTML(f'<p class="ev-empty">{empty}</p>', elem_id=f"{scope}-document")
    with gr.Column(elem_id=f"{scope}-evidence-col", elem_classes=["ev-sheet-always"]):
        gr.HTML(sheet_bar(evidence_title), elem_classes=["sheet-head"])
        evidence = gr.HTML("", elem_id=f"{scope}-evidence")
    return DocumentArea(scope, evidence_title, notice, document, evidence)


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


# (link label, file suffix, writer(document, path)): one download of a drafted document.
Download = tuple[str, str, Callable[[Any, Path], None]]


def markdown_file(render: Callable[[Any], str]) -> Callable[[Any, Path], None]:
    return lambda doc, path: path.write_text(render(doc), encoding="utf-8")


def drafted(area: DocumentArea, working: str, job: Callable[[DraftProgress], Any], render: Callable[[Any], str],
            stem: Callable[[Any], str], files: list[Download], sess: ExportSession | None):
    """A drafting job's page updates (document, evidence, downloads, notice): the busy line, the model's
    progress while `job(progress)` runs in a worker, then the document, its sources and its downloads."""
    yield gr.skip(), gr.skip(), "", busy(working)
    progress = DraftProgress(working)
    for item in in_worker(lambda: job(progress), progress.line):
        if not isinstance(item, Finished):
            yield gr.skip(), gr.skip(), gr.skip(), item
    result = item.value
    links = write_downloads(sess, [(label, f"{stem(result)}{suffix}", lambda p, w=write: w(result, p))
                                   for label, suffix, write in files])
    yield render(result), sources_html(result.citations, area.scope, area.evidence_title), links, ""
