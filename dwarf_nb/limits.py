"""How much the kit agrees to read: requirements texts and design.json files past a size
limit are refused before any work starts, so a mistaken 800 MB file costs one line, not
minutes and gigabytes. The default is far above any real brief (the longest in the corpora
is about 3 KB) and each surface lets the user raise it."""

from __future__ import annotations

from typing import Optional

from .errors import InputError

MAX_INPUT_MB = 2.0


def check_size(size: int, what: str, limit_mb: Optional[float], setting: str, whole: bool = True) -> None:
    """Refuse `what` (a requirements text or design.json of `size` bytes; only the first
    `size` when not `whole`) past `limit_mb`, naming the `setting` that raises the limit."""
    limit = MAX_INPUT_MB if limit_mb is None else limit_mb
    if not limit > 0:
        raise InputError(f"{setting} must be a positive number of megabytes, not {limit_mb!r}")
    if size > limit * 1_000_000:
        mb = size / 1_000_000
        measured = (f" ({mb:,.1f} MB)" if mb >= 1 else f" ({mb:.2g} MB)") if whole else ""
        raise InputError(f"{what} is over the {limit:g} MB size limit{measured}: shorten it, or raise {setting}")


def check_text_size(text: object, limit_mb: Optional[float], setting: str, what: str = "the requirements text") -> None:
    """check_size for a text already in memory, measured in UTF-8 bytes; a text whose
    characters alone pass the limit is refused without encoding it. (Not text at all is
    agents.check_text's to name.)"""
    if not isinstance(text, str):
        return
    limit = (MAX_INPUT_MB if limit_mb is None else limit_mb) * 1_000_000
    sure = len(text) > limit or len(text) * 4 <= limit  # bytes >= characters, <= 4 per character
    check_size(len(text) if sure else len(text.encode("utf-8", "surrogatepass")), what, limit_mb, setting)
