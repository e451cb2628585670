"""The design as a directed graph (networkx), with the path questions the review asks.

Nodes are service and component names plus `clients` (users at the edge); every node
carries its `kind`, whether it is a service and, for services, how many instances run.
Two graphs are kept: `calls` holds every edge, `sync` only the synchronous ones, because
latency, cycles and availability follow synchronous calls while asynchronous ones decouple.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import networkx as nx

from ..design import Design

CLIENTS = "clients"


class DesignGraph:
    """One design's call graphs and the facts the review rules ask of them."""

    def __init__(self, design: Design):
        self.design = design
        self.calls = nx.DiGraph()
        self.sync = nx.DiGraph()
        for graph in (self.calls, self.sync):
            graph.add_node(CLIENTS, kind=CLIENTS, service=False)
            for s in design.services:
                graph.add_node(s.name, kind=s.kind, service=True, instances=s.instances)
            for c in design.components:
                graph.add_node(c.name, kind=c.kind, service=False)
        for e in design.edges:
            self.calls.add_edge(e.source, e.target)
            # A push towards the clients keeps no caller waiting, so it is not a synchronous call.
            if e.mode == "sync" and e.target != CLIENTS:
                self._add_sync(e.source, e.target, e.latency_ms)
        if not self.sync.out_degree(CLIENTS):
            for entry in self._implicit_entries():
                self._add_sync(CLIENTS, entry, None)

    def _add_sync(self, source: str, target: str, latency_ms: float | None) -> None:
        # Of two parallel synchronous edges, the slower stated latency counts.
        if self.sync.has_edge(source, target):
            known = self.sync.edges[source, target]["latency_ms"]
            if latency_ms is None or (known is not None and known > latency_ms):
                latency_ms = known
        self.sync.add_edge(source, target, latency_ms=latency_ms)

    def _implicit_entries(self) -> list[str]:
        """Where requests come in when no edge starts at `clients`.

        The services marked public; failing that the gateways; failing that the API
        services nothing else calls synchronously.
        """
        services = self.design.services
        for pick in (
            lambda s: s.public,
            lambda s: s.kind == "gateway",
            lambda s: s.kind == "api" and not self.sync.in_degree(s.name),
        ):
            found = [s.name for s in services if pick(s)]
            if found:
                return found
        return []

    # -- node facts -------------------------------------------------------------------
    def kind(self, node: str) -> str:
        return self.calls.nodes[node]["kind"]

    def is_service(self, node: str) -> bool:
        return self.calls.nodes[node]["service"]

    def instances(self, node: str) -> int:
        """How many instances of a service run (components count as one managed unit)."""
        return self.calls.nodes[node].get("instances", 1)

    def on_request_path(self) -> set[str]:
        """Every node a client request can reach through synchronous calls."""
        return nx.descendants(self.sync, CLIENTS)

    def behind(self, kinds) -> set[str]:
        """Every node a synchronous call passes on to from a node of one of these kinds."""
        found: set[str] = set()
        for node in self.sync.nodes:
            if self.kind(node) in kinds:
                found |= nx.descendants(self.sync, node)
        return found

    # -- path questions ---------------------------------------------------------------
    def sync_loops(self) -> list[tuple[list[str], list[str]]]:
        """Each group of nodes that depend on each other through synchronous calls.

        Returns (the group's members sorted, the shortest loop from the first member back
        to itself).
        """
        loops = []
        for group in nx.strongly_connected_components(self.sync):
            first, *others = members = sorted(group)
            if not others and not self.sync.has_edge(first, first):
                continue
            inside = self.sync.subgraph(members)
            # Every shortest way back, so that ties are broken by name, not by edge order.
            back = min(
                (
                    path
                    for nxt in inside.successors(first)
                    if nxt != first or not others
                    for path in nx.all_shortest_paths(inside, nxt, first)
                ),
                key=lambda path: (len(path), path),
            )
            loops.append((members, [first, *back]))
        return sorted(loops)

    @cached_property
    def sync_dag(self) -> nx.DiGraph:
        """The synchronous graph with every loop cut at the edge that closes it.

        Loops are reported on their own; cutting them lets the longest-path questions be
        answered exactly on what remains. One depth-first walk (from the clients first,
        then in name order) drops each edge that leads back onto the walk's own stack,
        which leaves a graph without loops in time linear in its size.
        """
        dag = self.sync.copy()
        state: dict[str, bool] = {}  # True while on the walk's stack, False when finished
        for root in [CLIENTS, *sorted(self.sync.nodes)]:
            if root in state:
                continue
            state[root] = True
            stack = [(root, iter(sorted(self.sync.successors(root))))]
            while stack:
                node, children = stack[-1]
                for child in children:
                    if state.get(child) is True:
                        dag.remove_edge(node, child)
                    elif child not in state:
                        state[child] = True
                        stack.append((child, iter(sorted(self.sync.successors(child)))))
                        break
                else:
                    state[node] = False
                    stack.pop()
        return dag

    @staticmethod
    def heaviest_path(
        dag: nx.DiGraph, start: str, weight: Callable[[str, str], float]
    ) -> tuple[float, list[str]]:
        """The path from `start` whose edges weigh the most in total (weights >= 0)."""
        best: dict[str, tuple[float, list[str]]] = {}
        reach = nx.descendants(dag, start) | {start}
        for node in reversed(list(nx.topological_sort(dag.subgraph(reach)))):
            best[node] = (0.0, [node])
            for nxt in sorted(dag.successors(node)):  # sorted: ties resolve the same every time
                total = weight(node, nxt) + best[nxt][0]
                if total > best[node][0]:
                    best[node] = (total, [node, *best[nxt][1]])
        return best[start]
