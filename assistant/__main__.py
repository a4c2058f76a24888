try:
    from assistant.interfaces.cli.main import main
except KeyboardInterrupt:  # Ctrl-C before the command line is even loaded
    from assistant.interfaces.interrupt import stop

    stop()

main()
