from assistant.interfaces.cli.main import main

main()
