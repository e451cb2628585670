"""What changed between two versions of a design.

Parts are matched by identity (a service by name, an edge by its two ends, a decision by
topic and subject), so a renamed field shows as a change, not as a removal and an addition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional

from ..design import Design
from ..errors import InputError
from ..views import escape

SECTIONS = ("services", "components", "edges", "entities", "jobs", "decisions")
NOTHING = "—"
MARKDOWN_MARKERS = {"+": "added: ", "-": "removed: ", "~": "changed: ", "": ""}
HTML_MARKERS = {
    "+": "<b style='color:#1a7f37'>+</b> ",
    "-": "<b style='color:#cf222e'>−</b> ",
    "~": "<b style='color:#9a6700'>~</b> ",
    "": "",
}


@dataclass(frozen=True)
class Change:
    """One field of one part, before and after (`None` when absent on that side)."""

    part: str
    field: str
    old: Any
    new: Any
    # An element of a nested list (an endpoint, an option) appearing or disappearing.
    action: Literal["changed", "added", "removed"] = "changed"

    def __str__(self) -> str:
        where = f"{self.part}: {self.field}" if self.field else self.part
        if self.action == "added":
            return f"{where} added {_show(self.new)}"
        if self.action == "removed":
            return f"{where} removed {_show(self.old)}"
        return f"{where} {_show(self.old)} → {_show(self.new)}"


@dataclass
class Section:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class DesignDiff:
    old_name: str
    new_name: str
    services: Section
    components: Section
    edges: Section
    entities: Section
    jobs: Section
    decisions: Section
    style: Optional[Change] = None
    capacity: list[Change] = field(default_factory=list)
    slos: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.style is None and not self.capacity and not self.slos and all(
            getattr(self, name).empty for name in SECTIONS
        )

    def settings(self) -> list[Change]:
        return ([self.style] if self.style else []) + self.capacity + self.slos

    def _lines(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(marker, plain text)]) for each part of the diff that has news;
        the marker is '+' added, '-' removed, '~' changed, '' for settings."""
        blocks = []
        if self.settings():
            blocks.append(("style and figures", [("", str(c)) for c in self.settings()]))
        for name in SECTIONS:
            section = getattr(self, name)
            lines = [("+", item) for item in section.added]
            lines += [("-", item) for item in section.removed]
            lines += [("~", str(change)) for change in section.changed]
            if lines:
                blocks.append((name, lines))
        return blocks

    def to_text(self) -> str:
        title = f"{self.old_name} → {self.new_name}"
        if self.empty:
            return f"{title}: no differences\n"
        out = [title]
        for heading, lines in self._lines():
            out.append(f"{heading}:")
            out.extend(f"  {marker} {text}" if marker else f"  {text}" for marker, text in lines)
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        title = f"### Changes: {escape.markdown(self.old_name)} → {escape.markdown(self.new_name)}"
        if self.empty:
            return f"{title}\n\nNo differences.\n"
        out = [title, ""]
        for heading, lines in self._lines():
            out += [f"**{escape.markdown(heading)}**", ""]
            out += [f"- {MARKDOWN_MARKERS[marker]}{escape.markdown(text)}" for marker, text in lines]
            out.append("")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        title = f"<h4>Changes: {escape.html(self.old_name)} → {escape.html(self.new_name)}</h4>"
        if self.empty:
            return title + "<p>No differences.</p>"
        parts = [title]
        for heading, lines in self._lines():
            items = "".join(f"<li>{HTML_MARKERS[marker]}{escape.html(text)}</li>" for marker, text in lines)
            parts.append(f"<p><b>{escape.html(heading)}</b></p><ul>{items}</ul>")
        return "<div class='dwarf-diff'>" + "".join(parts) + "</div>"

    def __str__(self) -> str:
        return self.to_text()


def _show(value: Any) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


# -- identities -----------------------------------------------------------------------------


def _numbered(items: list[dict], label: Callable[[dict], str]) -> dict[str, dict]:
    """Items by label; a label seen again gets ' #2', ' #3' (parallel edges, repeated subjects)."""
    out: dict[str, dict] = {}
    for item in items:
        base = name = label(item)
        n = 1
        while name in out:
            n += 1
            name = f"{base} #{n}"
        out[name] = item
    return out


KEYS: dict[str, Callable[[dict], str]] = {
    "services": lambda d: d["name"],
    "components": lambda d: d["name"],
    "entities": lambda d: d["name"],
    "jobs": lambda d: d["name"],
    "edges": lambda d: f"{d['source']} → {d['target']}",
    "decisions": lambda d: f"{d['topic']}: {d['subject']}" if d.get("subject") else d["title"],
}


def _item_label(item: Any) -> Optional[str]:
    """How an element of a nested list is recognised: endpoints by route, others by name."""
    if isinstance(item, dict):
        if "method" in item and "path" in item:
            return f"{item['method']} {item['path']}"
        if "name" in item:
            return str(item["name"])
    return None


def _compare(part: str, path: str, old: Any, new: Any) -> list[Change]:
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in dict.fromkeys([*old, *new]):
            changes += _compare(part, f"{path}.{key}" if path else key, old.get(key), new.get(key))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        labels = [_item_label(x) for x in old + new]
        if labels and all(labels):
            before = _numbered(old, _item_label)
            after = _numbered(new, _item_label)
            changes = []
            for key in dict.fromkeys([*before, *after]):
                if key not in after:
                    changes.append(Change(part, path, key, None, "removed"))
                elif key not in before:
                    changes.append(Change(part, path, None, key, "added"))
                else:
                    changes += _compare(part, f"{path}[{key}]", before[key], after[key])
            return changes
    return [Change(part, path, old, new)]


def _section(kind: str, old: list[dict], new: list[dict]) -> Section:
    before = _numbered(old, KEYS[kind])
    after = _numbered(new, KEYS[kind])
    section = Section(
        added=[k for k in after if k not in before],
        removed=[k for k in before if k not in after],
    )
    for key in before:
        if key in after:
            section.changed += _compare(key, "", before[key], after[key])
    return section


def diff(a: Design, b: Design, labels: Optional[tuple[str, str]] = None) -> DesignDiff:
    """Everything that differs from `a` (before) to `b` (after); `labels` names the two in the
    headers (e.g. ('rides v2', 'rides v3')), else their design names."""
    if not (isinstance(a, Design) and isinstance(b, Design)):
        raise InputError(f"diff compares two Designs, not {type(a).__name__} and {type(b).__name__}")
    old, new = a.model_dump(mode="json"), b.model_dump(mode="json")
    return DesignDiff(
        old_name=labels[0] if labels else a.name,
        new_name=labels[1] if labels else b.name,
        style=Change("style", "", old["style"], new["style"]) if old["style"] != new["style"] else None,
        capacity=_compare("capacity", "", old["capacity"], new["capacity"]),
        slos=_compare("slos", "", old["slos"], new["slos"]),
        **{kind: _section(kind, old[kind], new[kind]) for kind in SECTIONS},
    )
