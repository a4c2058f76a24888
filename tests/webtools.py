"""What the browser and HTTP tests of the app share: starting app.py, screenshots, and page checks
(no English a user can see, text contrast, no error overlay)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .helpers import free_port, wait_until_serving

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
APP_START_TIMEOUT_S = 60
ANSWER_TIMEOUT_MS = 90_000
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


class App:
    def __init__(self, url: str, proc: subprocess.Popen, data: Path, started_in_s: float):
        self.url, self.proc, self.data, self.started_in_s = url, proc, data, started_in_s

    def reports(self) -> list[str]:
        """Names of the reports the app's store holds (read straight from its SQLite file)."""
        with sqlite3.connect(self.data / "library.sqlite3") as db:
            return [r[0] for r in db.execute("SELECT name FROM reports WHERE status='ok' ORDER BY name")]

    def wait_for_reports(self, count: int, timeout_s: float = 300) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if len(self.reports()) >= count:
                    return
            except sqlite3.Error:
                pass
            time.sleep(0.5)
        pytest.fail(f"the app did not hold {count} reports within {timeout_s:.0f} s: {self.reports()}")

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out or ""


def start_app(data: Path, env_extra: dict[str, str] | None = None) -> App:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test` (it installs Debian's chromium)")
    port = free_port()
    env = {**os.environ, "RA_DATA_DIR": str(data), "RA_PORT": str(port), **(env_extra or {})}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_until_serving(url, proc, APP_START_TIMEOUT_S, "app.py")
    return App(url, proc, data, time.monotonic() - started)


def shot(page, name: str, full: bool = True) -> Path:
    """Save what the user sees (viewport) and, on a desktop, the whole page, under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full and page.viewport_size["width"] > 800)
    return path


def open_page(browser, url: str, viewport: dict, locale: str = "en-US"):
    """A fresh browser context (an English browser by default: the app must be Chinese regardless)."""
    context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True,
                                  has_touch=viewport["width"] < 800, is_mobile=viewport["width"] < 800)
    page = context.new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for(timeout=ANSWER_TIMEOUT_MS)
    return page


def ask(page, question: str) -> None:
    before = page.locator("#chatbot .answer-details").count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function("n => document.querySelectorAll('#chatbot .answer-details').length > n",
                           arg=before, timeout=ANSWER_TIMEOUT_MS)


# Latin words allowed where users look: product and format names, units.
ALLOWED_LATIN = {"deepseek", "openai", "ollama", "vllm", "dashscope", "chroma", "word", "markdown", "docx", "xlsx",
                 "md", "txt", "html", "htm", "pdf", "mb", "kb", "http", "https", "api", "com", "v1", "e5"}
ENGLISH_PROBE = """
() => {
  const skip = (el) => el.closest('.content, .ev-text, .ev-card details, td.file, #compare-document, #plan-document, '
                                 + '.message-wrap .user, [data-testid="user"], .ev-question, #cite-pop, textarea, input');
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || skip(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    if (el.closest('script, style, svg')) continue;
    seen.push(node.textContent);
  }
  document.querySelectorAll('[title], [aria-label], [placeholder], [alt]').forEach((el) => {
    if (skip(el) && !el.matches('textarea, input')) return;
    ['title', 'aria-label', 'placeholder', 'alt'].forEach((a) => { if (el.getAttribute(a)) seen.push(el.getAttribute(a)); });
  });
  return seen;
}
"""


def english_words(page) -> list[str]:
    """Latin-letter words a user can read on the page (text, tooltips, placeholders), minus allowed names."""
    words = []
    for text in page.evaluate(ENGLISH_PROBE):
        for token in re.findall(r"[A-Za-z][\w.:/-]*", text):
            if re.search(r"[\d.:/-]", token):  # an identifier, URL, file or model name, not a word
                continue
            if token.lower() not in ALLOWED_LATIN and not re.fullmatch(r"[A-Z]{1,3}", token):
                words.append(f"{token} «{text.strip()[:60]}»")
    return sorted(set(words))


CONTRAST_PROBE = """
() => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor);
                                if (c.length < 4 || c[3] > 0.5) return c; } return [255, 255, 255]; };
  const low = [];
  document.querySelectorAll('body *').forEach((el) => {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) return;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) < 0.5 || el.closest('[disabled], svg')) return;
    const fg = parse(s.color), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)} ${el.tagName}.${(el.className || '').toString().slice(0, 40)} "${el.textContent.trim().slice(0, 20)}"`);
  });
  return low;
}
"""


def low_contrast(page) -> list[str]:
    return page.evaluate(CONTRAST_PROBE)


def no_error_overlay(page) -> bool:
    """Gradio's error toasts (and any traceback) are absent."""
    return page.locator(".toast-body, .toast-wrap .error").count() == 0 and "Traceback" not in page.content()
