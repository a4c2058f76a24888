"""The command line: one Typer app whose commands live in a module per group (library, questions, documents, measure)."""
