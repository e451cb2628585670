"""The service map: a Design drawn with `diagrams`, rendered in memory.

Services get their language's icon, components their technology's (knowledge/icons.toml),
bounded contexts become clusters and edges carry their protocol (async ones dashed).
The graph is piped through graphviz's `dot` without touching the disk, and the SVG is
made self-contained: every icon is embedded once as a data URI, so it renders the same in
a notebook, a Markdown file or another machine.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import html
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from subprocess import CalledProcessError
from typing import Union

from ..design import Component, Design, Service
from ..errors import InputError, MapError, ToolMissing
from . import brief as briefview
from . import escape, icons

FORMATS = ("svg", "png", "mermaid")
DIRECTIONS = ("LR", "RL", "TB", "BT")
CLIENTS = "clients"

# diagrams' defaults pad 2 inches around the map and route edges orthogonally, which
# misplaces edge labels; newrank lets clusters and ranks coexist.
GRAPH_ATTR = {"pad": "0.4", "splines": "spline", "newrank": "true"}
# A PNG of a large map is scaled down to at most this many inches at this dpi.
PNG_ATTR = {"size": "40,40", "dpi": "96"}
NODE_HEIGHT = 1.9  # diagrams' icon node height; each extra label line adds LINE_HEIGHT
LINE_HEIGHT = 0.4


@dataclass
class Group:
    """The parts of the map drawn together: one bounded context, or the top level ("")."""

    context: str
    parts: list[Union[Service, Component, str]] = field(default_factory=list)


def placement(design: Design) -> list[Group]:
    """Where each part is drawn: services in their context; a component in the one context
    of the services it is connected to (top level when shared or unconnected); clients at
    the top level. Order follows the design, so the drawing is stable."""
    services = {s.name: s for s in design.services}
    touching: dict[str, set[str]] = {c.name: set() for c in design.components}
    for edge in design.edges:
        for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
            if here in touching and there in services:
                touching[here].add(services[there].context)

    groups: dict[str, Group] = {"": Group("")}
    for service in design.services:
        groups.setdefault(service.context, Group(service.context)).parts.append(service)
    for component in design.components:
        contexts = touching[component.name]
        home = next(iter(contexts)) if len(contexts) == 1 else ""
        groups[home].parts.append(component)
    if uses_clients(design):
        groups[""].parts.insert(0, CLIENTS)
    return [g for g in groups.values() if g.parts]


def uses_clients(design: Design) -> bool:
    """True when an edge starts or ends at the outside callers rather than a named part."""
    named = {s.name for s in design.services} | {c.name for c in design.components}
    return CLIENTS not in named and any(CLIENTS in (e.source, e.target) for e in design.edges)


def node_lines(part: Union[Service, Component, str]) -> list[str]:
    """The label of a part, line by line (unescaped)."""
    if isinstance(part, Service):
        detail = " · ".join(x for x in (part.kind, part.language) if x)
    elif isinstance(part, Component):
        detail = part.technology or part.kind.replace("_", " ")
    else:
        return [part]
    return [part.name] if detail == part.name else [part.name, detail]


@dataclass(frozen=True)
class Link:
    """One drawn arrow: every edge of a design between the same two parts in the same mode."""

    source: str
    target: str
    mode: str
    protocol: str
    labels: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        """Protocol, then one line per label (the map's label)."""
        return [x for x in (self.protocol, *self.labels) if x]

    @property
    def text(self) -> str:
        """Protocol and labels on one line (a flowchart's label)."""
        return ": ".join(x for x in (self.protocol, ", ".join(self.labels)) if x)


# Six topics from one service to the broker are one arrow with their names on it, not six
# parallel curves; past this many names the label says how many more there are.
MAX_LABELS = 3


def links(design: Design) -> list[Link]:
    """The design's edges bundled per (source, target, mode), in first-seen order."""
    groups: dict[tuple[str, str, str], list] = {}
    for edge in design.edges:
        groups.setdefault((edge.source, edge.target, edge.mode), []).append(edge)
    result = []
    for (source, target, mode), edges in groups.items():
        protocol = ", ".join(dict.fromkeys(e.protocol for e in edges if e.protocol))
        labels = list(dict.fromkeys(e.label for e in edges if e.label))
        if len(labels) > MAX_LABELS:
            labels = labels[:MAX_LABELS] + [f"+{len(labels) - MAX_LABELS} more"]
        result.append(Link(source, target, mode, protocol, tuple(labels)))
    return result


def render(design: Design, format: str = "svg", direction: str = "LR") -> Union[str, bytes]:
    """The map as SVG text, PNG bytes or Mermaid text."""
    fmt = str(format).lower()
    rankdir = str(direction).upper()
    if fmt not in FORMATS:
        raise InputError(f"unknown service map format {format!r}: use one of {', '.join(FORMATS)}")
    if rankdir not in DIRECTIONS:
        raise InputError(f"unknown map direction {direction!r}: use one of {', '.join(DIRECTIONS)}")
    if fmt == "mermaid":
        from .mermaid import flowchart

        return flowchart(design, direction=rankdir)
    if shutil.which("dot") is None:
        raise ToolMissing(
            "the service map needs graphviz's `dot`: run `sudo apt-get install graphviz` (or use format='mermaid')"
        )
    graph = build(design, rankdir)
    try:
        if fmt == "png":
            graph.graph_attr.update(PNG_ATTR)
            return graph.pipe(format="png", quiet=True)
        return embed_icons(graph.pipe(format="svg", encoding="utf-8", quiet=True))
    except BrokenPipeError as err:
        # dot stopped reading its input: that is dot failing, not our stdout being closed.
        raise MapError(f"graphviz could not draw the service map of {design.name}: dot stopped reading its input") from err
    except CalledProcessError as err:
        said = (err.stderr or b"").decode("utf-8", "replace") if isinstance(err.stderr, bytes) else str(err.stderr or "")
        first = next((line.strip() for line in said.splitlines() if line.strip()), f"exit status {err.returncode}")
        raise MapError(f"graphviz could not draw the service map of {design.name}: {first[:200]}") from err


def build(design: Design, direction: str = "LR"):
    """The map as a `graphviz.Digraph` (nothing rendered or written)."""
    # diagrams keeps "the current diagram/cluster" in context variables; building inside a
    # fresh copy of the context keeps calls re-entrant and leaves the caller's state alone.
    return contextvars.copy_context().run(_build, design, direction)


def _build(design: Design, direction: str):
    from diagrams import Cluster, Diagram, Edge, setcluster, setdiagram

    setcluster(None)  # a caller's open Cluster must not adopt our nodes
    diagram = Diagram(
        name=escape.dot_label(design.name),
        direction=direction,
        outformat="svg",
        show=False,
        graph_attr=GRAPH_ATTR,
    )
    setdiagram(diagram)

    nodes = {}
    for index, group in enumerate(placement(design)):
        if group.context:
            # A unique internal name per cluster: clusters sharing a name would be merged.
            with Cluster(f"context{index}", direction=direction, graph_attr={"label": escape.dot_label(group.context)}):
                _add_nodes(group.parts, nodes, design.brief)
        else:
            _add_nodes(group.parts, nodes, design.brief)

    for link in links(design):
        style = "dashed" if link.mode == "async" else ""
        nodes[link.source] >> Edge(label=escape.dot_label(*link.lines), style=style) >> nodes[link.target]
    return diagram.dot


def _add_nodes(parts, nodes: dict, brief=None) -> None:
    for part in parts:
        if isinstance(part, Service):
            cls, name = icons.load(icons.service_class_path(part)), part.name
        elif isinstance(part, Component):
            cls, name = icons.load(icons.component_class_path(part)), part.name
        else:
            cls, name = icons.load(icons.clients_class_path()), part
        lines = node_lines(part)
        reason = briefview.why(brief, part.because) if brief is not None and not isinstance(part, str) else ""
        nodes[name] = cls(
            escape.dot_label(*lines),
            # Fixed ids make the output identical run to run (diagrams draws random ones).
            nodeid=f"n_{name}",
            height=str(NODE_HEIGHT + LINE_HEIGHT * (len(lines) - 1)),
            # Hovering a part says why the design has it.
            **({"tooltip": escape.dot_label(f"{name}: why: {reason}")} if reason else {}),
        )


_IMAGE = re.compile(r"<image\b([^>]*?)/>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def embed_icons(svg: str) -> str:
    """Replace dot's `<image>` elements, which point at icon files on this machine, with
    `<use>` of one embedded copy per icon. Ids derive from the icon's content, so two maps
    shown on one page never pick up each other's icons."""
    defs: dict[str, str] = {}

    def to_use(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        path = html.unescape(attrs.pop("xlink:href", attrs.pop("href", "")))
        x, y = attrs.pop("x", "0"), attrs.pop("y", "0")
        data = _icon_base64(path)
        shape = " ".join(f'{k}="{v}"' for k, v in sorted(attrs.items()))
        ident = "dwarf-icon-" + hashlib.sha1((data + shape).encode()).hexdigest()[:12]
        defs.setdefault(ident, f'<image id="{ident}" xlink:href="data:image/png;base64,{data}" {shape}/>')
        return f'<use xlink:href="#{ident}" x="{x}" y="{y}"/>'

    body = _IMAGE.sub(to_use, svg)
    if not defs:
        return body
    block = "<defs>\n" + "\n".join(defs.values()) + "\n</defs>\n"
    return re.sub(r"(<svg\b[^>]*>\n?)", lambda m: m.group(1) + block, body, count=1)


@lru_cache(maxsize=None)
def _icon_base64(path: str) -> str:
    with open(path, "rb") as fh:
        return base64.b64encode(fh.read()).decode("ascii")
