"""BACKEND_DESIGN.md and its one-page HTML twin, rendered from a Design with Jinja2.

`render_markdown` fills `templates/document.md.j2` (every design string through the `md` /
`cell` filters of `escape`); `render_html` converts that Markdown with markdown-it (raw HTML
disabled, so escaped text stays text) and places it, with the service map's SVG inline, in the
autoescaping page template `templates/document.html.j2`. This module gathers the facts each
section states; the sentences are in the templates.
"""

from __future__ import annotations

from typing import Optional

from markupsafe import Markup

from ..design import DATASTORE_KINDS, Design
from ..errors import ToolMissing
from . import brief as briefview
from . import adr as adrview
from . import compose as composeview
from . import openapi as openapiview
from . import skeletons as skeletonview
from . import sql as sqlview
from .artifacts import (
    BROKER_KINDS,
    CACHE_KINDS,
    cache_for,
    cache_prefix,
    container,
    datastores,
    entity,
    knowledge,
    language_key,
    languages_used,
    neighbours,
    profile,
    routes,
    templates,
    topics,
)
from .escape import markdown_fence
from .numbers import count, rate
from .text import number

MAP_SVG = "service_map.svg"
MAP_PNG = "service_map.png"
# The paragraph the HTML page swaps for the inline SVG map.
MAP_MARKER = "DWARF-SERVICE-MAP-PLACEHOLDER"
LARGE_STORAGE_GB = 500  # beyond this, single unpartitioned tables get hard to vacuum, index and prune
PG_MAX_CONNECTIONS = 100  # PostgreSQL's default max_connections
POOL_PER_INSTANCE = 20  # the pool size every skeleton opens
SECONDS_PER_MONTH = 30 * 24 * 3600
SECTIONS = (
    "System Overview",
    "Service Architecture",
    "Implementation by Language",
    "Data Layer Design",
    "Message Queue Integration",
    "Background Jobs",
    "Performance Optimization",
    "Monitoring & Observability",
    "Deployment Strategy",
    "Testing Strategies",
    "Quality Standards",
    "Review",
    "Decisions",
    "Assumptions",
)


def draw_map(design: Design, png: bool = True) -> tuple[Optional[str], Optional[bytes], str]:
    """(svg, png, note): the service map drawn, or no images and the reason why not."""
    import graphviz

    from .service_map import render

    try:
        return render(design, format="svg"), (render(design, format="png") if png else None), ""
    except ToolMissing as err:
        return None, None, str(err)
    except graphviz.ExecutableNotFound as err:
        return None, None, f"graphviz could not draw it: {str(err).splitlines()[0]}"


def _review(design: Design) -> str:
    from ..analysis.lint import lint

    return lint(design).to_markdown()


def _mermaid(design: Design) -> str:
    from .mermaid import flowchart

    return flowchart(design)


def _caching(design: Design) -> list[dict]:
    cfg = knowledge()["caching"]
    out = []
    for service in design.services:
        cache = cache_for(design, service)
        if cache is None:
            continue
        for route in routes(service):
            prefix = cache_prefix(route)
            if route.method != "GET" or prefix is None or entity(design, route.entity) is None:
                continue
            item = route.is_item
            out.append(
                {
                    "service": service.name,
                    "cache": cache.name,
                    "route": f"{route.method} {route.path}",
                    "key": prefix + (f"{{{route.params[-1]}}}" if item else "{limit}"),
                    "ttl": cfg["item_ttl_seconds"] if item else cfg["list_ttl_seconds"],
                    "invalidation": "deleted on every write to that item" if item else "expires (short TTL)",
                }
            )
    return out


def _services(design: Design) -> list[dict]:
    out = []
    for service in design.services:
        prof = profile(service)
        sk = skeletonview.skeleton(design, service)
        out.append(
            {
                "s": service,
                "profile": prof,
                "runtime": prof.lang["runtime"] if prof else "",
                "framework": prof.fw["label"] if prof else (service.framework or ""),
                "skeleton": sk,
                "fence": markdown_fence(sk.code) if sk else "```",
                "routes": routes(service),
                "stores": datastores(design, service),
                "cache": cache_for(design, service),
                "neighbours": neighbours(design, service),
                "environment": composeview.service_environment(design, service),
                "openapi": openapiview.filename(service) if service in openapiview.http_services(design) else "",
            }
        )
    return out


def _performance(design: Design) -> dict:
    cap = design.capacity
    relational_users = [
        s for s in design.services if any(c.kind in ("relational_db", "read_replica") for c in datastores(design, s))
    ]
    connections = sum(s.instances for s in relational_users) * POOL_PER_INSTANCE
    api_instances = sum(s.instances for s in design.services if s.kind in ("api", "gateway")) or 1
    ratio = cap.reads_per_second / cap.writes_per_second if cap.writes_per_second else None
    return {
        "ratio": ratio,
        "per_instance": cap.peak_rps / api_instances if cap.peak_rps else 0.0,
        "api_instances": api_instances,
        "connections": connections,
        "max_connections": PG_MAX_CONNECTIONS,
        "pool": POOL_PER_INSTANCE,
        "replicas": [c for c in design.components if c.kind == "read_replica"],
        "caches": [c for c in design.components if c.kind in CACHE_KINDS],
        "cdn": [c for c in design.components if c.kind == "cdn"],
    }


