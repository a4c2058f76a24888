"""From a question to ranked passages: tokens, what the question asks (regions, years, parts), hybrid search."""
