"""Front ends over the service functions: the command line, terminal rendering and the browser's HTML."""
