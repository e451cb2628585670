"""Text at the kit's boundary: what may be in a string that the kit takes in.

Control characters (NUL, terminal escape sequences) carry no meaning in a requirement or a
design and must never reach a terminal or a document, so they are dropped (line breaks and
tabs stay). A lone surrogate is not text at all (it cannot be written as UTF-8 or JSON), so
it is refused with where it is, instead of failing later in an export.
"""

from __future__ import annotations

import re
from typing import Any, Optional

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_at(text: str) -> Optional[int]:
    """Index of the first lone surrogate in `text`, or None."""
    found = _SURROGATE.search(text)
    return found.start() if found else None


def drop_control(text: str) -> str:
    return _CONTROL.sub("", text)


def _clean(value: Any, where: str) -> Any:
    if isinstance(value, str):
        bad = surrogate_at(value)
        if bad is not None:
            raise ValueError(f"{where} has an invalid character (a lone surrogate, U+{ord(value[bad]):04X}) at "
                             f"character {bad + 1}: text must be valid Unicode")
        return drop_control(value)
    if isinstance(value, list):
        return [_clean(item, f"{where}.{i}") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {_clean(k, where): _clean(v, f"{where}.{k}") for k, v in value.items()}
    return value


def clean_fields(data: Any) -> Any:
    """A Design's or a Brief's input with every string in it, at any depth, cleaned."""
    if not isinstance(data, dict):
        return data
    return {key: _clean(value, str(key)) for key, value in data.items()}
