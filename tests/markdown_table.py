"""Reading the Markdown tables a command prints."""

from __future__ import annotations


def row(text: str, starts: str) -> str:
    """The first line of `text` that starts with `starts` (a row of a table, by its first cell)."""
    return next(line for line in text.splitlines() if line.startswith(starts))
