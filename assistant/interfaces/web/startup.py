"""First start: the page is served at once while the bundled sample reports are imported and the
search models load in the background; every page shows how far that has come."""

from __future__ import annotations

import html
import logging
import threading
from pathlib import Path

from assistant.service import Assistant
from assistant.store.ingestion import ERROR, FileResult, IngestProgress

log = logging.getLogger("report-assistant.web")
IMPORTING, WARMING, READY, FAILED = "importing", "warming", "ready", "failed"


class Startup(IngestProgress):
    """The state of the background start-up work, read by every session's page."""

    def __init__(self):
        self.state = WARMING
        self.total = 0
        self.done = 0
        self.current = ""
        self.failed: list[str] = []

    @property
    def busy(self) -> bool:
        return self.state in (IMPORTING, WARMING)

    def file_started(self, path: Path, index: int, total: int) -> None:
        self.total, self.done, self.current = total, index, path.name

    def file_finished(self, result: FileResult) -> None:
        self.done += 1
        if result.status == ERROR:
            self.failed.append(result.name)

    def banner(self) -> str:
        if self.state == IMPORTING:
            text = (f"首次启动：正在导入示例报告（{self.done}/{self.total or '…'}）。页面可以正常使用，"
                    "导入完成前问答只涵盖已导入的报告，报告库会自动更新。")
        elif self.state == WARMING:
            text = "正在加载检索模型，首个问题可能稍慢……"
        elif self.state == FAILED:
            text = "示例报告导入未完成，详情见服务日志；可在“报告库”页上传报告。"
        else:
            return ""
        return f'<div class="banner filled" role="status">{html.escape(text)}</div>'


def start_background(app: Assistant, samples: Path) -> Startup:
    """Import the samples when the library is empty, then warm the indexes and the embedding model."""
    startup = Startup()

    def work():
        try:
            if not app.library() and samples.is_dir():
                startup.state = IMPORTING
                log.info("报告库为空，导入示例报告 %s", samples)
                results = app.ingest([samples], startup)
                for r in results:
                    log.info("%s: %s %s", r.name, r.status, r.reason)
                startup.state = WARMING
            app.retrieve("法治政府建设")  # jieba, the BM25 index and the embedding model, before the first user asks
            startup.state = READY
        except Exception:  # noqa: BLE001 - the app keeps serving; the operator reads the log
            log.exception("start-up work failed")
            startup.state = FAILED

    threading.Thread(target=work, name="startup", daemon=True).start()
    return startup
