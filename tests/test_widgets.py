"""The tradeoff explorer, driven the way a notebook user drives it: sliders, dropdown, Apply."""

from __future__ import annotations

import re

import pytest

from dwarf_nb.design import Decision, Design, Option, Service
from dwarf_nb.errors import DwarfError, InputError
from dwarf_nb.notebook.widgets import TradeoffExplorer
from dwarf_nb.store import Store

EVIL = '<img src=x onerror="alert(1)">'


def make_design(extra_option: str | None = None, extra_scores: dict | None = None) -> Design:
    language_options = [
        Option(name="python", scores={"performance": 2, "dev_speed": 5, "ecosystem": 4}, note="FastAPI"),
        Option(name="go", scores={"performance": 5, "dev_speed": 3, "ecosystem": 3}, note="net/http + chi"),
        Option(name="typescript", scores={"performance": 3, "dev_speed": 4, "ecosystem": 4}, note="Fastify"),
    ]
    if extra_option:
        scores = extra_scores or {"performance": 1, "dev_speed": 1, "ecosystem": 1}
        language_options.append(Option(name=extra_option, scores=scores))
    return Design(
        name="shop",
        services=[
            Service(name="orders", language="python", framework="FastAPI"),
            Service(name="catalog", language="python", framework="FastAPI"),
        ],
        decisions=[
            Decision(
                title="Language for orders",
                topic="language",
                subject="orders",
                weights={"performance": 1, "dev_speed": 2, "ecosystem": 1},
                options=language_options,
                chosen="python",
            ),
            Decision(
                title="Database for orders",
                topic="database",
                subject="orders",
                weights={"consistency": 3, "scalability": 1},
                options=[
                    Option(name="postgresql", scores={"consistency": 5, "scalability": 3}),
                    Option(name="mongodb", scores={"consistency": 2, "scalability": 5}),
                ],
                chosen="postgresql",
            ),
        ],
    )


def top_row(html: str) -> str:
    """The option named in the first body row of the ranking table."""
    body = html.split("<tbody>", 1)[1]
    return re.search(r"<th[^>]*>(.*?)</th>", body, re.S).group(1).strip()


def test_one_slider_per_criterion_with_the_decision_weights():
    explorer = TradeoffExplorer(make_design(), topic="language")
    assert {name: s.value for name, s in explorer.sliders.items()} == {
        "performance": 1.0,
        "dev_speed": 2.0,
        "ecosystem": 1.0,
    }
    assert list(explorer.slider_box.children) == list(explorer.sliders.values())


def test_moving_sliders_reranks_live():
    explorer = TradeoffExplorer(make_design(), topic="language")
    table, bars, verdict = explorer.table.value, explorer.bars.value, explorer.sensitivity.value
    assert top_row(table) == "python"
    assert verdict.startswith("<p>python leads")

    explorer.sliders["performance"].value = 5
    explorer.sliders["dev_speed"].value = 0.5

    assert top_row(explorer.table.value) == "go"
    assert explorer.table.value != table
    assert explorer.bars.value != bars and explorer.bars.value.index(">go<") < explorer.bars.value.index(">python<")
    assert explorer.sensitivity.value.startswith("<p>go leads")
    assert explorer.weights == {"performance": 5.0, "dev_speed": 0.5, "ecosystem": 1.0}


def test_dropdown_switches_decision_and_sliders():
    explorer = TradeoffExplorer(make_design())
    labels = [label for label, _ in explorer.dropdown.options]
    assert labels == ["language: orders", "database: orders"]

    explorer.dropdown.value = explorer.dropdown.options[1][1]

    assert set(explorer.sliders) == {"consistency", "scalability"}
    assert top_row(explorer.table.value) == "postgresql"
    explorer.sliders["consistency"].value = 0
    assert top_row(explorer.table.value) == "mongodb"
    assert "mongodb leads postgresql" in explorer.sensitivity.value


def test_apply_writes_a_new_version_with_the_winner():
    original = make_design()
    received = []
    explorer = TradeoffExplorer(original, topic="language", on_apply=received.append)
    explorer.sliders["performance"].value = 5

    new = explorer.apply()

    assert received == [new] and explorer.design is new
    decision = new.decisions[0]
    assert decision.chosen == "go"
    assert decision.weights == {"performance": 5.0, "dev_speed": 2.0, "ecosystem": 1.0}
    # the designer's own "switch orders to go" moved the service, framework included
    orders = new.service("orders")
    assert orders.language == "Go" and orders.framework not in ("", "FastAPI")
    assert [d.title for d in new.decisions] == [d.title for d in original.decisions]  # no duplicate decision
    assert new.service("catalog").language == "python"  # only the decision's subject moves
    # the design the user started from is untouched
    assert original.decisions[0].chosen == "python" and original.service("orders").language == "python"
    assert "go" in explorer.status.value


