"""`python -m assistant.province` (what `make province` runs): the shared set-up on this machine;
`python -m assistant.province load …`: the bounded load run against it (see load.py)."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "load":
    from assistant.province.load import main as load

    load(sys.argv[2:])
else:
    from assistant.province.setup import main

    main()
