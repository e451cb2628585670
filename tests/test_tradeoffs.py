"""Weighted decision matrices: totals, ranking under weights, sensitivity, topic tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from handmade_maps import language_decision

import dwarf_nb
from dwarf_nb.analysis import tradeoffs
from dwarf_nb.analysis.tradeoffs import decision_table, rank
from dwarf_nb.design import Decision, Design, Option
from dwarf_nb.errors import DesignError, InputError


def database_decision() -> Decision:
    return Decision(
        title="Primary store for orders",
        topic="database",
        subject="orders-db",
        weights={"consistency": 3.0},  # "operations" has no weight: shown, but it counts 0
        options=[
            Option(name="PostgreSQL", scores={"consistency": 5, "operations": 4}),
            Option(name="MongoDB", scores={"consistency": 3, "operations": 5}),
            Option(name="Cassandra", scores={"consistency": 2}),  # no operations score: counts 0
        ],
        chosen="PostgreSQL",
    )


def design_with_decisions() -> Design:
    pay = language_decision({"performance": 2.0, "hiring": 1.0}).model_copy(
        update={"subject": "payments", "title": "Language for payments"}
    )
    return Design(name="d", decisions=[language_decision(), pay, database_decision()])


def test_weighted_totals_and_rank_hand_checked():
    table = tradeoffs.decision_table(database_decision())
    # Weighted means: PostgreSQL (3*5 + 0*4) / 3 = 5, MongoDB 9 / 3 = 3, Cassandra 6 / 3 = 2
    assert list(table.index) == ["PostgreSQL", "MongoDB", "Cassandra"]
    assert list(table.columns) == ["consistency", "operations", "weighted_total", "rank"]
    assert list(table["weighted_total"]) == [5.0, 3.0, 2.0]
    assert list(table["rank"]) == [1, 2, 3]
    assert math.isnan(table.loc["Cassandra", "operations"]), "a missing score shows as missing"
    assert tradeoffs.rank(database_decision()) == [("PostgreSQL", 5.0), ("MongoDB", 3.0), ("Cassandra", 2.0)]
    # Once given a weight the criterion counts: PostgreSQL (15 + 4*4) / 7, MongoDB (9 + 4*5) / 7, Cassandra 6 / 7.
    ranked = tradeoffs.rank(database_decision(), {"operations": 4})
    assert [name for name, _ in ranked] == ["PostgreSQL", "MongoDB", "Cassandra"]
    assert [total for _, total in ranked] == pytest.approx([31 / 7, 29 / 7, 6 / 7])


def test_weights_change_the_ranking():
    decision = language_decision()
    assert tradeoffs.rank(decision)[0] == ("Go", 3.0)  # Go (5+1)/2, Python (1+4)/2
    assert tradeoffs.rank(decision, {"hiring": 3})[0] == ("Python", 3.25)  # Go (5+3)/4, Python (1+12)/4
    table = tradeoffs.decision_table(decision, {"hiring": 3})
    assert table.loc["Python", "rank"] == 1 and table.loc["Go", "rank"] == 2


def test_overrides_merge_over_the_decision_weights():
    decision = database_decision()
    assert tradeoffs.effective_weights(decision) == {"consistency": 3.0, "operations": 0.0}
    assert tradeoffs.effective_weights(decision, {"operations": 4}) == {"consistency": 3.0, "operations": 4.0}


def test_equal_totals_share_a_rank():
    decision = language_decision({"performance": 3.0, "hiring": 4.0})  # Go 15+4 = 19, Python 3+16 = 19
    assert list(tradeoffs.decision_table(decision)["rank"]) == [1, 1]


@pytest.mark.parametrize(
    "weights, words",
    [
        ({"speed": 2}, ["'speed'", "performance", "hiring"]),
        ({"hiring": -1}, ["hiring", "zero or positive"]),
        ({"hiring": "lots"}, ["hiring", "number"]),
        ({"hiring": float("nan")}, ["hiring"]),
        ({"hiring": float("inf")}, ["hiring", "finite"]),
    ],
)
def test_bad_weights_are_input_errors(weights, words):
    with pytest.raises(InputError) as err:
        tradeoffs.decision_table(language_decision(), weights)
    assert all(w in str(err.value) for w in words) and "\n" not in str(err.value)


def test_sensitivity_clear_lead_and_smallest_flip():
    result = tradeoffs.sensitivity(language_decision())
    assert (result.winner, result.runner_up) == ("Go", "Python")
    assert result.margin == pytest.approx(1 / 6)  # (6 - 5) / 6
    assert not result.close_call
    # Raising hiring past 4/3 (Go 5+w, Python 1+4w) or lowering performance below 3/4
    # (Go 5w+1, Python w+4) flips it; the lowering is the smaller change.
    flip = result.flip
    assert (flip.criterion, flip.new_winner) == ("performance", "Python")
    assert flip.new_weight == pytest.approx(0.75)
    # ...and really does flip, just beyond the break-even weight and not before it:
    assert tradeoffs.rank(language_decision(), {"performance": 0.74})[0][0] == "Python"
    assert tradeoffs.rank(language_decision(), {"performance": 0.76})[0][0] == "Go"
    assert "Go leads Python by 17% (a clear lead)" in result.line
    assert "lowering the weight of performance from 1 to below 0.75 would make Python win" in result.line


def test_sensitivity_close_call():
    decision = language_decision({"performance": 1.0, "hiring": 1.3})  # Go 6.3, Python 6.2
    result = tradeoffs.sensitivity(decision)
    assert result.winner == "Go" and result.close_call
    assert result.margin == pytest.approx(0.1 / 6.3)
    assert "close call" in result.line


def test_a_tie_is_a_close_call_that_any_nudge_flips():
    decision = language_decision({"performance": 3.0, "hiring": 4.0})  # Go 15+4, Python 3+16
    result = tradeoffs.sensitivity(decision)
    assert (result.winner, result.runner_up, result.margin, result.close_call) == ("Go", "Python", 0.0, True)
    assert (result.flip.criterion, result.flip.new_weight, result.flip.raises) == ("performance", 3.0, False)
    assert "ties with Python" in result.line and "lowering the weight of performance from 3 to below 3" in result.line
    assert tradeoffs.rank(decision, {"performance": 2.99})[0][0] == "Python"


def test_no_single_weight_change_flips_a_dominant_option():
    decision = Decision(
        title="Broker",
        topic="broker",
        options=[
            Option(name="Kafka", scores={"throughput": 5, "replay": 5}),
            Option(name="NATS", scores={"throughput": 3, "replay": 1}),
        ],
        chosen="Kafka",
    )
    result = tradeoffs.sensitivity(decision)
    assert result.flip is None and "no change to a single weight" in result.line


def test_single_option_and_no_options():
    only = Decision(title="Style", topic="style", options=[Option(name="monolith", scores={"x": 1})], chosen="monolith")
    assert tradeoffs.sensitivity(only).runner_up is None
    with pytest.raises(DesignError, match="no options"):
        tradeoffs.sensitivity(Decision(title="Empty", chosen="x"))


def test_topic_table_is_one_frame_indexed_by_decision_and_option():
    design = design_with_decisions()
    frame = design.tradeoffs("languages")
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.names == ["decision", "option"]
    assert list(frame.index) == [("orders", "Go"), ("orders", "Python"), ("payments", "Go"), ("payments", "Python")]
    assert frame.loc[("payments", "Go"), "weighted_total"] == pytest.approx(11 / 3)  # (2*5 + 1) / (2 + 1)
    assert list(frame.columns)[-2:] == ["weighted_total", "rank"]
    assert design.tradeoffs("language").equals(frame)
    options = design.tradeoffs("databases").index.get_level_values("option")
    assert list(options) == ["PostgreSQL", "MongoDB", "Cassandra"]


def test_any_topic_by_singular_or_plural_in_any_case():
    broker = Decision(
        title="Event transport", topic="broker", options=[Option(name="Kafka", scores={"replay": 5})], chosen="Kafka"
    )
    design = Design(name="b", decisions=[broker, database_decision()])
    assert list(design.tradeoffs("Brokers").index) == [("Event transport", "Kafka")]
    assert design.tradeoffs(" DATABASES ").equals(design.tradeoffs("database"))


def test_topic_weights_apply_to_every_decision_that_has_the_criterion():
    frame = design_with_decisions().tradeoffs("languages", weights={"hiring": 10})
    assert frame.loc[("orders", "Python"), "rank"] == 1 and frame.loc[("payments", "Python"), "rank"] == 1
    with pytest.raises(InputError, match="consistency"):
        design_with_decisions().tradeoffs("databases", weights={"hiring": 1})


def test_decisions_without_subject_or_with_the_same_one_are_told_apart():
    a = language_decision().model_copy(update={"subject": None, "title": "First"})
    b = language_decision().model_copy(update={"subject": None, "title": "Second"})
    c = language_decision()
    d = language_decision().model_copy(update={"title": "Again for orders"})
    frame = Design(name="x", decisions=[a, b, c, d]).tradeoffs("language")
    labels = list(dict.fromkeys(frame.index.get_level_values("decision")))
    assert labels == ["First", "Second", "Language for orders", "Again for orders"]


def test_unknown_topic_lists_the_topics_present():
    with pytest.raises(InputError) as err:
        design_with_decisions().tradeoffs("frameworks")
    assert "database, language" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputError, match="no decisions"):
        Design(name="empty").tradeoffs("languages")


def test_styled_table_escapes_and_highlights_the_winners():
    hostile = language_decision().model_copy(update={"subject": "<script>x</script>", "chosen": "Go & <b>"})
    hostile.options[0].name = "Go & <b>"
    html = tradeoffs.styled(Design(name="h", decisions=[hostile]).tradeoffs("languages")).to_html()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "Go &amp; &lt;b&gt;" in html
    assert html.count(tradeoffs.WINNER_CSS.split(";")[0]) >= 1
    # exactly the winner's row (4 cells: two scores, total, rank) carries the highlight
    frame = design_with_decisions().tradeoffs("languages")
    styler = tradeoffs.styled(frame)
    styler._compute()
    highlighted_rows = {r for (r, _c), css in styler.ctx.items() if css}
    assert highlighted_rows == {i for i, rank in enumerate(frame["rank"]) if rank == 1}


def test_sensitivity_lines_name_each_decision():
    lines = tradeoffs.sensitivity_lines(design_with_decisions(), "languages")
    assert [line.split(":")[0] for line in lines] == ["orders", "payments"]


def test_examples_have_consistent_tables(problem):
    design = dwarf_nb.design(problem["requirements"])
    for topic in tradeoffs.topics(design):
        frame = design.tradeoffs(topic)
        for decision in tradeoffs.decisions_for(design, topic):
            if decision.options:
                table = tradeoffs.decision_table(decision)
                assert table["weighted_total"].is_monotonic_decreasing
                assert set(table.index) == {o.name for o in decision.options}
        assert len(frame) == sum(len(d.options) for d in tradeoffs.decisions_for(design, topic))


def test_criteria_a_weighted_decision_leaves_out_weigh_nothing():
    decision = Decision(
        title="Store",
        weights={"consistency": 0.7, "cost": 0.3},
        options=[
            Option(name="postgresql", scores={"consistency": 5, "cost": 3, "read_latency": 2}),
            Option(name="sqlite", scores={"consistency": 3, "cost": 5, "read_latency": 5}),
        ],
        chosen="postgresql",
    )
    assert rank(decision)[0][0] == "postgresql"
    assert decision_table(decision).loc["sqlite", "read_latency"] == 5  # still shown


def test_tables_agree_with_what_the_designer_chose(problem):
    design = dwarf_nb.design(problem["requirements"])
    for decision in design.decisions:
        if decision.options and decision.status != "superseded":
            assert rank(decision)[0][0] == decision.chosen, decision.title



@settings(max_examples=200, deadline=None)
@given(weights=st.dictionaries(st.sampled_from(["consistency", "operations"]), st.floats(0, 1000), min_size=1))
def test_totals_stay_on_the_scores_scale_whatever_the_weights(weights):
    # Scores run 1-5 (a missing one counts 0), so every weighted total lies within [0, 5].
    table = tradeoffs.decision_table(database_decision(), weights)
    assert all(0.0 <= t <= 5.0 + 1e-9 for t in table["weighted_total"])
    full = tradeoffs.effective_weights(database_decision(), weights)
    scaled = {k: v * 7 for k, v in full.items()}  # the same preference, louder: the same totals
    before, after = tradeoffs.rank(database_decision(), full), tradeoffs.rank(database_decision(), scaled)
    assert [t for _, t in after] == pytest.approx([t for _, t in before])


def test_a_flip_close_to_the_current_weight_is_written_with_the_digits_that_show_it():
    from dwarf_nb.analysis.tradeoffs import Flip, Sensitivity

    line = Sensitivity("Store", "postgresql", "mysql", 0.01, True,
                       Flip("fit", 0.4, 0.39987, "mysql", raises=False)).line
    assert "from 0.4 to below 0.3999 would make mysql win" in line


def test_the_documents_table_prints_the_weights_the_totals_used():
    from dwarf_nb.views.adr import decision_markdown

    decision = Decision(title="Store", chosen="pg", weights={"consistency": 2},
                        options=[Option(name="pg", scores={"consistency": 5, "cost": 2}),
                                 Option(name="mongo", scores={"consistency": 3, "cost": 5})])
    header = decision_markdown(decision).splitlines()[0]
    assert "consistency (×2)" in header and "cost (×0)" in header  # scored for information, weighed 0
