"""Renderers of answers, comparisons, figures and plans as files users take away (Markdown, docx, xlsx, csv, png)."""
