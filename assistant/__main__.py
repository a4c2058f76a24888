from assistant.interfaces.interrupt import seen, stop, watch

watch()
try:
    from assistant.interfaces.cli.main import main
except KeyboardInterrupt:  # Ctrl-C before the command line is even loaded
    stop()
if seen():
    stop()
main()
