"""Starting the browser app: refuse unsafe settings in one Chinese line, keep Gradio's files inside the
data directory, serve only each session's own exports, speak Chinese from the first byte, and serve
the page at once while start-up work runs in the background."""

from __future__ import annotations

import logging
import os
import secrets
import sys
import time
from pathlib import Path

from assistant.config.settings import Settings, load_settings
from assistant.interfaces.web.access import Access, AccessError

log = logging.getLogger("report-assistant.app")


def fail(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
    sys.exit(2)


def prepare_web_dir(settings: Settings) -> Path:
    """The app's private folder in the data directory; Gradio's uploads and cache go there, not to /tmp."""
    web = settings.web_dir.resolve()
    cache = web / "gradio"
    cache.mkdir(parents=True, exist_ok=True)
    for folder in (web, cache):
        folder.chmod(0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(cache)
    os.environ["GRADIO_EXAMPLES_CACHE"] = str(cache / "examples")
    return web


def browser_secret(web: Path) -> str:
    """A key for the conversation kept in each browser, stable across restarts, readable by the owner only."""
    path = web / "browser-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def blocked_paths(settings: Settings) -> list[str]:
    """Defence in depth: the store, uploads, saved key and exports, refused by Gradio's file route even
    through a link (Gradio resolves paths before comparing). Gradio serves only its own folder anyway:
    no allowed_paths are given."""
    library = settings.library_path.resolve()
    paths = [library, library.with_name(library.name + "-wal"), library.with_name(library.name + "-shm"),
             settings.chroma_path, settings.lexical_dir, settings.uploads_dir, settings.llm_file,
             settings.web_dir / "exports", settings.web_dir / "browser-secret"]
    return [str(Path(p).resolve()) for p in paths]


def main() -> None:
    """Start the app; Ctrl-C at any moment (loading, importing samples, serving) ends it with one Chinese line."""
    from assistant.interfaces.interrupt import seen, stop, watch

    watch()
    try:
        demo = _start()
    except KeyboardInterrupt:
        stop("已中断：应用未启动。")
    if seen():  # Ctrl-C swallowed by a library while the app loaded
        stop("已中断：应用未启动。")
    try:
        while demo.is_running:  # Gradio's own wait would say "Keyboard interruption…" in English
            time.sleep(WAIT_STEP_S)
    except KeyboardInterrupt:
        stop("已中断：应用已关闭。")


# How often the main thread looks whether the server still runs.
WAIT_STEP_S = 0.2


def _start():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own start-up requests, in English
    try:
        settings = load_settings()
        access = Access.from_settings(settings)
    except AccessError as exc:
        fail(str(exc))
    except ValueError as exc:  # SettingsError: the variable and what it accepts, in Chinese
        fail(f"无法启动：{exc}")
    web = prepare_web_dir(settings)

    from starlette.middleware import Middleware

    from assistant.interfaces.web.actions import Page
    from assistant.interfaces.web.assets import CSS, HEAD, JS, THEME, ChinesePage
    from assistant.interfaces.web.guards import Guard
    from assistant.interfaces.web.sessions import ExportRegistry
    from assistant.interfaces.web.shell import build_app
    from assistant.interfaces.web.startup import start_background
    from assistant.service import Assistant

    try:
        app = Assistant(settings)
    except Exception as exc:  # noqa: BLE001 - a store that cannot be opened ends with one line
        from assistant.store.open_errors import open_failure

        fail(f"无法启动：无法打开报告库：{open_failure(exc)}")
    if settings.queue_in_app:
        app.start_vector_worker()  # vectors of uploads built in the background, the queue resumed after a restart
    exports = ExportRegistry(web / "exports", settings.export_ttl_hours)
    startup = start_background(app, settings.samples_dir)
    demo = build_app(Page(app, access, exports), startup, browser_secret(web))
    demo.queue(default_concurrency_limit=settings.concurrency)
    print(f"法治报告助手已启动：http://{settings.host}:{settings.port}", flush=True)
    demo.launch(
        server_name=settings.host, server_port=settings.port, quiet=True, show_error=False, footer_links=[],
        auth=access.check_password if access.login_required else None, auth_message="请使用管理员分配的账号登录",
        allowed_paths=[], blocked_paths=blocked_paths(settings), ssr_mode=False, mcp_server=False,
        max_file_size=f"{settings.upload_max_mb}mb",
        app_kwargs={"routes": [exports.route(access.login_required)],
                    "middleware": [Middleware(ChinesePage),
                                   Middleware(Guard, access=access, max_upload_bytes=settings.upload_max_mb * 2**20)]},
        theme=THEME, css=CSS, js=JS, head=HEAD, prevent_thread_lock=True,
    )
    return demo
