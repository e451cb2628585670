"""Architecture review: rules checked over a Design's graph, reported as findings.

Each rule is a small object: its words and thresholds come from
`knowledge/lint_rules.toml`, its check is a function below that yields what it found.
A finding's id, `RULE@target` (e.g. `DW01@orders-db`), depends only on the rule and the
element concerned, so a suppression written for one version of a design keeps matching
when the design is regenerated.

Suppressions map a finding id (or a bare rule id, to accept every finding of that rule)
to the reason it is accepted. An accepted finding moves to `Report.accepted` with its
reason; it is never dropped. A suppression that matches no finding (a typo, or a problem
that has since been fixed) is listed in `Report.unused_suppressions` so it can be
cleaned up; it is not a finding and never changes the exit status.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cache

from ..design import DATASTORE_KINDS, Design
from ..errors import InputError
from ..knowledge import load
from ..views import escape
from .graph import CLIENTS, DesignGraph

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Hit:
    """What a check found, before the rule's words are attached."""

    target: str
    params: dict = field(default_factory=dict)
    variant: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem on one element: `message` says what is wrong and why, `fix` how to mend it."""

    id: str
    rule: str
    target: str
    severity: str
    title: str
    message: str
    fix: str
    accepted: bool = False
    reason: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class _Review:
    """What a check may look at: the design, its graph, the shared figures, earlier findings."""

    def __init__(self, design: Design, knowledge: dict):
        self.design = design
        self.graph = DesignGraph(design)
        self.knowledge = knowledge
        self.found: dict[str, list[Finding]] = {}
        words = knowledge["single_node_technologies"]
        replicated = {c.replica_of for c in design.components}
        # Components on one machine with no replica to take over.
        self.single_nodes = {
            c.name
            for c in design.components
            if c.name not in replicated and any(w in c.technology.lower() for w in words)
        }

    def latency(self, source: str, target: str) -> float:
        stated = self.graph.sync.edges[source, target]["latency_ms"]
        return (
            stated if stated is not None else self.knowledge["latency_ms"].get(self.graph.kind(target), 0.0)
        )

    def availability(self, node: str) -> float:
        table = self.knowledge["availability"]
        if node == CLIENTS:
            return 1.0
        if self.graph.is_service(node):
            return 1.0 - (1.0 - table["service_instance"]) ** self.graph.instances(node)
        if node in self.single_nodes:
            return table["service_instance"]
        return table.get(self.graph.kind(node), 1.0)


Check = Callable[[_Review, dict], Iterator[Hit]]
_CHECKS: dict[str, Check] = {}


def _check(rule_id: str):
    def register(fn: Check) -> Check:
        _CHECKS[rule_id] = fn
        return fn

    return register


@dataclass(frozen=True)
class Rule:
    """A review rule: its words and thresholds (`settings`, from the TOML) and its check."""

    id: str
    title: str
    severity: str
    rationale: str
    fix: str
    settings: dict
    check: Check

    def severity_for(self, design: Design) -> str:
        return self.settings.get("severity_by_style", {}).get(design.style, self.severity)

    def finding(self, hit: Hit, design: Design) -> Finding:
        words = self.settings["variants"][hit.variant] if hit.variant else {}
        values = {k: ", ".join(v) if isinstance(v, (list, tuple)) else v for k, v in hit.params.items()}
        values["target"] = hit.target
        message = (words.get("message") or self.settings["message"]).format(**values)
        return Finding(
            id=f"{self.id}@{hit.target}",
            rule=self.id,
            target=hit.target,
            severity=self.severity_for(design),
            title=self.title,
            message=f"{message} {self.rationale}",
            fix=words.get("fix", self.fix).format(**values),
        )


def _knowledge() -> dict:
    return load("lint_rules")


@cache
def rules() -> tuple[Rule, ...]:
    """The rule catalog, in the order rules are checked (composite rules come after their parts)."""
    catalog = []
    for rule_id, entry in _knowledge().items():
        if not rule_id.startswith("DW"):
            continue
        catalog.append(
            Rule(
                id=rule_id,
                title=entry["title"],
                severity=entry["severity"],
                rationale=entry["rationale"],
                fix=entry["fix"],
                settings=entry,
                check=_CHECKS[rule_id],
            )
        )
    return tuple(catalog)


# -- the checks -----------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:g}"


def _percent(value: float, unlike: str = "") -> str:
    """A percentage with three decimals, or more when needed to differ from `unlike`."""
    for decimals in range(3, 7):
        shown = f"{value * 100:.{decimals}f}".rstrip("0").rstrip(".") + "%"
        if shown != unlike:
            break
    return shown


def _path(nodes: list[str]) -> str:
    return " -> ".join(nodes)


@_check("DW01")
def _shared_database(review: _Review, settings: dict) -> Iterator[Hit]:
    design = review.design
    owned = set(settings["owned_kinds"])
    components = {c.name: c for c in design.components}
    services = {s.name: s for s in design.services}
    readers: dict[str, set[str]] = {}
    for edge in design.edges:
        comp = components.get(edge.target)
        if edge.source in services and comp is not None and comp.kind in owned:
            # A read replica is the same data as its primary, so its readers share the primary.
            readers.setdefault(comp.replica_of or comp.name, set()).add(edge.source)
    for store, users in sorted(readers.items()):
        if any(c.shared for c in components.values() if store in (c.name, c.replica_of)):
            continue
        # Services of one bounded context (an API and its own worker) are one owner.
        owners = {services[s].context or s for s in users}
        if len(owners) >= 2:
            yield Hit(store, {"count": len(users), "services": sorted(users)})


@_check("DW02")
def _sync_cycle(review: _Review, settings: dict) -> Iterator[Hit]:
    for members, loop in review.graph.sync_loops():
        # Components passing data among themselves (a cache reading through to its
        # database) hold no service hostage; a loop matters once a service is in it.
        if any(review.graph.is_service(m) for m in members):
            yield Hit("+".join(members), {"cycle": _path(loop)})


@_check("DW03")
def _long_chain(review: _Review, settings: dict) -> Iterator[Hit]:
    graph = review.graph
    dag = graph.sync_dag

    def counted(node: str) -> bool:
        # A gateway only routes; the hops that cost are between the services doing the work.
        return graph.is_service(node) and graph.kind(node) != "gateway"

    def hop(u: str, v: str) -> float:
        return 1.0 if counted(u) and counted(v) else 0.0

    roots = [CLIENTS] + sorted(
        n for n in dag.nodes if n != CLIENTS and graph.is_service(n) and not dag.in_degree(n)
    )
    reported = set()
    for root in roots:
        hops, path = graph.heaviest_path(dag, root, hop)
        if hops >= settings["hops_limit"]:
            first = next(i for i in range(len(path) - 1) if hop(path[i], path[i + 1]))
            if path[first] not in reported:
                reported.add(path[first])
                yield Hit(path[first], {"hops": int(hops), "path": _path(path[first:])}, "hops")
    budget = review.design.slos.p95_latency_ms
    total, path = graph.heaviest_path(dag, CLIENTS, review.latency)
    if total > budget:
        # Only the slowest path is reported: the budget is the design's, not one element's.
        params = {"path": _path(path), "latency_ms": _number(total), "budget_ms": _number(budget)}
        yield Hit("design", params, "latency")


@_check("DW04")
def _hub(review: _Review, settings: dict) -> Iterator[Hit]:
    graph = review.graph
    limit = settings["fan_limit"]
    for service in review.design.services:
        name = service.name
        callers = sorted(u for u in graph.calls.predecessors(name) if u != name and graph.is_service(u))
        callees = sorted(v for v in graph.calls.successors(name) if v != name and graph.is_service(v))
        if len(callers) >= limit:
            yield Hit(name, {"count": len(callers), "services": callers}, "fan_in")
        if len(callees) >= limit and service.kind not in settings["fan_out_exempt_kinds"]:
            yield Hit(name, {"count": len(callees), "services": callees}, "fan_out")


@_check("DW05")
def _availability(review: _Review, settings: dict) -> Iterator[Hit]:
    graph = review.graph
    goal = review.design.slos.availability
    shown_goal = _percent(goal)
    if goal >= settings["ha_from"]:
        on_path = graph.on_request_path()
        for service in review.design.services:
            if service.name in on_path and service.instances == 1:
                yield Hit(service.name, {"target_availability": shown_goal}, "single_instance")
        for comp in review.design.components:
            if comp.name in on_path and comp.name in review.single_nodes:
                params = {"technology": comp.technology, "target_availability": shown_goal}
                yield Hit(comp.name, params, "single_node")
    weight = lambda u, v: -math.log(review.availability(v))  # noqa: E731
    loss, path = graph.heaviest_path(graph.sync_dag, CLIENTS, weight)
    reached = math.exp(-loss)
    if len(path) > 1 and reached < goal:
        params = {
            "path": _path(path),
            "availability": _percent(reached, unlike=shown_goal),
            "target_availability": shown_goal,
        }
        yield Hit("design", params, "path")


def _handles(job, topic: str, service: str) -> bool:
    # A trigger names the topic bare ("order.created") or after a label ("topic: order.created").
    named = {job.trigger.strip(), job.trigger.split(":", 1)[-1].strip()}
    return topic in named and job.service in (None, service)


@_check("DW06")
def _unprotected_work(review: _Review, settings: dict) -> Iterator[Hit]:
    design = review.design
    words = settings["gaps"]
    for job in design.jobs:
        gaps = [words["retries"]] if job.retries == 0 else []
        if not job.dead_letter:
            gaps.append(words["dead_letter"])
        if gaps:
            yield Hit(job.name, {"problems": " and ".join(gaps)}, "job")
    runners = {job.service for job in design.jobs}
    for service in design.services:
        bare = [t for t in service.consumes if not any(_handles(j, t, service.name) for j in design.jobs)]
        if bare:
            yield Hit(service.name, {"topics": bare}, "consumer")
        elif service.kind == "worker" and not service.consumes and service.name not in runners:
            yield Hit(service.name, {}, "worker")


def _read_heavy(design: Design, settings: dict) -> str | None:
    """How the workload is read-heavy, in words, or None."""
    reads, writes = design.capacity.reads_per_second, design.capacity.writes_per_second
    if 0 < reads < settings["min_reads_per_second"]:
        return None
    if reads > 0 and reads >= settings["ratio"] * writes:
        return f"{_number(reads / writes)} reads per write" if writes else "reads only"
    key = lambda name: name.replace("-", "_").replace(" ", "_").lower()  # noqa: E731
    marks = {key(t) for t in settings["traits"]}
    for trait in design.traits:
        if key(trait.name) in marks and trait.value is not False:
            return f"trait {trait.name}"
    return None


@_check("DW07")
def _no_cache(review: _Review, settings: dict) -> Iterator[Hit]:
    how = _read_heavy(review.design, settings)
    if how is None:
        return
    graph = review.graph
    on_path = graph.on_request_path()
    behind_front = graph.behind(settings["front_kinds"])
    for comp in review.design.components:
        if comp.kind not in settings["stores"]:
            continue
        readers = [u for u in graph.sync.predecessors(comp.name) if graph.is_service(u) and u in on_path]
        bare = sorted(
            u
            for u in readers
            if u not in behind_front
            and not any(graph.kind(v) in settings["beside_kinds"] for v in graph.calls.successors(u))
        )
        if bare:
            yield Hit(comp.name, {"ratio": how, "services": bare})


@_check("DW08")
def _exposed(review: _Review, settings: dict) -> Iterator[Hit]:
    graph = review.graph
    # What a client request reaches through nothing but load balancers and CDNs.
    reached, seen = set(), set()
    frontier = [*graph.calls.successors(CLIENTS), *graph.sync.successors(CLIENTS)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        if graph.kind(node) in settings["pass_through_kinds"]:
            frontier.extend(graph.calls.successors(node))
        else:
            reached.add(node)
    for comp in review.design.components:
        if comp.kind in DATASTORE_KINDS and comp.kind not in settings["exposable_kinds"]:
            if comp.public or comp.name in reached:
                yield Hit(comp.name, {"kind": comp.kind}, "datastore")
    public = {s.name for s in review.design.services if s.public}
    open_services = sorted(n for n in reached | public if graph.is_service(n) and graph.kind(n) != "gateway")
    if len(open_services) > settings["max_exposed_services"]:
        yield Hit("edge", {"count": len(open_services), "services": open_services}, "no_gateway")


@_check("DW09")
def _distributed_monolith(review: _Review, settings: dict) -> Iterator[Hit]:
    shared = sorted(f.target for f in review.found.get("DW01", []) if f.severity == "error")
    coupling = sorted(f.id for rule_id in ("DW02", "DW03") for f in review.found.get(rule_id, []))
    if shared and coupling:
        yield Hit("design", {"shared": shared, "coupling": coupling})


@_check("DW10")
def _incomplete(review: _Review, settings: dict) -> Iterator[Hit]:
    words = settings["gaps"]
    connected = {n for e in review.design.edges for n in (e.source, e.target)}
    elements = [(s.name, s.language, s.responsibility) for s in review.design.services]
    elements += [(c.name, c.technology, c.purpose) for c in review.design.components]
    for name, technology, purpose in elements:
        gaps = [
            words[gap]
            for gap, ok in (
                ("technology", technology),
                ("purpose", purpose),
                ("connection", name in connected),
            )
            if not ok
        ]
        if gaps:
            yield Hit(name, {"gaps": gaps})


@_check("DW11")
def _over_engineered(review: _Review, settings: dict) -> Iterator[Hit]:
    capacity = review.design.capacity
    # A zero peak means no estimate was made, which says nothing about scale.
    if (
        not 0 < capacity.peak_rps < settings["tiny_peak_rps"]
        or capacity.storage_gb_total >= settings["small_storage_gb"]
    ):
        return
    scale = {"peak_rps": _number(capacity.peak_rps), "storage_gb": _number(capacity.storage_gb_total)}
    for comp in review.design.components:
        if comp.kind in settings["heavy_kinds"]:
            yield Hit(comp.name, {"kind": comp.kind, **scale}, comp.kind)
    if len(review.design.services) > settings["max_services"]:
        yield Hit("services", {"count": len(review.design.services), **scale}, "services")


@_check("DW12")
def _unjustified(review: _Review, settings: dict) -> Iterator[Hit]:
    design = review.design
    known = {f.id for f in design.brief.facts()}
    if not known:
        # A design stored without a Brief (older versions, hand-written JSON) has nothing to cite.
        return
    parts = [*design.services, *design.components, *design.jobs]
    for part in parts:
        if not part.because:
            yield Hit(part.name, {"gap": settings["gaps"]["none"]})
        elif not set(part.because) & known:
            yield Hit(part.name, {"gap": settings["gaps"]["unknown"]})


# -- running the review ---------------------------------------------------------------------


def _suppressions(suppress: Mapping[str, str] | None) -> dict[str, str]:
    if suppress is None:
        return {}
    if not isinstance(suppress, Mapping):
        raise InputError(
            "suppress must map finding ids to reasons, e.g. {'DW01@orders-db': 'split planned for Q3'}"
        )
    return {
        str(key).strip(): str(reason).strip() if reason else "accepted without a stated reason"
        for key, reason in suppress.items()
    }


def lint(design: Design, suppress: Mapping[str, str] | None = None) -> Report:
    """Check every rule over `design`; `suppress` maps finding or rule ids to the reason they are accepted."""
    accept = _suppressions(suppress)
    review = _Review(design, _knowledge())
    merged: dict[str, Finding] = {}
    for rule in rules():
        found: dict[str, Finding] = {}
        for hit in rule.check(review, rule.settings):
            finding = rule.finding(hit, design)
            if finding.id in found:
                # Two problems of one rule on one element make one finding that names both.
                first = found[finding.id]
                fix = first.fix if finding.fix == first.fix else f"{first.fix} {finding.fix}"
                message = f"{first.message.removesuffix(rule.rationale).strip()} {finding.message}"
                finding = replace(first, message=message, fix=fix)
            found[finding.id] = finding
        review.found[rule.id] = list(found.values())
        merged.update(found)
    active, accepted, used = [], [], set()
    for finding in merged.values():
        key = finding.id if finding.id in accept else finding.rule if finding.rule in accept else None
        if key is None:
            active.append(finding)
        else:
            used.add(key)
            accepted.append(replace(finding, accepted=True, reason=accept[key]))
    unused = {k: v for k, v in accept.items() if k not in used}
    return Report(design.name, active, accepted, unused)


def _order(finding: Finding) -> tuple:
    return (SEVERITY_ORDER[finding.severity], finding.rule, finding.target)


class Report:
    """The review of one design: active findings, accepted ones with their reasons, unused suppressions."""

    def __init__(
        self,
        design_name: str,
        findings: list[Finding],
        accepted: list[Finding],
        unused_suppressions: dict[str, str],
    ):
        self.design_name = design_name
        self.findings = sorted(findings, key=_order)
        self.accepted = sorted(accepted, key=_order)
        self.unused_suppressions = dict(sorted(unused_suppressions.items()))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in SEVERITY_ORDER}
        for finding in self.findings:
            counts[finding.severity] += 1
        return {**counts, "accepted": len(self.accepted)}

    def headline(self) -> str:
        if not self.findings and not self.accepted:
            return f"Review of {self.design_name}: no findings."
        c = self.counts()
        plural = lambda n, word: f"{n} {word}" + ("" if n == 1 or word == "info" else "s")  # noqa: E731
        parts = [plural(c["error"], "error"), plural(c["warning"], "warning"), plural(c["info"], "info")]
        return f"Review of {self.design_name}: {', '.join(parts)}, {c['accepted']} accepted."

    # -- renderings ---------------------------------------------------------------------
    def to_text(self, width: int = 88) -> str:
        wrap = lambda text, lead: textwrap.fill(text, width, initial_indent=lead, subsequent_indent=" " * 10)  # noqa: E731
        lines = [self.headline()]
        for f in self.findings:
            lines += [
                "",
                f"{f.severity.upper():<8}  {f.id}  {f.title}",
                wrap(f.message, " " * 10),
                wrap(f"Fix: {f.fix}", " " * 10),
            ]
        if self.accepted:
            lines += ["", "Accepted:"]
            for f in self.accepted:
                lines += [f"  {f.id}  {f.title} ({f.severity})", wrap(f"Reason: {f.reason}", " " * 10)]
        if self.unused_suppressions:
            lines += ["", "Suppressions that matched no finding (fixed, or a typo):"]
            lines += [f"  {key}" for key in self.unused_suppressions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Report {self.headline()}>"

    def to_dict(self) -> dict:
        return {
            "design": self.design_name,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings + self.accepted],
            "unused_suppressions": self.unused_suppressions,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_markdown(self) -> str:
        """The body of the exported document's Review section (no heading of its own)."""
        md = escape.markdown_cell
        if not self.findings and not self.accepted:
            return "No findings: the design passes every review rule."
        out = [md(self.headline())]
        if self.findings:
            rows = [
                [f.severity, f"{md(f.id)}: {md(f.title)}", md(f.message), md(f.fix)] for f in self.findings
            ]
            out += ["", *_markdown_table(["Severity", "Finding", "What is wrong", "How to fix"], rows)]
        if self.accepted:
            rows = [[f"{md(f.id)}: {md(f.title)}", f.severity, md(f.reason)] for f in self.accepted]
            out += [
                "",
                "**Accepted findings**",
                "",
                *_markdown_table(["Finding", "Severity", "Reason"], rows),
            ]
        if self.unused_suppressions:
            out += [
                "",
                "Suppressions that matched no finding: " + ", ".join(map(md, self.unused_suppressions)),
            ]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        h = escape.html
        out = ['<div class="dwarf-lint">', f"<p><strong>{h(self.headline())}</strong></p>"]
        if self.findings:
            rows = [
                [
                    f'<span style="color:{_COLOURS[f.severity]};font-weight:bold">{h(f.severity)}</span>',
                    f"<code>{h(f.id)}</code><br>{h(f.title)}",
                    h(f.message),
                    h(f.fix),
                ]
                for f in self.findings
            ]
            out.append(_html_table(["Severity", "Finding", "What is wrong", "How to fix"], rows))
        if self.accepted:
            rows = [
                [f"<code>{h(f.id)}</code><br>{h(f.title)}", h(f.severity), h(f.reason)] for f in self.accepted
            ]
            out += ["<p>Accepted findings</p>", _html_table(["Finding", "Severity", "Reason"], rows)]
        if self.unused_suppressions:
            listed = ", ".join(f"<code>{h(k)}</code>" for k in self.unused_suppressions)
            out.append(f"<p>Suppressions that matched no finding: {listed}</p>")
        out.append("</div>")
        return "\n".join(out)


_COLOURS = {"error": "#b3261e", "warning": "#8a5a00", "info": "#3d5a80"}


def _markdown_table(head: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a Markdown table; the cells must already be escaped."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table; the cells must already be escaped (they may hold markup of ours)."""
    top = "".join(f"<th>{escape.html(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{top}</tr></thead><tbody>{body}</tbody></table>"
