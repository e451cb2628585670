"""The service map as a Mermaid flowchart: text that GitHub, GitLab and JupyterLab draw.

It shows the same parts, groups and edges as the `diagrams` map (see
`service_map.placement`): one subgraph per bounded context, async edges dotted.
"""

from __future__ import annotations

from ..design import DATASTORE_KINDS, Component, Design, Service
from ..errors import InputError
from .escape import mermaid_id, mermaid_label
from .service_map import CLIENTS, DIRECTIONS, links, node_lines, placement

# Node shapes (opening, closing bracket) so a reader tells parts apart without icons.
SHAPES = {
    "service": ("[", "]"),
    "datastore": ("[(", ")]"),
    "message_broker": ("[[", "]]"),
    "edge_infrastructure": ("{{", "}}"),
    "clients": ("([", "])"),
}
COMPONENT_SHAPES = {kind: "datastore" for kind in DATASTORE_KINDS} | {"message_broker": "message_broker"}
ARROWS = {"sync": "-->", "async": "-.->"}


def flowchart(design: Design, direction: str = "LR") -> str:
    """Mermaid source of the design's service map."""
    rankdir = str(direction).upper()
    if rankdir not in DIRECTIONS:
        raise InputError(f"unknown map direction {direction!r}: use one of {', '.join(DIRECTIONS)}")
    ids = _ids(design)
    lines = [f"flowchart {rankdir}"]
    for index, group in enumerate(placement(design)):
        indent = "  "
        if group.context:
            lines.append(f'  subgraph ctx_{index}["{mermaid_label(group.context)}"]')
            indent = "    "
        for part in group.parts:
            name = part if isinstance(part, str) else part.name
            opening, closing = SHAPES[_shape(part)]
            label = "<br/>".join(mermaid_label(line) for line in node_lines(part) if line)
            lines.append(f'{indent}{ids[name]}{opening}"{label}"{closing}')
        if group.context:
            lines.append("  end")
    for link in links(design):
        text = mermaid_label(link.text)
        label = f'|"{text}"|' if text else ""
        lines.append(f"  {ids[link.source]} {ARROWS[link.mode]}{label} {ids[link.target]}")
    return "\n".join(lines) + "\n"


def _shape(part) -> str:
    if isinstance(part, Service):
        return "service"
    if isinstance(part, Component):
        return COMPONENT_SHAPES.get(part.kind, "edge_infrastructure")
    return "clients"


def _ids(design: Design) -> dict[str, str]:
    # "a-b" and "a_b" are distinct slugs but the same Mermaid id: number the later ones.
    names = dict.fromkeys([CLIENTS] + [s.name for s in design.services] + [c.name for c in design.components])
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = candidate = mermaid_id(name)
        suffix = 2
        while candidate in taken:
            candidate = f"{base}_{suffix}"
            suffix += 1
        ids[name] = candidate
        taken.add(candidate)
    return ids
