"""The rich display of a Design and its plain-text summary, on a hand-made design whose
free text tries to break out of every format it lands in (tests/handmade_card.py)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from handmade_card import hostile_shop

from dwarf_nb.design import Design
from dwarf_nb.views.display import DESIGN_MIME, mimebundle
from dwarf_nb.views.text import summary


@pytest.fixture
def design() -> Design:
    return hostile_shop()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def test_bundle_holds_every_representation(design):
    bundle = mimebundle(design)
    assert set(bundle) == {"text/html", "text/markdown", "text/plain", DESIGN_MIME}
    # JupyterLab ranks its JSON tree above HTML: a plain application/json entry would hide the card.
    assert "application/json" not in bundle
    assert Design.model_validate(bundle[DESIGN_MIME]) == design
    assert design._repr_mimebundle_().keys() == bundle.keys()


def test_application_json_when_asked_for_by_name(design):
    bundle = design._repr_mimebundle_(include=["application/json", "text/plain"])
    assert set(bundle) == {"application/json", "text/plain"}
    assert Design.model_validate(bundle["application/json"]) == design
    assert "text/html" not in design._repr_mimebundle_(exclude=["text/html"])


def test_html_escapes_every_design_value(design):
    html = mimebundle(design)["text/html"]
    tags = parsed(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert "onerror" not in tags.attrs
    assert "&lt;script&gt;" in html and "catalog and cart &lt;script&gt;" in html


def test_control_characters_never_reach_the_card(design):
    # Set after validation (which drops them), as a user editing a Design in a notebook would.
    design.summary = "Tea\x00 shop\x1b]0;pwned\x07\x1b[2J"
    design.services[0].language = "python\x01"
    design.components[0].technology = "PostgreSQL\x1b[31m"
    bundle = mimebundle(design)
    for mime in ("text/html", "text/markdown", "text/plain"):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", bundle[mime]), mime
    assert "Tea shop]0;pwned[2J" in bundle["text/html"] and "PostgreSQL[31m" in bundle["text/html"]


def test_html_shows_card_map_tradeoffs_review_and_assumptions(design):
    html = mimebundle(design, version=3)["text/html"]
    assert "v3" in html
    for name in ("storefront", "order-worker", "main-db", "queue"):
        assert f"<code>{name}</code>" in html
    assert "PostgreSQL" in html and "350 req/s" in html
    assert html.count("<svg") == 1 and "<?xml" not in html and "<!DOCTYPE" not in html
    assert "Tradeoffs: language" in html and "Tradeoffs: database" in html
    assert "Review of shop" in html
    assert "Assumptions (1)" in html and "hosted page" in html


def test_map_can_be_hidden(design):
    bundle = mimebundle(design, show_map=False)
    assert "<svg" not in bundle["text/html"] and "Service map" not in bundle["text/html"]
    assert "```mermaid" not in bundle["text/markdown"]


def test_missing_graphviz_becomes_a_note(design, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    html = mimebundle(design)["text/html"]
    assert "<svg" not in html
    assert re.search(r"No service map: .*apt-get install graphviz", html)
    assert "Tradeoffs: language" in html  # the rest of the card is still there


def test_markdown_escapes_text_and_fences_the_flowchart(design):
    md = mimebundle(design, direction="TB")["text/markdown"]
    assert "\\<script>" in md and "\\*\\*bold\\*\\*" in md
    assert "<script>" not in MarkdownIt("commonmark").render(md)  # shown as text, never a tag
    fence = re.search(r"^(`{3,})mermaid\nflowchart TB\n", md, re.M)
    assert fence, md
    # The fence is longer than any backtick run inside it, so nothing can close it early.
    body = md[fence.end() :].split("\n" + fence.group(1) + "\n")[0]
    assert max(len(run) for run in re.findall(r"`+", body + "`")) < len(fence.group(1))


def test_summary_lists_the_essentials(design):
    text = summary(design)
    assert text.splitlines()[0] == "shop: modular monolith (designed by the offline backend)"
    assert "Services (2):" in text and "Datastores (1):" in text and "Infrastructure (1):" in text
    assert re.search(r"storefront\s+api\s+Python / FastAPI\s+catalog and cart", text)
    flowing = " ".join(text.split())  # long lines wrap
    assert "users 50,000" in flowing and "peak 350 req/s" in flowing
    assert "storage 0 GB/month, 42 GB over 1 y" in flowing
    assert max(len(line) for line in text.splitlines()) <= 88
    assert "Language (storefront): Python" in text and "Database (orders): PostgreSQL" in text
    assert "Assumptions (1):" in text
    assert mimebundle(design)["text/plain"] == text
