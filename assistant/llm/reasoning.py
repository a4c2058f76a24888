"""Reasoning models' thinking kept apart from their answers.

DeepSeek's API and vLLM/Ollama with a reasoning parser send the thinking as `reasoning_content`
deltas; served without a parser (or as Qwen3/QwQ through some gateways) the same models write it into
the content between <think> and </think>, sometimes with the opening tag already in the prompt so
that only </think> appears. None of it is ever the answer, and none of it is checked as claims.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_TAG, CLOSE_TAG = "<think>", "</think>"


@dataclass(frozen=True)
class Delta:
    text: str
    reasoning: bool = False
    # A lone </think> showed that the answer text streamed so far was thinking: drop it from the answer.
    retract: bool = False


class ThinkSplitter:
    """Splits streamed content into answer and <think> pieces; a tag may arrive cut in two."""

    def __init__(self):
        self.state = "start"  # start → (think →) answer
        self.buffer = ""
        self.answered = ""  # answer text given out so far (taken back if a lone </think> follows)

    def feed(self, text: str) -> list[Delta]:
        self.buffer += text
        out: list[Delta] = []
        while self.buffer:
            if self.state == "start":
                stripped = self.buffer.lstrip()
                if stripped.startswith(OPEN_TAG):
                    self.buffer, self.state = stripped[len(OPEN_TAG) :], "think"
                elif OPEN_TAG.startswith(stripped):
                    break  # "<thi": wait for the rest of the tag
                else:
                    self.state = "answer"
            elif self.state == "think":
                end = self.buffer.find(CLOSE_TAG)
                if end < 0:
                    keep = _partial_tag_length(self.buffer, CLOSE_TAG)
                    if len(self.buffer) > keep:
                        out.append(Delta(self.buffer[: len(self.buffer) - keep], reasoning=True))
                        self.buffer = self.buffer[len(self.buffer) - keep :]
                    break
                if end:
                    out.append(Delta(self.buffer[:end], reasoning=True))
                self.buffer, self.state = self.buffer[end + len(CLOSE_TAG) :].lstrip(), "answer"
            else:
                keep = _partial_tag_length(self.buffer, CLOSE_TAG)
                text, self.buffer = self.buffer[: len(self.buffer) - keep], self.buffer[len(self.buffer) - keep :]
                if CLOSE_TAG in text:  # only the closing tag: what came before was thinking
                    thought, _, text = text.partition(CLOSE_TAG)
                    out.append(Delta(self.answered + thought, reasoning=True, retract=bool(self.answered)))
                    self.answered = ""
                    text = text.lstrip()
                if text:
                    self.answered += text
                    out.append(Delta(text))
                break
        return out

    def finish(self) -> list[Delta]:
        rest, self.buffer = self.buffer, ""
        if not rest:
            return []
        return [Delta(rest, reasoning=self.state == "think")]


def _partial_tag_length(text: str, tag: str) -> int:
    """How many characters at the end of `text` could be the start of `tag` (hold them back)."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
