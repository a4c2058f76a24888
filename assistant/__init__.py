"""法治报告助手: store, retrieval, answers and the services the CLI and the app both call.

Importing the package first sets the environment every library we use needs to run offline, before
any of them is loaded; see config/runtime.py.
"""

from assistant.config import runtime as _runtime

_runtime.configure()
