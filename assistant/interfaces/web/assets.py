"""What the browser gets besides the pages: styles, behaviour, a theme with readable contrast, and a
page that is Chinese from its first byte (<html lang="zh-CN">, Gradio's own words in Chinese whatever
language the browser asks for)."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr

from assistant.interfaces.web.document_html import DOCUMENT_CSS

STATIC = Path(__file__).with_name("static")
# Page styles after the documents' own, so that the page layout (matrix width, cards) wins.
CSS = DOCUMENT_CSS + (STATIC / "app.css").read_text(encoding="utf-8")
JS = (STATIC / "app.js").read_text(encoding="utf-8")
HEAD = '<meta name="description" content="法治报告助手：法治政府建设年度报告问答、对比与起草">'

# Gradio picks its interface language from navigator.language; users may run English browsers.
LOCALE_SCRIPT = (
    "<script>(function(){try{"
    "Object.defineProperty(Navigator.prototype,'language',{configurable:true,get:function(){return 'zh-CN';}});"
    "Object.defineProperty(Navigator.prototype,'languages',{configurable:true,get:function(){return ['zh-CN','zh'];}});"
    "}catch(e){}})();</script>"
)
_HTML_TAG = re.compile(rb'<html(\s[^>]*?)?\slang="[^"]*"', re.S)

# System fonts only (no Google Fonts fetch on an intranet); softer text raised to at least 4.5:1.
THEME = gr.themes.Default(
    primary_hue=gr.themes.colors.blue,
    font=["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "Consolas", "monospace"],
).set(
    body_text_color_subdued="*neutral_600",
    block_info_text_color="*neutral_600",
    block_label_text_color="*neutral_700",
    block_title_text_color="*neutral_800",
    input_placeholder_color="*neutral_500",
    color_accent="*primary_700",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_text_color="white",
    button_cancel_background_fill="#b91c1c",
    button_cancel_background_fill_hover="#991b1b",
    button_cancel_text_color="white",
    body_text_color_subdued_dark="*neutral_300",
    block_info_text_color_dark="*neutral_300",
)


def chinese_page(body: bytes) -> bytes:
    """The app's HTML with lang="zh-CN" and the locale fixed before any of Gradio's scripts run."""
    body = _HTML_TAG.sub(lambda m: b"<html" + (m.group(1) or b"") + b' lang="zh-CN"', body, count=1)
    return body.replace(b"<head>", b"<head>" + LOCALE_SCRIPT.encode(), 1)


class ChinesePage:
    """ASGI middleware: rewrites the HTML documents Gradio serves (the app and its login page)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        held: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message):
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    held["start"] = message
                    return
                await send(message)
                return
            if "start" not in held or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = chinese_page(b"".join(chunks))
            start = held["start"]
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, rewrite)
