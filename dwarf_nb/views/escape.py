"""Escaping for every format a design-derived string can land in.

Names and texts in a Design may come from a model, so each view passes them through
the function for its format instead of trusting them.
"""

from __future__ import annotations

import html as _html
import json
import re
import unicodedata

# Inline Markdown markup that changes meaning wherever it stands: code spans, emphasis with
# '*', links and images, HTML and autolinks, strikethrough, entities, and a backslash before
# punctuation or at the end (a hard line break). '_' is emphasis only at a word's edge.
_MD_ANYWHERE = re.compile(r"[`*\[\]<]|~(?=~)|(?<=~)~|&(?=#?[A-Za-z0-9]+;)|\\(?=[!-/:-@\[-`{-~]|$)"
                          r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Markup that only counts at the start of a line (the text may land there): headings, block
# quotes, list items, thematic breaks and setext underlines, ordered-list numbers.
_MD_LEADING = re.compile(r"^(?:[#>+=-]|\d{1,9}(?=[.)](?:\s|$)))")


# Longest label line the service map draws: graphviz refuses labels past about 16 KB, and a
# label is for reading, not for the whole text.
LABEL_LIMIT = 120


def one_line(text: object, limit: int = 0) -> str:
    """Text on one line with control characters, format characters, surrogates and
    non-characters dropped, cut to `limit` characters with an ellipsis (0: no limit)."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text or ""))
    line = " ".join(cleaned.split())
    return line if not limit or len(line) <= limit else line[: limit - 1].rstrip() + "…"


def printable(text: object) -> str:
    """Text with line breaks and tabs kept and every other control character dropped (so that
    `cat` of an exported file cannot retitle or clear a terminal)."""
    return "".join(ch for ch in str(text) if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def html(value: object) -> str:
    """Text safe inside HTML element content or a quoted attribute."""
    return _html.escape(printable(value), quote=True)


def markdown(value: object) -> str:
    """Inline Markdown text that renders as written, with a backslash only where a character
    would otherwise be markup ('93.8 reads/s' and 'payments-db' stay as they are); line breaks folded."""
    text = _MD_ANYWHERE.sub(lambda m: "\\" + m.group(0), one_line(value))
    lead = _MD_LEADING.match(text)
    if lead is None:
        return text
    if lead.group(0)[0].isdigit():  # "1. first": the full stop after the number
        end = lead.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def markdown_cell(value: object) -> str:
    """Text for a Markdown table cell: also the column separator escaped."""
    return markdown(value).replace("|", "\\|")


def sql_identifier(name: str) -> str:
    """A PostgreSQL identifier, always double-quoted so reserved words and odd names are safe."""
    return '"' + str(name).replace('"', '""') + '"'


def sql_literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def yaml_scalar(value: object) -> str:
    """A YAML scalar that can never be read as another type or structure (JSON strings are YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def mermaid_label(value: object) -> str:
    """Text for a Mermaid node or edge label inside double quotes.

    Mermaid reads `#name;` and `#123;` as its own entity codes (and would mangle HTML's
    `&#39;`), so `#` is written as a code first, then the characters that end a label or
    start markup; `<`, `>` and `&` stay HTML entities, as the label is shown as HTML.
    """
    text = one_line(value, LABEL_LIMIT).replace("#", "#35;")
    text = _html.escape(text, quote=False)
    return text.replace('"', "#quot;").replace("|", "#124;").replace("`", "#96;")


def mermaid_id(name: str) -> str:
    """A Mermaid node id: letters, digits and underscores only."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", str(name))


def dot_label(*lines: object) -> str:
    """A Graphviz label of one or more lines, shown literally.

    dot reads backslash sequences, `&...;` entities and `<...>` (an HTML-like label) in
    labels; each of them is neutralised, and lines are joined with dot's own line break.
    """
    from graphviz import escape, nohtml  # only the service map needs graphviz

    parts = [escape(one_line(line, LABEL_LIMIT).replace("&", "&amp;")) for line in lines]
    return nohtml("\\n".join(parts))


def markdown_fence(code: str) -> str:
    """A backtick fence longer than any backtick run inside `code`, which therefore
    cannot end the code block early."""
    longest = max((len(run) for run in re.findall(r"`+", str(code))), default=0)
    return "`" * max(3, longest + 1)
