"""Turn report files into structured, cited paragraphs and retrieval chunks.

This package knows nothing about stores or answers: `assistant` depends on it, never the reverse.
"""