def test_apply_with_a_language_the_designer_does_not_know():
    design = make_design(extra_option="cobol", extra_scores={"performance": 9, "dev_speed": 1, "ecosystem": 1})
    explorer = TradeoffExplorer(design, topic="language")
    explorer.sliders["performance"].value = explorer.sliders["performance"].max
    assert explorer.ranking()[0][0] == "cobol"
    new = explorer.apply()
    assert new.decisions[0].chosen == "cobol"
    assert (new.service("orders").language, new.service("orders").framework) == ("cobol", "")


def test_sliders_fit_fractional_weights():
    design = make_design()
    fractional = design.decisions[0].model_copy(update={"weights": {"performance": 0.1, "dev_speed": 0.4, "ecosystem": 0.5}})
    explorer = TradeoffExplorer(design.model_copy(update={"decisions": [fractional]}))
    slider = explorer.sliders["performance"]
    assert slider.value == pytest.approx(0.1)
    assert slider.max == pytest.approx(1.25)
    slider.value = slider.max
    assert top_row(explorer.table.value) == "go"


def test_apply_on_a_database_decision_keeps_services():
    explorer = TradeoffExplorer(make_design(), topic="database")
    explorer.sliders["consistency"].value = 0
    new = explorer.apply()
    assert new.decisions[1].chosen == "mongodb"
    assert [s.language for s in new.services] == ["python", "python"]


def test_apply_saves_the_next_version_in_the_store(tmp_path):
    store = Store(tmp_path / "designs.db")
    try:
        store.save(make_design(), note="designed")
        explorer = TradeoffExplorer(store.load("shop"), topic="language", store=store)
        explorer.sliders["performance"].value = 5
        explorer.apply()
        assert [v.version for v in store.history("shop")] == [1, 2]
        assert store.load("shop").decisions[0].chosen == "go"
        assert store.load("shop", 1).decisions[0].chosen == "python"
        assert "saved as shop v2" in explorer.status.value
    finally:
        store.close()


def test_bundle_has_widget_view_and_static_fallback():
    explorer = TradeoffExplorer(make_design(), topic="language")
    bundle = explorer._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.box.model_id
    # what nbconvert / nbmake keep: a readable ranking without a widget front end
    assert top_row(bundle["text/html"]) == "python"
    assert "python leads" in bundle["text/html"]
    assert bundle["text/plain"].startswith("Language for orders: python leads")


def test_design_derived_names_are_escaped():
    explorer = TradeoffExplorer(make_design(extra_option=EVIL), topic="language")
    for html in (explorer.table.value, explorer.bars.value, explorer._repr_mimebundle_()["text/html"]):
        assert "<img" not in html
        assert "&lt;img src=x onerror=" in html


def test_no_decisions_is_a_one_line_user_error():
    with pytest.raises(InputError, match="no decision") as err:
        TradeoffExplorer(Design(name="empty"))
    assert isinstance(err.value, DwarfError) and "\n" not in str(err.value)


def test_only_live_scored_decisions_are_offered():
    design = make_design()
    superseded = design.decisions[1].model_copy(update={"status": "superseded"})
    unscored = Decision(title="Language for catalog", topic="language", subject="catalog",
                        options=[Option(name="go"), Option(name="python")], chosen="go")
    explorer = TradeoffExplorer(design.model_copy(update={"decisions": [design.decisions[0], superseded, unscored]}))
    assert [label for label, _ in explorer.dropdown.options] == ["language: orders"]


def test_unknown_topic_is_a_user_error():
    with pytest.raises(InputError, match="topics in this design are database, language"):
        TradeoffExplorer(make_design(), topic="broker")


def test_apply_with_the_winner_unchanged_saves_no_version(tmp_path):
    store = Store(tmp_path / "designs.db")
    try:
        store.save(make_design(), note="designed")
        received = []
        explorer = TradeoffExplorer(store.load("shop"), topic="language", store=store, on_apply=received.append)
        explorer.sliders["dev_speed"].value = 3  # python still wins
        assert explorer.apply() is explorer.design and received == []
        assert [v.version for v in store.history("shop")] == [1]
        assert "python stays the choice, so no version was saved" in explorer.status.value
    finally:
        store.close()
