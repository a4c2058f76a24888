"""The README's examples, run as a new user pastes them, leave the repository clean (issue 20)."""

from __future__ import annotations

import re
import shlex
import subprocess

from .conftest import ROOT

OUTPUT_OPTIONS = ("--out", "--chart", "--json")


def _example_outputs() -> list[str]:
    """Files the README's report-assistant examples write (the value after --out, --chart, --json FILE)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if not line.startswith("report-assistant"):
                continue
            words = shlex.split(line)
            found += [words[i + 1] for i, w in enumerate(words[:-1])
                      if w in OUTPUT_OPTIONS and not words[i + 1].startswith("-")]
    return found


def test_the_readme_examples_write_only_where_git_ignores():
    outputs = _example_outputs()
    assert len(outputs) >= 2, outputs  # the summary and plan examples
    for path in outputs:
        assert "/" in path, f"{path} would land in the repository root"
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path])
        assert ignored.returncode == 0, f"{path} is not ignored by .gitignore: git status would show it"
