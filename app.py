"""The browser app: `python app.py` (or `make run`). The pages live in assistant/interfaces/web/, one
module each (chat, library, compare, plan, settings); this file only starts them."""

import assistant  # noqa: F401  (offline configuration before gradio and friends load)
from assistant.interfaces.web.server import main

if __name__ == "__main__":
    main()
