"""The shared library set-up: PostgreSQL, Chroma and embedding servers, a worker, replicas behind nginx."""
