"""Turn report files into structured, cited paragraphs and retrieval chunks.

This package knows nothing about stores or answers: `assistant` depends on it, never the reverse.
"""

# Changes whenever the same file is read into other paragraphs, parts or metadata. Stores of question
# sets (`eval`) are kept per version; a user's library is read anew with `report-assistant reindex`.
PARSER_VERSION = "8"
