"""`%dwarf list|show|history|diff|tradeoffs|lint|map|export|help` on a real IPython shell."""

from __future__ import annotations

import base64
import shutil

import pytest
from handmade_card import hostile_shop
from notebook_shell import SHOP, _shell, ip, run  # noqa: F401  (fixtures)


@pytest.fixture
def shop(ip):
    ran = run(ip, f"%%dwarf shop\n{SHOP}")
    assert ran.error is None, ran.stdout
    return ip.user_ns["shop"]


def test_help_documents_subcommands_and_variables(ip):
    ran = run(ip, "%dwarf help")
    assert ran.error is None
    for word in ("list", "show", "history", "diff", "tradeoffs", "lint", "map", "export", "{{var}}"):
        assert word in ran.stdout
    assert run(ip, "%dwarf").stdout == ran.stdout


def test_unknown_subcommand_lists_the_valid_ones(ip):
    message = run(ip, "%dwarf frobnicate shop").usage_error()
    assert "frobnicate" in message
    for word in ("list", "show", "history", "diff", "tradeoffs", "lint", "map", "export", "help"):
        assert word in message


def test_unknown_flag_of_a_subcommand_shows_its_usage(ip, shop):
    message = run(ip, "%dwarf map shop --colour red").usage_error()
    assert "--colour" in message and "--format" in message


def test_unknown_design_names_the_known_ones(ip, shop):
    message = run(ip, "%dwarf show shopp").usage_error()
    assert "shopp" in message and "shop" in message.replace("shopp", "")


def test_list_is_empty_then_names_designs(ip, in_tmp):
    assert "no designs" in run(ip, "%dwarf list").stdout
    run(ip, "%dwarf show shop")
    assert list(in_tmp.iterdir()) == []  # reading an empty history creates no file
    run(ip, f"%%dwarf shop\n{SHOP}")
    listed = run(ip, "%dwarf list")
    assert listed.last("text/plain").split()[:2] == ["shop", "v1"]
    assert "<td>shop</td>" in listed.last("text/html")


def test_show_prefers_the_notebook_variable_and_reads_versions_from_the_store(ip, shop):
    ip.user_ns["shop"] = shop.model_copy(update={"summary": "edited in the notebook"})
    assert "edited in the notebook" in run(ip, "%dwarf show shop").last("text/html")
    assert "edited in the notebook" not in run(ip, "%dwarf show shop@v1").last("text/html")
    assert run(ip, "%dwarf show shop@v7").usage_error() == "shop has no v7: its versions are v1"


def test_a_hyphenated_name_finds_its_notebook_variable(ip):
    assert run(ip, f"%%dwarf my-shop\n{SHOP}").error is None
    ip.user_ns["my_shop"] = ip.user_ns["my_shop"].model_copy(update={"summary": "edited in the notebook"})
    assert "edited in the notebook" in run(ip, "%dwarf show my-shop").last("text/html")


def test_diff_of_a_single_version_asks_for_a_refinement(ip, shop):
    assert "one version" in run(ip, "%dwarf diff shop").usage_error()


def test_diff_between_two_named_versions(ip, shop):
    run(ip, f"%%dwarf shop --no-map\n{SHOP}\nThe team also knows Go.")
    ran = run(ip, "%dwarf diff shop v1 2")
    assert ran.error is None
    assert ran.last("text/plain").startswith("shop v1 → shop v2")
    assert "one version" not in ran.stdout
    assert "V1 V2" in run(ip, "%dwarf diff shop 1").usage_error()
    assert "version number" in run(ip, "%dwarf diff shop one two").usage_error()


def test_tradeoffs_with_weights_and_topic(ip, shop):
    plain = run(ip, "%dwarf tradeoffs shop --topic languages")
    assert plain.error is None
    assert "Tradeoffs: languages" in plain.last("text/html") and "weighted_total" in plain.last("text/html")
    default = run(ip, "%dwarf tradeoffs shop").last("text/plain")
    assert "Tradeoffs: language" in default and "Tradeoffs: database" in default
    decision = next(d for d in shop.decisions if d.topic == "language")
    criterion = next(iter(decision.weights))
    heavy = run(ip, f"%dwarf tradeoffs shop --topic languages --weights {criterion}=50")
    assert heavy.error is None and heavy.last("text/plain") != plain.last("text/plain")


def test_weights_without_topic_reach_the_table_that_scores_them(ip, shop):
    # The help's own example: a criterion only the language table scores, both tables shown.
    from dwarf_nb.analysis.tradeoffs import criteria

    scored = {topic: {c for d in shop.decisions if d.topic == topic for c in criteria(d)} for topic in ("language", "database")}
    criterion = sorted(scored["language"] - scored["database"])[0]
    plain = run(ip, "%dwarf tradeoffs shop").last("text/plain")
    heavy = run(ip, f"%dwarf tradeoffs shop --weights {criterion}=50")
    assert heavy.error is None
    assert "Tradeoffs: database" in heavy.last("text/plain") and heavy.last("text/plain") != plain
    assert "astrology" in run(ip, "%dwarf tradeoffs shop --weights astrology=2").usage_error()


