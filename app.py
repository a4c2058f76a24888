"""The browser app: `python app.py` (or `make run`). The pages live in assistant/interfaces/web/, one
module each (chat, library, compare, plan, settings); this file only starts them."""

try:
    import assistant  # noqa: F401  (offline configuration before gradio and friends load)
    from assistant.interfaces.interrupt import watch

    watch()  # remembered even if a library's bare `except:` swallows it while loading
    from assistant.interfaces.web.server import main
except KeyboardInterrupt:  # Ctrl-C while the app's libraries load: one Chinese line, no traceback
    from assistant.interfaces.interrupt import stop

    stop("已中断：应用未启动。")

if __name__ == "__main__":
    main()
