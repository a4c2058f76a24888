"""Errors a user can act on: their message is one Chinese line, shown as it is by every front end."""

from __future__ import annotations


class UsageError(ValueError):
    """A request that names something that does not exist or a value that cannot be used."""
