"""Terminal rendering of answers, ingest summaries and the library (rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from assistant.answering.answer import Answer, mode_text, timing_text
from assistant.store.ingestion import ERROR, FileResult, IngestProgress
from assistant.service import LibraryRow


class BarProgress(IngestProgress):
    """Bars: files done, the pages of a PDF read (shown once one is), chunks embedded in the current file."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=True)
        self.files = None
        self.chunks = None
        self.pages = None
        self.vectors = None
        self.vector_total = 0
        self.name = ""

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def file_started(self, path: Path, index: int, total: int) -> None:
        if self.files is None:
            self.files = self.progress.add_task("文件", total=total)
            self.chunks = self.progress.add_task("段落块", total=None)
        self.progress.update(self.chunks, description=f"段落块 {path.name}", completed=0, total=None)
        self.name = path.name
        if self.pages is not None:
            self.progress.update(self.pages, description="页面", completed=0, total=None)

    def pages_done(self, done: int, total: int) -> None:
        if self.pages is None:
            self.pages = self.progress.add_task("页面", total=total)
        self.progress.update(self.pages, description=f"页面 {self.name}", completed=done, total=total)

    def chunks_done(self, count: int) -> None:
        self.progress.advance(self.chunks, count)

    def file_finished(self, result: FileResult) -> None:
        self.progress.advance(self.files)
        if result.chunks:
            self.progress.update(self.chunks, total=result.chunks, completed=result.chunks)

    def vectors_done(self, queue) -> None:
        """The vector queue after the files are in: chunks vectorised of those waiting when it began."""
        if self.vectors is None:
            if not queue.waiting:
                return
            self.vectors = self.progress.add_task("向量", total=queue.waiting)
            self.vector_total = queue.waiting
        done = self.vector_total - queue.waiting
        self.progress.update(self.vectors, completed=done, description=f"向量 {queue.report}" if queue.report else "向量")


def ingest_table(results: list[FileResult]) -> Table:
    table = Table(title="导入结果")
    for column in ("文件", "地区", "年份", "段落", "块", "状态"):
        table.add_column(column)
    for r in results:
        status = f"{r.label}：{r.reason}" if r.status == ERROR else r.label
        if r.status != ERROR and r.reason:
            status += f"（{r.reason}）"
        style = "red" if r.status == ERROR else None
        table.add_row(r.name, r.region or "?", str(r.year or "?"), str(r.paragraphs), str(r.chunks), status, style=style)
    return table


REVIEW_MARK = "待确认"  # a field inferred without confidence, until the user confirms it


def library_table(rows: list[LibraryRow]) -> Table:
    """One row per report: area and its official standing, document type, year, date; 待确认 where unsure."""
    table = Table(title="报告库")
    vectors = any(row.embedded is not None for row in rows)
    for column in ("文件", "地区", "级别", "省份", "城市", "区划代码", "类型", "工作年份", "计划年份", "发布日期", "段落", "块",
                   *(("已向量化/总数",) if vectors else ())):
        table.add_column(column)
    for row in rows:
        m = row.meta
        cell = lambda field, text: _reviewed(text, field in m.uncertain)  # noqa: E731
        built = (Text(f"{row.embedded}/{row.chunks}", style="yellow" if row.embedded < row.chunks else ""),) if vectors else ()
        table.add_row(m.name, cell("region", m.region or "?"), cell("level", m.level or ""),
                      cell("province", m.province or ""), cell("city", m.city or ""), m.division_code or "",
                      m.doc_type, cell("year", str(m.year or "?")), str(m.plan_year or ""), m.published or "", str(row.paragraphs),
                      str(row.chunks), *built)
    return table


def queue_line(queue) -> str | None:
    """The vector queue in one line, or None when nothing waits."""
    if not queue.waiting:
        return None
    line = f"向量化队列：还有 {queue.waiting} 块待建；正在处理 {queue.report}（已向量化 {queue.done}/{queue.total} 块）"
    return f"{line}。{queue.error}" if queue.error else f"{line}。这些报告已可按关键词检索。"


def _reviewed(text: str, uncertain: bool) -> Text:
    return Text(f"{text}（{REVIEW_MARK}）", style="yellow") if uncertain else Text(text)


def _by_paragraph(citations: list) -> list[list]:
    """Citations grouped by the paragraph they quote, in the order of their first number."""
    groups: dict[str, list] = {}
    for c in citations:
        groups.setdefault(c.paragraph_id, []).append(c)
    return list(groups.values())


def print_answer(console: Console, answer: Answer) -> None:
    if answer.standalone_question:
        console.print(Text(f"（按独立问题检索：{answer.standalone_question}）", style="dim"))
    if answer.fallback_reason:
        console.print(Text(f"未使用大模型：{answer.fallback_reason}；以下为离线摘录答案。", style="yellow"))
    # Chinese has no spaces to break at: the terminal wraps the answer, not rich (which would move a
    # whole list item to the next line, leaving its "- " alone).
    console.print(Text(answer.answer, style="bold" if not answer.refused else "yellow"), soft_wrap=True)
    for note in answer.notes:
        console.print(Text(f"注：{note}", style="yellow"), soft_wrap=True)
    if answer.citations:
        console.print()
        console.print(Text("来源", style="underline"))
    plain = not console.is_terminal  # a file or a pipe keeps no style: the quoted sentence gets 【】
    for paragraph in _by_paragraph(answer.citations):  # a paragraph quoted several times is shown once
        first = paragraph[0]
        numbers = "".join(f"[{c.n}]" for c in paragraph)
        head = (f"{numbers} {first.region or '?'} {first.year or '?'}年 · {first.report} · {first.section or '（导语）'} · "
                f"{first.paragraph_id}{first.origin_note}")
        console.print(Text(head, style="cyan"), soft_wrap=True)
        body, at = Text("    "), 0
        for c in sorted(paragraph, key=lambda c: c.quote_start):
            body.append(first.text[at : max(at, c.quote_start)])
            quote = first.text[max(at, c.quote_start) : c.quote_end]
            body.append(f"【{quote}】" if plain and quote else quote, style="bold reverse")
            at = max(at, c.quote_end)
        body.append(first.text[at:])
        console.print(body, soft_wrap=True)
    console.print(Text(f"模式：{mode_text(answer.mode, answer.model, answer.checks)}  {timing_text(answer.timings_ms)}", style="dim"))



