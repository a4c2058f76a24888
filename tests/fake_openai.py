"""A scripted OpenAI-compatible chat server on 127.0.0.1 for tests: real HTTP, real SSE, real failures.

Push replies in order with `server.reply(text)`, or failures with `server.fail(status)` /
`server.hang(seconds)`; every request body is kept in `server.requests`. It behaves like the models
people serve: `reply(text, reasoning=…)` streams `reasoning_content` deltas first (DeepSeek-R1 on its
API, vLLM/Ollama with a reasoning parser), a text holding <think>…</think> is what the same models send
without one, `delay` is a slow model (seconds before the first byte), `fail(429, retry_after=2)` a
rate limit with a Retry-After header, `garbage(kind)` a server that answers what no OpenAI client can read
(bytes that are not UTF-8, events that are not JSON, an HTML page, JSON of another shape). Requests are served in parallel; `server.times` records when
each request arrived and finished.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK_CHARS = 4


class FakeOpenAI:
    def __init__(self):
        self.script: deque[dict] = deque()
        self.requests: list[dict] = []
        self.times: list[tuple[float, float]] = []  # (arrived, answered) per request, time.monotonic()
        self.default = {"text": "报告中未提及相关内容。"}
        handler = type("Handler", (_Handler,), {"owner": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def start(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reply(self, text: str, reasoning: str | None = None, delay: float = 0.0) -> None:
        self.script.append({"text": text, "reasoning": reasoning, "delay": delay})

    def fail(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        for _ in range(times):
            self.script.append({"status": status, "retry_after": retry_after})

    def garbage(self, kind: str) -> None:
        assert kind in GARBAGE, kind
        self.script.append({"garbage": kind})

    def hang(self, seconds: float) -> None:
        self.script.append({"hang": seconds})

    def next(self) -> dict:
        return self.script.popleft() if self.script else self.default

    def user_messages(self) -> list[str]:
        return [m["content"] for r in self.requests for m in r.get("messages", []) if m["role"] == "user"]


class _Handler(BaseHTTPRequestHandler):
    owner: FakeOpenAI

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        arrived = time.monotonic()
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.owner.requests.append(body)
        step = self.owner.next()
        try:
            self._answer(body, step)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: as a real server sees it
            pass
        self.owner.times.append((arrived, time.monotonic()))

    def _answer(self, body: dict, step: dict) -> None:
        if "garbage" in step:
            content_type, data = GARBAGE[step["garbage"]]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if "hang" in step:
            time.sleep(step["hang"])
            step = {"status": 504}
        if "status" in step:
            headers = {"Retry-After": f"{step['retry_after']:g}"} if step.get("retry_after") is not None else {}
            self._json(step["status"], {"error": {"message": f"scripted {step['status']}", "type": "test", "code": step["status"]}},
                       headers)
            return
        time.sleep(step.get("delay") or 0.0)
        if body.get("stream"):
            self._stream(body, step["text"], step.get("reasoning"))
        else:
            self._json(200, _completion(body, step["text"], step.get("reasoning")))

    def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict, text: str, reasoning: str | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        first = True
        for field, value in (("reasoning_content", reasoning or ""), ("content", text)):
            for i in range(0, len(value), CHUNK_CHARS):
                delta = {field: value[i : i + CHUNK_CHARS]}
                if first:
                    delta["role"], first = "assistant", False
                self._event(_chunk(body, delta, None))
        self._event(_chunk(body, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict) -> None:
        self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
        self.wfile.flush()


# What a broken or wrong server sends with a 200: content type and body.
GARBAGE = {
    "bytes": ("text/event-stream; charset=utf-8", b'data: {"choices": [{"index": 0, "delta": {"content": "\xff\xfe\xc3"}}]}\n\n'),
    "json": ("text/event-stream", b"data: {not json at all\n\n"),
    "html": ("text/html", "<html><body>网关错误</body></html>".encode()),
    "shape": ("text/event-stream", b'data: {"unexpected": true}\n\ndata: [DONE]\n\n'),
}


def _chunk(body: dict, delta: dict, finish: str | None) -> dict:
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model", "test"), "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _completion(body: dict, text: str, reasoning: str | None = None) -> dict:
    message = {"role": "assistant", "content": text, **({"reasoning_content": reasoning} if reasoning else {})}
    return {"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": body.get("model", "test"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
