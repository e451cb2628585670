"""Plain-text summary of a Design: what the CLI prints and what `text/plain` shows.

The small helpers here (figures, datastores, key decisions) are shared with the
notebook card so both say the same thing in the same words.
"""

from __future__ import annotations

import textwrap

from ..design import DATASTORE_KINDS, Capacity, Decision, Design, SLOs
from . import brief as briefview
from .escape import printable
from .numbers import plain

WIDTH = 88


def number(value: float) -> str:
    """A figure as every view writes it (views.numbers.plain): three significant figures,
    thousands separators, never an exponent ('12,800', '4.5', '0.00069')."""
    return plain(value)


def style_label(design: Design) -> str:
    return design.style.replace("_", " ")


def capacity_facts(cap: Capacity) -> list[tuple[str, str]]:
    """(label, value) pairs of the capacity estimate, only those the estimate filled in."""
    facts = []
    if cap.users:
        facts.append(("users", number(cap.users)))
    facts.append(("reads", f"{number(cap.reads_per_second)}/s"))
    facts.append(("writes", f"{number(cap.writes_per_second)}/s"))
    facts.append(("peak", f"{number(cap.peak_rps)} req/s (x{number(cap.peak_factor)})"))
    if cap.storage_gb_per_month or cap.storage_gb_total:
        facts.append(
            (
                "storage",
                f"{number(cap.storage_gb_per_month)} GB/month, "
                f"{number(cap.storage_gb_total)} GB over {number(cap.horizon_years)} y",
            )
        )
    if cap.bandwidth_mbps:
        facts.append(("bandwidth", f"{number(cap.bandwidth_mbps)} Mbit/s"))
    return facts


def slo_facts(slos: SLOs) -> list[tuple[str, str]]:
    return [
        ("p95 latency", f"{number(slos.p95_latency_ms)} ms"),
        ("availability", f"{slos.availability * 100:g}%"),
        ("error rate", f"{slos.error_rate * 100:g}%"),
    ]


def datastores(design: Design) -> list:
    return [c for c in design.components if c.kind in DATASTORE_KINDS]


def infrastructure(design: Design) -> list:
    """Components that hold no data: brokers, gateways, CDNs, load balancers."""
    return [c for c in design.components if c.kind not in DATASTORE_KINDS]


def assumptions(design: Design) -> list[str]:
    """Every default taken where the requirements were silent, the estimate's included."""
    return list(dict.fromkeys(design.assumptions + design.capacity.assumptions))


def decision_line(decision: Decision) -> str:
    subject = decision.subject
    about = f" ({subject})" if subject and subject not in decision.title else ""
    return f"{decision.title}{about}: {decision.chosen}"


def service_tech(service) -> str:
    return " / ".join(part for part in (service.language, service.framework) if part)


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    return ["", f"{title}:"] + lines


def _bullets(items: list[str]) -> list[str]:
    out = []
    for item in items:
        out.extend(textwrap.wrap(item, WIDTH, initial_indent="  - ", subsequent_indent="    ") or ["  -"])
    return out


def _facts(facts: list[tuple[str, str]]) -> list[str]:
    return textwrap.wrap("; ".join(f"{k} {v}" for k, v in facts), WIDTH, initial_indent="  ", subsequent_indent="  ")


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns; the last one, free text, wraps beside them, or below them
    when they leave it too little room."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    indent = 2 + sum(w + 2 for w in widths)
    if WIDTH - indent < 40:
        indent = 6
    lines = []
    for row in rows:
        lead = "  " + "".join(c.ljust(w + 2) for c, w in zip(row, widths))
        text = textwrap.wrap(row[-1], WIDTH - indent)
        if indent == 6 or not text:
            lines.append(lead.rstrip())
        else:
            lines.append(lead + text.pop(0))
        lines.extend(" " * indent + more for more in text)
    return lines


def summary(design: Design) -> str:
    """The design in a screenful of plain text: style, services, data, capacity, decisions."""
    lines = [f"{design.name}: {style_label(design)} (designed by the {design.backend} backend)"]
    if design.summary:
        lines.extend(textwrap.wrap(design.summary, WIDTH))
    lines += _section(
        f"Services ({len(design.services)})",
        _table([(s.name, s.kind, service_tech(s) or "-", s.responsibility) for s in design.services]),
    )
    stores = datastores(design)
    lines += _section(
        f"Datastores ({len(stores)})",
        _table([(c.name, c.kind, c.technology or "-", c.purpose) for c in stores]),
    )
    infra = infrastructure(design)
    lines += _section(
        f"Infrastructure ({len(infra)})",
        _table([(c.name, c.kind, c.technology or "-", c.purpose) for c in infra]),
    )
    reasons = [(part.name, briefview.why(design.brief, part.because)) for part in [*design.services, *design.components]]
    lines += _section("Why each part", _bullets([f"{name}: {words}" for name, words in reasons if words]))
    lines += _section("Capacity", _facts(capacity_facts(design.capacity)))
    lines += _section("SLOs", _facts(slo_facts(design.slos)))
    lines += _section("Key decisions", _bullets([decision_line(d) for d in design.decisions]))
    taken = assumptions(design)
    lines += _section(f"Assumptions ({len(taken)})", _bullets(taken))
    return printable("\n".join(lines))