def test_bad_weights_and_unknown_topic(ip, shop):
    assert "CRITERION=NUMBER" in run(ip, "%dwarf tradeoffs shop --weights performance=lots").usage_error()
    assert "astrology" in run(ip, "%dwarf tradeoffs shop --topic astrology").usage_error()


def test_lint_suppress_moves_a_finding_to_accepted(ip):
    ip.user_ns["handmade"] = design = hostile_shop()
    finding = design.lint().findings[0].id
    before = run(ip, "%dwarf lint handmade")
    assert finding in before.last("text/plain") and "Accepted:" not in before.last("text/plain")
    assert finding in before.last("text/html")
    after = run(ip, f"%dwarf lint handmade --suppress '{finding}=a risk we take'")
    assert after.error is None
    accepted = after.last("text/plain").split("Accepted:")[1]
    assert finding in accepted and "a risk we take" in accepted


def test_map_formats(ip, shop):
    svg = run(ip, "%dwarf map shop")
    assert svg.last("image/svg+xml").lstrip().startswith(("<?xml", "<svg"))
    png = run(ip, "%dwarf map shop --format png --direction TB")
    assert base64.b64decode(png.last("image/png")).startswith(b"\x89PNG")
    mermaid = run(ip, "%dwarf map shop --format mermaid")
    assert mermaid.last("text/markdown").startswith("```mermaid\nflowchart LR")


def test_graphviz_missing_is_one_line_naming_the_install(ip, shop, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    message = run(ip, "%dwarf map shop").usage_error()
    assert "graphviz" in message and "apt-get install graphviz" in message
    # The cell still shows the design, with a note where the map would be.
    ran = run(ip, f"%%dwarf shop\n{SHOP}")
    assert ran.error is None
    html = ran.last("text/html")
    assert "<svg" not in html and "No service map" in html and "apt-get install graphviz" in html
    # Mermaid needs no graphviz.
    assert run(ip, "%dwarf map shop --format mermaid").error is None


def test_export_writes_the_document_and_refuses_to_clobber_edits(ip, shop, in_tmp):
    ran = run(ip, "%dwarf export shop out")
    assert ran.error is None, ran.stdout
    document = in_tmp / "out" / "BACKEND_DESIGN.md"
    assert document.is_file()
    # a link to the document and the artifacts counted by kind, not every path
    written = sum(1 for p in (in_tmp / "out").rglob("*") if p.is_file() and not p.name.startswith("."))
    assert ran.last("text/plain").startswith(f"wrote {written} files to out/: BACKEND_DESIGN.md; ")
    html = ran.last("text/html")
    assert '<a href="out/BACKEND_DESIGN.md" target="_blank">BACKEND_DESIGN.md</a>' in html
    assert "decision records" in html and "SQL schema" in html and "/adr/" not in html
    document.write_text(document.read_text() + "\nhand-written notes\n")
    assert "out" in run(ip, "%dwarf export shop out").usage_error()
    assert run(ip, "%dwarf export shop out --force").error is None
    assert "hand-written notes" not in document.read_text()


def test_tradeoffs_widget_applies_a_new_version(ip, shop):
    from dwarf_nb.analysis.tradeoffs import rank
    from dwarf_nb.store import Store

    explorer = ip.run_line_magic("dwarf", "tradeoffs shop --topic databases --widget")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "<table" in bundle["text/html"]
    decision = explorer.decision
    # Weigh only the criterion where some other option beats the chosen one the most.
    chosen = next(o for o in decision.options if o.name == decision.chosen)
    gaps = {(o.name, c): o.scores.get(c, 0) - chosen.scores.get(c, 0) for o in decision.options for c in explorer.sliders}
    _, best = max(gaps, key=gaps.get)
    for criterion, slider in explorer.sliders.items():
        slider.value = slider.max if criterion == best else 0.0
    winner = rank(decision, explorer.weights)[0][0]
    assert winner != decision.chosen
    explorer.apply()
    applied = ip.user_ns["shop"]
    assert applied is explorer.design and applied is not shop
    assert applied.decisions[explorer.dropdown.value].chosen == winner
    assert len(Store(".dwarf/designs.db").history("shop")) == 2


def test_tradeoffs_widget_refuses_weights_it_would_ignore(ip, shop):
    message = run(ip, "%dwarf tradeoffs shop --widget --weights performance=3").usage_error()
    assert "--weights" in message and "sliders" in message
