"""HTML of the library page: the reports with every metadata field, import results and progress."""

from __future__ import annotations

import dataclasses
import re

from ingest.model import ReportMeta

from assistant.interfaces.web.html import safe_line
from assistant.service import LibraryRow
from assistant.store.ingestion import ERROR, NEW_VERSION, FileResult

# Every ReportMeta field as the page names it, in the order the table and the form show them.
FIELD_LABELS = {
    "region": "地区", "year": "工作年份", "plan_year": "计划年份", "level": "级别", "province": "省份", "city": "城市", "aliases": "别名",
    "division_code": "区划代码", "author": "发布机关", "speaker": "报告人", "doc_type": "文件类型", "published": "发布日期", "title": "标题",
}
UNCERTAIN = "待确认"
# File names up to this wide (a Chinese character counting two) stay on one line in the desktop table (the
# 标题 column wraps instead); longer ones wrap.
ONE_LINE_NAME_WIDTH = 40


def meta_fields() -> list[str]:
    """The metadata fields shown, in FIELD_LABELS order, then any the model gains that has a label."""
    names = [f.name for f in dataclasses.fields(ReportMeta)]
    return [f for f in FIELD_LABELS if f in names]


def field_text(meta: ReportMeta, field: str) -> str:
    value = getattr(meta, field, None)
    if isinstance(value, (tuple, list)):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def library_html(rows: list[LibraryRow]) -> str:
    if not rows:
        return '<p class="ev-empty">报告库还是空的：请在下方上传报告。</p>'
    fields = meta_fields()
    vectors = any(row.embedded is not None for row in rows)
    head = ("".join(f"<th>{FIELD_LABELS[f]}</th>" for f in fields) + "<th>段落/块</th>"
            + ("<th>已向量化</th>" if vectors else "") + "<th>文件</th>")
    body = []
    for row in rows:
        cells = [_cell(row.meta, f) for f in fields]
        cells.append(f'<td data-label="段落/块">{row.paragraphs} / {row.chunks}</td>')
        if vectors:
            waiting = " status-wait" if (row.embedded or 0) < row.chunks else ""
            cells.append(f'<td class="vectors{waiting}" data-label="已向量化">{row.embedded or 0} / {row.chunks}</td>')
        short = " one-line" if _display_width(row.meta.name) <= ONE_LINE_NAME_WIDTH else ""
        cells.append(f'<td class="file{short}" data-label="文件">{safe_line(row.meta.name)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    count = f'<p class="mode-line">共 {len(rows)} 份报告；标有“{UNCERTAIN}”的信息是自动识别、尚未确认的，编辑人员可在下方更正。</p>'
    return f'{count}<div class="lib-wrap"><table class="lib" id="library-rows"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(meta: ReportMeta, field: str) -> str:
    text = safe_line(field_text(meta, field))
    flag = f' <span class="tbc">{UNCERTAIN}</span>' if field in meta.uncertain else ""
    return f'<td data-label="{FIELD_LABELS[field]}">{text}{flag}</td>'


def results_html(results: list[FileResult]) -> str:
    """One line per file: what happened to it and why, in the order the files were given."""
    if not results:
        return ""
    items = []
    for r in results:
        css = "status-error" if r.status == ERROR else "status-wait" if r.status == NEW_VERSION else "status-ok"
        what = " ".join(x for x in (r.region, f"{r.year}年" if r.year else None) if x)
        counts = f"{r.paragraphs} 段 / {r.chunks} 块" if r.chunks else ""
        parts = [f'<span class="file-name">{safe_line(r.name)}</span>', f'<span class="{css}">{safe_line(r.label)}</span>',
                 *(f"<span>{safe_line(x)}</span>" for x in (what, counts) if x)]
        reason = f'<div class="reason">{safe_line(_no_paths(r.reason))}</div>' if r.reason else ""
        items.append(f'<li>{" ".join(parts)}{reason}</li>')
    return f'<ul class="results filled" id="upload-rows">{"".join(items)}</ul>'


_PATH_RE = re.compile(r"(?:/[^/\s：，。；）)]+)+/([^/\s：，。；）)]+)")


def _no_paths(text: str) -> str:
    """A reason as the page shows it: any server path (from a library's message) cut to its file name."""
    return _PATH_RE.sub(r"\1", text)


def queue_html(queue) -> str:
    """The vector queue above the library: chunks waiting, the report being vectorised (a bar of its chunks)."""
    if not queue.waiting:
        return ""
    share = int(100 * queue.done / queue.total) if queue.total else 0
    batch = f"（正在计算 {queue.batch} 块，已用 {queue.seconds:.0f} 秒）" if queue.batch else ""
    line = (f"正在后台建立向量：{queue.report} 已向量化 {queue.done}/{queue.total} 块{batch}，全库还有 {queue.waiting} 块待建。"
            "这些报告已可按关键词检索，向量建好后问答同时按语义检索。")
    error = f'<div class="reason status-error">{safe_line(queue.error)}</div>' if queue.error else ""
    return (f'<div class="progress-line filled" role="status">{safe_line(line)}</div>'
            f'<div class="progress-bar"><span style="width:{share}%"></span></div>{error}')


def progress_html(done: int, total: int, current: str, chunks: int, finished: list[FileResult],
                  pages: tuple[int, int] | None = None, seconds: float = 0.0) -> str:
    """Import progress: files done of total, the current file, its pages read (a PDF), the seconds it has
    taken so far (the line moves while a large file is parsed), then the files done."""
    share = 0 if total == 0 else int(100 * done / total)
    reading = f"已读取 {pages[0]}/{pages[1]} 页，" if pages and not chunks else ""
    stage = f"已写入检索索引 {chunks} 块" if chunks else "正在解析和建立关键词索引"
    line = (f"正在导入第 {min(done + 1, total)}/{total} 个文件：{current}，{reading}{stage}（{seconds:.1f} 秒）" if done < total
            else f"已处理 {total} 个文件")
    return (f'<div class="progress-line filled" role="status">{safe_line(line)}</div>'
            f'<div class="progress-bar"><span style="width:{share}%"></span></div>{results_html(finished)}')
