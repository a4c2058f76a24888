"""法治报告助手: store, retrieval, answers and the services the CLI and the app both call."""

from . import offline as _offline

_offline.configure()
