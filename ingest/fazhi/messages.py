"""Messages for people: every failure a user sees is one line."""
from __future__ import annotations


def one_line(text: object, limit: int | None = None) -> str:
    """`text` with every run of whitespace as one space, cut to `limit` characters with '…'."""
    flat = " ".join(str(text).split())
    if limit is None or len(flat) <= limit:
        return flat
    return flat[: limit - 1] + "…"