def _partition_candidates(schema_plan: sqlview.SchemaPlan) -> list[tuple[str, str]]:
    """(table, time column) of unpartitioned tables that grow with time: the first to split by month."""
    out = []
    for table in schema_plan.tables:
        if table.partition_column:
            continue
        column = next((c.name for c in table.columns if c.sql.startswith(sqlview.TIME_TYPES)), None)
        if column:
            out.append((table.name, column))
    return out


def _slos(design: Design) -> dict:
    slo = design.slos
    downtime_min = (1 - slo.availability) * SECONDS_PER_MONTH / 60
    return {
        "p95": number(slo.p95_latency_ms),
        "error_pct": f"{slo.error_rate * 100:.3g}",
        "availability_pct": f"{slo.availability * 100:.4g}",
        "downtime": number(downtime_min),
        "budget_requests": number(slo.error_rate * design.capacity.reads_per_second * SECONDS_PER_MONTH)
        if design.capacity.reads_per_second
        else "",
    }


def _contracts(design: Design) -> list[tuple[str, str, str]]:
    """(consumer, provider, protocol) for every synchronous call between two services."""
    names = {s.name for s in design.services}
    return [(e.source, e.target, e.protocol) for e in design.edges if e.mode == "sync" and e.source in names and e.target in names]


def context(design: Design, map_image: Optional[str] = MAP_SVG, map_note: str = "") -> dict:
    """Everything the document template states about a design."""
    schema_plan = sqlview.plan(design)
    langs = languages_used(design)
    unknown_languages = sorted({s.language for s in design.services if s.language and not language_key(s.language)})
    adr_files = list(adrview.records(design))
    return {
        "design": design,
        "sections": SECTIONS,
        "number": number,
        "count": count,
        "rate": rate,
        "years": lambda x: f"{number(x)} year" + ("" if number(x) == "1" else "s"),
        "map_image": map_image,
        "map_png": MAP_PNG if map_image == MAP_SVG else None,
        "map_note": map_note,
        "map_marker": MAP_MARKER,
        "mermaid": _mermaid(design),
        "languages": [knowledge()["languages"][k] | {"key": k} for k in langs],
        "unknown_languages": unknown_languages,
        "services": _services(design),
        "datastores": [c for c in design.components if c.kind in DATASTORE_KINDS and c.kind not in CACHE_KINDS],
        "caches": [c for c in design.components if c.kind in CACHE_KINDS],
        "brokers": [c for c in design.components if c.kind in BROKER_KINDS],
        "edge_components": [c for c in design.components if c.kind in ("cdn", "load_balancer", "api_gateway")],
        "api_styles": sorted({s.api_style for s in design.services if s.api_style != "none"}),
        "schema": schema_plan,
        "caching": _caching(design),
        "partition_candidates": _partition_candidates(schema_plan),
        "large_storage_gb": LARGE_STORAGE_GB,
        "topics": topics(design),
        "jobs": design.jobs,
        "performance": _performance(design),
        "slos": _slos(design),
        "contracts": _contracts(design),
        "dockerfiles": [(knowledge()["languages"][k]["label"], skeletonview.dockerfile(design, k)) for k in langs],
        "decisions": [
            {
                "d": d,
                "table": adrview.decision_markdown(d),
                "sensitivity": adrview.sensitivity_line(d),
                "adr": adr_files[i],
            }
            for i, d in enumerate(design.decisions)
        ],
        "review": _review(design),
        "images": {c.name: container(c, design).get("image", "") for c in design.components},
        "openapi_files": [openapiview.filename(s) for s in openapiview.http_services(design)],
        "brief_table": briefview.to_markdown(design.brief) if design.brief.facts() else "",
        "brief_headline": briefview.headline(design.brief),
        "reasons": [(part, briefview.why(design.brief, part.because, limit=4))
                    for part in [*design.services, *design.components, *design.jobs]],
    }


def render_markdown(design: Design, map_image: Optional[str] = MAP_SVG, map_note: str = "") -> str:
    """BACKEND_DESIGN.md. `map_image` is the map file linked from the document (None: no image,
    with `map_note` saying why)."""
    return templates(markdown=True).get_template("document.md.j2").render(context(design, map_image, map_note))


def render_html(design: Design, svg: Optional[str] = None, map_note: str = "") -> str:
    """BACKEND_DESIGN.html: one self-contained page, the service map inline as SVG.

    `svg` is the map already drawn (export passes it); when None and no `map_note` explains
    its absence, it is drawn here. Without a map the page says why and keeps the Mermaid source.
    """
    from markdown_it import MarkdownIt

    from .display import html_templates, svg_inline

    note = map_note
    if svg is None and not note:
        svg, _, note = draw_map(design, png=False)
    text = render_markdown(design, map_image=MAP_MARKER if svg else None, map_note=note)
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    if svg:
        body = body.replace(f"<p>{MAP_MARKER}</p>", f'<figure class="map">{svg_inline(svg)}</figure>')
    return html_templates().get_template("document.html.j2").render(design=design, body=Markup(body))
