"""Errors a user can act on: their message is one Chinese line, shown as it is by every front end."""

from __future__ import annotations


class UsageError(ValueError):
    """A request that names something that does not exist or a value that cannot be used."""


class UnknownReport(UsageError):
    """A report or region the library does not hold (the command line adds where to see them all)."""
