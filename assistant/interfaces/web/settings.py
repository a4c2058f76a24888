"""The 设置 page: what the app runs with, and the LLM (presets, model, key, 测试连接, 保存并启用).

The key is never sent to the page: its box is always empty and says whether one is saved. Values an
environment variable sets are shown locked, naming the variable. Only editors may change anything.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from assistant.config.saved_llm import Preset, presets
from assistant.interfaces.web.actions import ERROR, Page, Refused, busy
from assistant.interfaces.web.actions import notice as notice_line

KEY_SAVED = "已保存（不会显示）；留空则保持不变"
KEY_EMPTY = "需要时填写；保存后不再显示"


@dataclass
class SettingsPage:
    status: gr.HTML
    form: gr.Column
    viewer_note: gr.HTML
    load_outputs: list
    load: object  # the function filling the form and status, for the app's load event


def status_html(page: Page) -> str:
    rows = page.app.status_rows()
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="settings-table" id="status-rows">{body}</table>'


def build_settings(page: Page) -> SettingsPage:
    choices = presets()
    status = gr.HTML("", elem_id="status")
    viewer_note = gr.HTML('<p class="mode-line">当前为只读账号：大模型设置只有编辑人员可以修改。</p>', visible=False)
    with gr.Column() as form:
        gr.Markdown("#### 大模型设置")
        locked_note = gr.HTML("", elem_id="llm-locked", elem_classes=["slot"])
        preset = gr.Dropdown([(p.label, p.id) for p in choices], label="服务", elem_id="llm-preset")
        base_url = gr.Textbox(label="服务地址（OpenAI 兼容接口）", placeholder="例如 https://api.deepseek.com/v1",
                              elem_id="llm-base-url", max_lines=1)
        model = gr.Textbox(label="模型名称", placeholder="例如 deepseek-chat", elem_id="llm-model", max_lines=1)
        key = gr.Textbox(label="密钥", type="password", value="", placeholder=KEY_EMPTY, elem_id="llm-key", max_lines=1)
        clear_key = gr.Checkbox(label="清除已保存的密钥", elem_id="llm-clear-key")
        with gr.Row():
            test = gr.Button("测试连接", elem_id="test-llm")
            save = gr.Button("保存并启用", variant="primary", elem_id="llm-save")
        notice = gr.HTML("", elem_id="llm-result", elem_classes=["slot"])

    def values(preset_id: str, url: str, model_name: str, typed_key: str, clear: bool) -> dict:
        chosen = next((p for p in choices if p.id == preset_id), None)
        if chosen is None:
            raise Refused("请先选择服务")
        result = {"llm_provider": chosen.provider, "llm_base_url": (url or "").strip(), "llm_model": (model_name or "").strip()}
        if chosen.provider != "none" and not result["llm_model"]:
            raise Refused("请填写模型名称")
        if chosen.provider == "openai-compatible" and not result["llm_base_url"]:
            raise Refused("请填写服务地址，例如 http://127.0.0.1:11434/v1")
        result["llm_api_key"] = "" if clear else ((typed_key or "").strip() or None)
        return {k: v for k, v in result.items() if k not in page.app.llm_settings()["locked"]}

    def load():
        current = page.app.llm_settings()
        locked = current["locked"]
        note = ("以下设置由环境变量决定，页面不能修改：" + "、".join(locked.values())) if locked else ""
        return (status_html(page), _locked_line(note), gr.Dropdown(value=_matching(choices, current).id,
                interactive="llm_provider" not in locked), _box(current["llm_base_url"], "llm_base_url", locked),
                _box(current["llm_model"] if current["llm_provider"] != "none" or "llm_model" in locked else "", "llm_model", locked),
                gr.Textbox(value="", placeholder=KEY_SAVED if current["key_set"] else KEY_EMPTY,
                           interactive="llm_api_key" not in locked))

    def fill(preset_id: str):
        chosen = next((p for p in choices if p.id == preset_id), None)
        locked = page.app.llm_settings()["locked"]
        if chosen is None or chosen.id == "custom":
            return gr.skip(), gr.skip()
        return (gr.skip() if "llm_base_url" in locked else chosen.base_url,
                gr.skip() if "llm_model" in locked else chosen.model)

    @page.action(outputs=1, editor=True)
    def do_test(preset_id, url, model_name, typed_key, clear, request: gr.Request):
        yield busy("正在连接……")
        ok, text = page.app.check_llm(values(preset_id, url, model_name, typed_key, clear))
        yield "连接成功：" + text if ok else notice_line("连接失败：" + text, ERROR)

    @page.action(outputs=3, editor=True)
    def save_llm(preset_id, url, model_name, typed_key, clear, request: gr.Request):
        page.app.apply_llm_settings(values(preset_id, url, model_name, typed_key, clear))
        current = page.app.llm_settings()
        placeholder = KEY_SAVED if current["key_set"] else KEY_EMPTY
        used = "离线摘录模式（不使用大模型）" if page.app.provider is None else f"大模型 {page.app.provider.model}"
        return gr.Textbox(value="", placeholder=placeholder), False, f"已保存并启用：{used}，无需重启"

    form_inputs = [preset, base_url, model, key, clear_key]
    preset.input(fill, [preset], [base_url, model], show_progress="hidden")  # the user's choice, not the load
    test.click(do_test, form_inputs, [notice], concurrency_id="long", show_progress="hidden")
    save.click(save_llm, form_inputs, [key, clear_key, notice], show_progress="hidden").then(
        lambda: status_html(page), None, [status], show_progress="hidden")
    return SettingsPage(status, form, viewer_note, [status, locked_note, preset, base_url, model, key], load)


def _box(value: str, name: str, locked: dict) -> gr.Textbox:
    info = f"由环境变量 {locked[name]} 设定" if name in locked else None
    return gr.Textbox(value=value, interactive=name not in locked, info=info)


def _locked_line(text: str) -> str:
    return f'<p class="locked filled">{html.escape(text)}</p>' if text else ""


def _matching(choices: list[Preset], current: dict) -> Preset:
    """The preset the settings in use correspond to (a custom OpenAI-compatible server otherwise)."""
    if current["llm_provider"] == "none":
        return next(p for p in choices if p.provider == "none")
    for p in choices:
        if p.provider == current["llm_provider"] and p.base_url and p.base_url == current["llm_base_url"]:
            return p
    if current["llm_provider"] == "openai":
        return next(p for p in choices if p.provider == "openai")
    return next(p for p in choices if p.id == "custom")
