"""Where reports live: SQLite records (the text), Chroma vectors, the BM25 index, and the ingestion that fills them."""
