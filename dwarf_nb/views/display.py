"""The notebook rendering of a Design: one MIME bundle for every kind of frontend.

`text/html` is the summary card, the service map (inline SVG), the language and
database tradeoff tables, the review findings and the assumptions; `text/markdown`
carries a Mermaid flowchart instead of the SVG; `text/plain` is the CLI summary.

The Design itself travels as JSON under a vendor type, not `application/json`:
JupyterLab ranks its JSON tree viewer above HTML, so a plain `application/json`
entry would hide the card behind a tree of raw fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..design import Design
from ..errors import MapError, ToolMissing
from . import brief as briefview
from . import escape
from .text import (
    assumptions,
    capacity_facts,
    datastores,
    decision_line,
    infrastructure,
    service_tech,
    slo_facts,
    style_label,
    summary,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DESIGN_MIME = "application/vnd.dwarf-nb.design+json"
# The topics a design's card always shows when the design records them.
CARD_TOPICS = ("language", "database")


@lru_cache(maxsize=1)
def html_templates():
    """Jinja for the HTML templates (card, tradeoffs, document page), autoescape on, and
    control characters dropped from every text a template prints (escaping keeps them)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    from .escape import printable

    def finalize(value):
        return printable(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class TradeoffTable:
    """One topic's decision matrix, rendered on demand (pandas rendering is the slow part)."""

    topic: str
    frame: "pd.DataFrame"
    lines: list[str]

    @property
    def html(self) -> str:
        from markupsafe import Markup

        from ..analysis.tradeoffs import styled

        return Markup(styled(self.frame).to_html())  # styled() escapes every label and value

    @property
    def text(self) -> str:
        return self.frame.to_string()


def tradeoff_tables(design: Design, topics=None, weights: Optional[dict[str, float]] = None) -> list[TradeoffTable]:
    """The weighted decision tables of `topics` (default: languages and databases)."""
    from ..analysis.tradeoffs import sensitivity_lines, topic_weights, tradeoff_table
    from ..analysis.tradeoffs import topics as present

    if topics is None:
        topics = [t for t in CARD_TOPICS if t in present(design)]
    # One set of weights for every table shown: each table takes the criteria it scores.
    return [
        TradeoffTable(
            topic=str(topic),
            frame=tradeoff_table(design, topic, weights=own),
            lines=sensitivity_lines(design, topic, weights=own),
        )
        for topic, own in zip(topics, topic_weights(design, topics, weights))
    ]


def tradeoff_bundle(design: Design, topics=None, weights: Optional[dict[str, float]] = None) -> dict:
    """The tables alone, as `%dwarf tradeoffs` shows them."""
    tables = tradeoff_tables(design, topics, weights)
    if not tables:
        note = f"{design.name} records no language or database decisions"
        return {"text/plain": note, "text/html": f"<p>{escape.html(note)}</p>"}
    html = html_templates().get_template("tradeoffs.html.j2").render(tables=tables)
    text = "\n\n".join(f"Tradeoffs: {t.topic}\n{t.text}\n" + "\n".join(t.lines) for t in tables)
    return {"text/plain": text, "text/html": html}


def svg_inline(svg: str) -> str:
    """The <svg> element alone: an XML prolog or DOCTYPE is not allowed inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def html(
    design: Design,
    *,
    show_map: bool = True,
    direction: str = "LR",
    suppress: Optional[dict[str, str]] = None,
    version: Optional[int] = None,
) -> str:
    """The card: summary, service map, tradeoff tables, review and assumptions."""
    from concurrent.futures import ThreadPoolExecutor

    from markupsafe import Markup

    # graphviz's `dot` runs as a subprocess: let it draw while pandas builds the tables.
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawing = pool.submit(design.service_map, format="svg", direction=direction) if show_map else None
        tables = tradeoff_tables(design)
        review = Markup(design.lint(suppress=suppress)._repr_html_())
        map_svg = map_note = ""
        if drawing is not None:
            try:
                map_svg = Markup(svg_inline(drawing.result()))
            except (ToolMissing, MapError) as err:
                map_note = f"No service map: {err}"
    return html_templates().get_template("card.html.j2").render(
        design=design,
        version=version,
        style=style_label(design),
        tech=service_tech,
        why=lambda part: briefview.why(design.brief, part.because),
        datastores=datastores(design),
        infrastructure=infrastructure(design),
        capacity=capacity_facts(design.capacity),
        slos=slo_facts(design.slos),
        decisions=[decision_line(d) for d in design.decisions],
        map_svg=map_svg,
        map_note=map_note,
        tradeoffs=tables,
        review=review,
        assumptions=assumptions(design),
        brief_table=Markup(briefview.to_html(design.brief)) if design.brief.facts() else "",
        brief_headline=briefview.headline(design.brief),
    )


def fenced(body: str, info: str) -> str:
    """`body` as a Markdown code block tagged `info`, which design text cannot close early."""
    fence = escape.markdown_fence(body)
    return f"{fence}{info}\n{body.rstrip()}\n{fence}"


def markdown(design: Design, *, show_map: bool = True, direction: str = "LR", version: Optional[int] = None) -> str:
    """The card in Markdown, with the map as a Mermaid flowchart."""
    md, cell = escape.markdown, escape.markdown_cell
    head = f"### {md(design.name)} · {md(style_label(design))} · {md(design.backend)} backend"
    out = [head + (f" · v{version}" if version else "")]
    if design.summary:
        out += ["", md(design.summary)]
    why = lambda part: cell(briefview.why(design.brief, part.because))  # noqa: E731
    out += ["", "| service | kind | stack | responsibility | why |", "|---|---|---|---|---|"]
    out += [
        f"| {cell(s.name)} | {cell(s.kind)} | {cell(service_tech(s))} | {cell(s.responsibility)} | {why(s)} |"
        for s in design.services
    ]
    stores = datastores(design) + infrastructure(design)
    if stores:
        out += ["", "| component | kind | technology | purpose | why |", "|---|---|---|---|---|"]
        out += [f"| {cell(c.name)} | {cell(c.kind)} | {cell(c.technology)} | {cell(c.purpose)} | {why(c)} |" for c in stores]
    figures = capacity_facts(design.capacity) + slo_facts(design.slos)
    out += ["", "**Capacity:** " + "; ".join(f"{md(k)} {md(v)}" for k, v in figures)]
    if show_map:
        from .mermaid import flowchart

        out += ["", fenced(flowchart(design, direction=direction), "mermaid")]
    if design.decisions:
        out += ["", "**Key decisions**", ""] + [f"- {md(decision_line(d))}" for d in design.decisions]
    taken = assumptions(design)
    if taken:
        out += ["", "**Assumptions**", ""] + [f"- {md(a)}" for a in taken]
    return "\n".join(out) + "\n"


def mimebundle(
    design: Design,
    *,
    show_map: bool = True,
    direction: str = "LR",
    suppress: Optional[dict[str, str]] = None,
    version: Optional[int] = None,
) -> dict:
    """Every representation of `design` a frontend may pick from; a design a model made
    starts with the usage line of that call (tokens and estimated cost)."""
    bundle = {
        "text/plain": summary(design),
        "text/markdown": markdown(design, show_map=show_map, direction=direction, version=version),
        "text/html": html(design, show_map=show_map, direction=direction, suppress=suppress, version=version),
        DESIGN_MIME: design.model_dump(mode="json"),
    }
    return with_note(bundle, design.usage.line(), css="dwarf-usage") if design.usage is not None else bundle


def _on_top(bundle: dict, plain: str, markdown: str, html: str) -> dict:
    """`bundle` with something said first in each of its formats (each already escaped for it)."""
    return {**bundle, "text/plain": f"{plain}\n{bundle['text/plain']}",
            "text/markdown": f"{markdown}\n\n{bundle['text/markdown']}", "text/html": html + bundle["text/html"]}


def with_changes(bundle: dict, changes) -> dict:
    """A design's bundle with what a change request changed (an analysis.diff result) on top."""
    return _on_top(bundle, changes.to_text(), changes.to_markdown(), changes._repr_html_())


def with_note(bundle: dict, note: str, css: str = "dwarf-note") -> dict:
    """A design's bundle with one line said about it on top (that nothing changed, what the call cost)."""
    return _on_top(bundle, escape.one_line(note), f"*{escape.markdown(note)}*",
                   f'<p class="{css}" style="opacity: .75"><i>{escape.html(note)}</i></p>')


def export_bundle(directory: Path, written: list[Path]) -> dict:
    """What an export wrote, as a notebook shows it: links to the document and a count of the
    artifacts by kind, instead of every path."""
    base = directory.resolve()
    rel = [p.resolve().relative_to(base).as_posix() if p.resolve().is_relative_to(base) else p.name for p in written]
    docs = [r for r in rel if r.startswith("BACKEND_DESIGN.")]
    services = {r.split("/")[1] for r in rel if r.startswith("services/")}
    counts = [
        (sum(r.startswith("openapi/") for r in rel), "OpenAPI file"),
        (len(services), "service skeleton"),
        (sum(r.startswith("adr/") for r in rel), "decision record"),
    ]
    parts = [f"{n} {what}{'' if n == 1 else 's'}" for n, what in counts if n]
    parts += [what for name, what in (("schema.sql", "SQL schema"), ("docker-compose.yml", "Compose file"),
                                      ("service_map.svg", "service map"), ("design.json", "design.json")) if name in rel]
    where = directory.as_posix().rstrip("/") + "/"
    links = ", ".join(f'<a href="{escape.html(where + d)}" target="_blank">{escape.html(d)}</a>' for d in docs)
    return {
        "text/plain": f"wrote {len(rel)} files to {where}: {', '.join(docs)}; " + ", ".join(parts),
        "text/html": (f"<p>Exported to <code>{escape.html(where)}</code>: {links}<br><small>{len(rel)} files: "
                      f"{escape.html(', '.join(parts))}</small></p>"),
    }
