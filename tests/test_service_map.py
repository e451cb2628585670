"""The service map: self-contained, escaped, deterministic SVG; PNG; clear errors."""

from __future__ import annotations

import base64
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from handmade_maps import HOSTILE, hostile, shop

import dwarf_nb
from dwarf_nb.design import Component, Design, Edge, Service
from dwarf_nb.errors import InputError, ToolMissing
from dwarf_nb.views import icons, service_map

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def folded(text: str) -> str:
    return " ".join(text.split())


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def group(root: ET.Element, kind: str, title: str) -> ET.Element:
    """The <g> dot drew for a node, edge or cluster (its <title> is the DOT name)."""
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == kind and g.findtext(f"{SVG}title") == title:
            return g
    raise AssertionError(f"no {kind} {title} in the map")


def icon_of(root: ET.Element, node_id: str) -> bytes:
    """The PNG drawn for a node, following its <use> to the embedded image."""
    images = {e.get("id"): e for e in root.iter(f"{SVG}image")}
    ref = group(root, "node", node_id).find(f"{SVG}use").get(XLINK_HREF)
    data = images[ref[1:]].get(XLINK_HREF)
    return base64.b64decode(data.split(",", 1)[1])


def assert_self_contained(root: ET.Element) -> None:
    """Every link is embedded data, or points inside the document at embedded data."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    refs = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
    assert refs, "the map should draw icons"
    for ref in refs:
        if ref.startswith("#"):
            ref = by_id[ref[1:]].get(XLINK_HREF)
        assert ref.startswith("data:image/png;base64,"), ref


def assert_shows_every_part(design: Design, root: ET.Element) -> None:
    shown = set(texts(root))
    for part in [*design.services, *design.components]:
        assert part.name in shown, part.name
    for component in design.components:
        if component.technology:
            assert folded(component.technology) in shown, component.technology


def icon_file(class_path: str) -> bytes:
    """The icon file diagrams ships for a node class (where Node._load_icon looks)."""
    import diagrams

    node_class = icons.load(class_path)
    return (Path(diagrams.__file__).resolve().parent.parent / node_class._icon_dir / node_class._icon).read_bytes()


def test_svg_is_self_contained_and_shows_every_part(in_tmp):
    design = shop()
    svg = service_map.render(design)
    assert ".png" not in svg and "resources/" not in svg, "no path to an icon file on this machine"
    root = parse(svg)
    assert_self_contained(root)
    assert_shows_every_part(design, root)
    assert {"Catalog", "Sales"} <= set(texts(root)), "bounded contexts are labelled clusters"
    assert "clients" in texts(root)


def test_each_icon_is_embedded_once(in_tmp):
    svg = service_map.render(shop())
    root = parse(svg)
    embedded = [e.get(XLINK_HREF) for e in root.iter(f"{SVG}image")]
    assert len(embedded) == len(set(embedded))
    # a second Go service reuses the embedded Go icon instead of adding a copy
    design = shop()
    design.services.append(Service(name="refunds", language="go", context="Sales"))
    root = parse(service_map.render(design))
    assert icon_of(root, "n_refunds") == icon_of(root, "n_orders")
    assert len(list(root.iter(f"{SVG}image"))) == len(embedded)


def test_icons_follow_language_and_technology(in_tmp):
    root = parse(service_map.render(shop()))
    assert icon_of(root, "n_orders") == icon_file("diagrams.programming.language.Go")
    assert icon_of(root, "n_billing") == icon_file("diagrams.programming.language.Python")
    assert icon_of(root, "n_catalog") == icon_file("diagrams.programming.language.Typescript")
    assert icon_of(root, "n_orders-db") == icon_file("diagrams.onprem.database.PostgreSQL")
    assert icon_of(root, "n_events") == icon_file("diagrams.onprem.queue.Kafka")
    assert icon_of(root, "n_images") == icon_file("diagrams.aws.storage.SimpleStorageServiceS3")
    assert icon_of(root, "n_clients") == icon_file("diagrams.onprem.client.Users")
    # no technology: the kind decides
    assert icon_of(root, "n_edge-cache") == icon_file(icons.table()["component_kind"]["cdn"])


@pytest.mark.parametrize(
    "technology, expected",
    [
        ("PostgreSQL 16", "diagrams.onprem.database.PostgreSQL"),
        ("Redis Streams", "diagrams.onprem.inmemory.Redis"),
        ("Amazon S3", "diagrams.aws.storage.SimpleStorageServiceS3"),
        ("MongoDB Atlas", "diagrams.onprem.database.MongoDB"),
        ("Django ORM", None),  # contains "go" but is not Go, nor any known technology
    ],
)
def test_technology_words_pick_icons(technology, expected):
    component = Component(name="x", kind="relational_db", technology=technology)
    assert icons.component_class_path(component) == (expected or icons.table()["component_kind"]["relational_db"])


def test_unknown_language_falls_back_to_the_service_kind():
    gateway = Service(name="x", kind="gateway", language="COBOL")
    assert icons.service_class_path(gateway) == icons.table()["service_kind"]["gateway"]
    assert icons.service_class_path(Service(name="x", language="Kotlin/JVM")) == "diagrams.programming.language.Kotlin"


def test_every_icon_in_the_knowledge_file_exists():
    table = icons.table()
    sections = ("language", "service_kind", "technology", "component_kind")
    paths = [table["clients"]] + [p for section in sections for p in table[section].values()]
    for path in paths:
        assert icon_file(path)[:8] == PNG_SIGNATURE, path
    assert set(table["component_kind"]) == set(Component.model_fields["kind"].annotation.__args__)
    assert set(table["service_kind"]) == set(Service.model_fields["kind"].annotation.__args__)


def test_hostile_labels_render_escaped(in_tmp):
    svg = service_map.render(hostile())
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    assert texts(group(root, "node", "n_api")) == ["api", "api · " + folded(HOSTILE)]
    assert texts(group(root, "node", "n_store")) == ["store", folded(HOSTILE)]
    clusters = [texts(g) for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert sorted(clusters) == sorted([[folded(HOSTILE)], ['"quoted" & <b>bold</b>']])
    assert texts(group(root, "edge", "n_api->n_store")) == [folded(HOSTILE), "a\\nb"]
    assert texts(group(root, "edge", "n_api->n_jobs")) == ["amqp", "-->|x|"]
    assert_self_contained(root)


def test_async_edges_are_dashed_and_labelled(in_tmp):
    root = parse(service_map.render(shop()))
    async_edge = group(root, "edge", "n_orders->n_events")
    sync_edge = group(root, "edge", "n_orders->n_orders-db")
    assert async_edge.find(f"{SVG}path").get("stroke-dasharray")
    assert sync_edge.find(f"{SVG}path").get("stroke-dasharray") is None
    assert texts(async_edge) == ["kafka", "order.placed"]
    assert texts(sync_edge) == ["sql"]


def test_components_join_the_context_of_their_only_users():
    groups = {g.context: [getattr(p, "name", p) for p in g.parts] for g in service_map.placement(shop())}
    # the broker links two Sales services only, so it is drawn inside Sales too
    assert groups["Sales"] == ["orders", "billing", "orders-db", "events"]
    assert groups["Catalog"] == ["catalog", "catalog-search", "images"]
    # the CDN serves only clients: top level
    assert groups[""] == ["clients", "edge-cache"]


def test_a_component_shared_by_two_contexts_stays_outside_both():
    design = shop()
    design.edges.append(Edge(source="catalog", target="events", protocol="kafka", mode="async"))
    groups = {g.context: [getattr(p, "name", p) for p in g.parts] for g in service_map.placement(design)}
    assert "events" in groups[""] and "events" not in groups["Sales"]


def test_same_context_label_twice_is_one_cluster_and_similar_ones_stay_apart(in_tmp):
    design = Design(
        name="ctx",
        services=[
            Service(name="a", context="Orders"),
            Service(name="b", context="orders"),
            Service(name="c", context="Orders"),
        ],
    )
    root = parse(service_map.render(design))
    clusters = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert sorted(c.findtext(f"{SVG}text") for c in clusters) == ["Orders", "orders"]


def test_render_is_byte_identical_and_reentrant(in_tmp):
    from diagrams import Cluster, Diagram, getcluster, getdiagram, setdiagram

    first = service_map.render(shop())
    results = []
    worker = threading.Thread(target=lambda: results.append(service_map.render(shop())))
    worker.start()
    second = service_map.render(shop())
    worker.join()
    assert first == second == results[0]

    # A caller's own open diagram and cluster are neither used nor replaced.
    mine = Diagram("mine", show=False)
    setdiagram(mine)
    try:
        with Cluster("theirs") as theirs:
            assert service_map.render(shop()) == first
            assert getdiagram() is mine and getcluster() is theirs
        assert "n_orders" not in mine.dot.source
    finally:
        setdiagram(None)


def test_nothing_is_written_to_the_working_folder(in_tmp):
    service_map.render(shop(), format="svg")
    service_map.render(shop(), format="png")
    assert list(in_tmp.iterdir()) == []


def test_png(in_tmp):
    png = shop().service_map(format="png")
    assert isinstance(png, bytes) and png.startswith(PNG_SIGNATURE)


def test_direction_changes_the_layout(in_tmp):
    wide = parse(service_map.render(shop(), direction="LR"))
    tall = parse(service_map.render(shop(), direction="tb"))
    def size(root):
        return float(root.get("width")[:-2]), float(root.get("height")[:-2])
    (w1, h1), (w2, h2) = size(wide), size(tall)
    assert w1 / h1 > w2 / h2


def test_mermaid_format_is_the_flowchart():
    from dwarf_nb.views.mermaid import flowchart

    assert service_map.render(shop(), format="mermaid") == flowchart(shop())


@pytest.mark.parametrize("kwargs, word", [({"format": "pdf"}, "svg, png, mermaid"), ({"direction": "up"}, "LR")])
def test_bad_options_are_input_errors(kwargs, word):
    with pytest.raises(InputError) as err:
        service_map.render(shop(), **kwargs)
    assert word in str(err.value) and "\n" not in str(err.value)


def test_missing_dot_is_reported_before_any_work(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` anywhere
    with pytest.raises(ToolMissing) as err:
        service_map.render(shop())
    message = str(err.value)
    assert "sudo apt-get install graphviz" in message and "\n" not in message
    # Mermaid needs no system tool.
    assert service_map.render(shop(), format="mermaid").startswith("flowchart LR")


def test_every_example_renders(problem, in_tmp):
    design = dwarf_nb.design(problem["requirements"])
    svg = design.service_map()
    root = parse(svg)
    assert_self_contained(root)
    assert_shows_every_part(design, root)
    assert design.service_map() == svg
    assert list(in_tmp.iterdir()) == []


def test_an_empty_design_draws_an_empty_map(in_tmp):
    root = parse(service_map.render(Design(name="blank")))
    assert texts(root) == ["blank"]
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


@pytest.mark.parametrize("technology", ["x" * 20_000, "Post\x00gres", "Postgres\x01\x1b[2J\ufffe end", "a" * 70_000])
def test_any_label_draws_a_well_formed_map_with_capped_readable_labels(in_tmp, technology):
    design = shop()
    design.components[0].technology = technology
    svg = service_map.render(design)
    root = parse(svg)  # well-formed XML, whatever the label held
    lines = texts(group(root, "node", "n_orders-db"))
    assert lines[0] == "orders-db" and all(len(line) <= service_map.escape.LABEL_LIMIT for line in lines)
    assert not any(ch in svg for ch in "\x00\x01\x1b\ufffe")


def test_a_map_graphviz_refuses_is_one_line_naming_the_design(monkeypatch, in_tmp):
    from subprocess import CalledProcessError

    from dwarf_nb.errors import MapError

    def refuse(*_args, **_kwargs):
        raise CalledProcessError(1, ["dot"], stderr=b"Error: <stdin>: syntax error in line 9\nmore\n")

    monkeypatch.setattr("graphviz.Digraph.pipe", refuse)
    with pytest.raises(MapError) as err:
        service_map.render(shop())
    assert str(err.value) == "graphviz could not draw the service map of shop: Error: <stdin>: syntax error in line 9"

    def hang_up(*_args, **_kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("graphviz.Digraph.pipe", hang_up)
    with pytest.raises(MapError, match="dot stopped reading its input"):
        service_map.render(shop())
