"""Question commands: ask, chat, check-llm."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Optional

import typer

from assistant.interfaces.cli.common import (
    PROVIDER_HELP,
    app,
    console,
    err,
    llm_settings,
    open_assistant,
    run_or_exit,
)


@app.command()
def ask(
    question: str = typer.Argument(..., metavar="问题", help="问题（用中文）"),
    report: Optional[list[str]] = typer.Option(None, "--report", help="只查这些报告文件"),
    region: Optional[list[str]] = typer.Option(None, "--region", help="只查这些地区的报告"),
    year: Optional[list[int]] = typer.Option(None, "--year", help="只查这些年份的报告"),
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    model: Optional[str] = typer.Option(None, "--model", help="大模型名称（默认取 RA_LLM_MODEL）"),
    stream: bool = typer.Option(True, "--stream/--no-stream", help="边生成边显示大模型的回答"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出回答"),
) -> None:
    """根据报告回答问题，每句注明出处。"""
    assistant = open_assistant(llm_settings(provider, model))
    choice = assistant.choose_reports([Path(r).name for r in report or []], region, year)
    _answer(assistant, question, choice.names, [], stream and not as_json, as_json, choice.note)


@app.command()
def chat(
    provider: Optional[str] = typer.Option(None, "--provider", help=PROVIDER_HELP),
    model: Optional[str] = typer.Option(None, "--model", help="大模型名称（默认取 RA_LLM_MODEL）"),
    save: Optional[Path] = typer.Option(None, "--save", help="结束时将对话存为 Markdown 文件"),
) -> None:
    """在终端里连续问答，能理解追问（如 那绥滨县呢？）。"""
    from assistant.answering.conversation import Turn
    from assistant.exports.markdown import conversation_markdown

    assistant = open_assistant(llm_settings(provider, model))
    history: list[Turn] = []
    answers = []
    console.print("法治报告助手：输入问题，空行或 Ctrl-D 退出。")
    while True:
        try:
            question = console.input("[bold]问：[/bold]").strip()
        except EOFError:
            break
        if not question:
            break
        answer = _answer(assistant, question, None, history, True, False)
        answers.append(answer)
        history.append(Turn.of(answer))
    if save:
        save.write_text(conversation_markdown(answers), encoding="utf-8")
        console.print(f"已保存到 {save}")



def _answer(assistant, question: str, reports_filter, history, stream: bool, as_json: bool, scope_note: str | None = None):
    from assistant.answering.answer import Answer
    from assistant.interfaces.terminal import print_answer

    answer = None
    streamed = False
    items = assistant.ask_stream(question, reports_filter, history, scope_note)
    first = run_or_exit(lambda: next(items))  # a usage problem (an empty question) is said before anything prints
    for item in itertools.chain([first], items):
        if isinstance(item, Answer):
            answer = item
        elif stream:
            console.print(item, end="", highlight=False, markup=False)
            streamed = True
    if streamed:
        console.print("\n")
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(console, answer)
    return answer



@app.command("check-llm")
def check_llm() -> None:
    """向已配置的大模型发一个很小的请求，看它是否回应。"""
    ok, message = open_assistant().check_llm()
    (console if ok else err).print(message)
    raise typer.Exit(0 if ok else 1)
