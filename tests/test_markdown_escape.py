"""Markdown escaping: a design's text renders as written through a CommonMark parser
(markdown-it-py, with the table and strikethrough rules a GitHub reader adds), and the raw
document carries a backslash only where a character would otherwise be markup, so people
reading BACKEND_DESIGN.md raw in a pull request see '93.8 reads/s', not '93\\.8 reads/s'."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import dwarf_nb as dw
from dwarf_nb.views.escape import markdown, markdown_cell, one_line

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.txt"

MARKUP = st.text(st.sampled_from(list("ab 1.-_*`[]()<>#!&;|~\\+=:/'\"")), max_size=30)
ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


class _Text(HTMLParser):
    def __init__(self, tag: str = ""):
        super().__init__(convert_charrefs=True)
        self.tag, self.inside, self.parts = tag, not tag, []

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == self.tag

    def handle_endtag(self, tag):
        if tag == self.tag:
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.parts.append(data)


def text_of(html: str, tag: str = "") -> str:
    reader = _Text(tag)
    reader.feed(html)
    return " ".join("".join(reader.parts).split())


def intended(value: str) -> str:
    return " ".join(one_line(value).split())


@settings(max_examples=300, deadline=None)
@given(value=MARKUP | ANY)
def test_text_renders_as_written_wherever_it_lands(value):
    want = intended(value)
    assert text_of(MD.render(markdown(value))) == want  # a paragraph of its own
    assert text_of(MD.render("Note: " + markdown(value))) == " ".join(f"Note: {want}".split())
    assert text_of(MD.render("- " + markdown(value))) == want  # a list item
    table = f"| a | b |\n|---|---|\n| {markdown_cell(value)} | x |\n"
    assert text_of(MD.render(table), "td").removesuffix("x").strip() == want


@pytest.mark.parametrize("value", ["93.8 reads/s", "payments-db", "orders (v2)", "snake_case_name", "Go 1.22!",
                                   "C# on ASP.NET", "a + b = c", "{id}", "50% of 1,000", "e-mail"])
def test_plain_prose_keeps_no_backslash(value):
    assert markdown(value) == value


def test_the_exported_document_has_no_needless_backslashes(tmp_path):
    dw.design(SHOP.read_text()).export(tmp_path)
    text = (tmp_path / "BACKEND_DESIGN.md").read_text()
    prose = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks are code
    needless = re.findall(r".{0,12}\\[.\-(){}!+#`].{0,12}", prose)
    assert needless == []
    assert text_of(MD.render(text))  # and it renders


def _texts() -> list[str]:
    import yaml

    corpus = yaml.safe_load((SHOP.parent.parent / "tests" / "data" / "briefs" / "batch_02.yaml").read_text())
    return [SHOP.read_text()] + [b["requirements"] for b in corpus[:5]]


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:24])
def test_the_document_counts_in_words_a_person_writes(tmp_path, text):
    dw.design(text).export(tmp_path)
    prose = re.sub(r"```.*?```", "", (tmp_path / "BACKEND_DESIGN.md").read_text(), flags=re.S)
    assert re.findall(r".{0,20}\(s\)", prose) == []  # '2 services', never 'service(s)'
    assert not re.search(r"(?<![0-9.,])1 (services|tables|years|instances)\b", prose)


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:24])
def test_the_document_writes_numbers_as_a_person_does(tmp_path, text):
    dw.design(text).export(tmp_path)
    prose = re.sub(r"```.*?```", "", (tmp_path / "BACKEND_DESIGN.md").read_text(), flags=re.S)
    assert re.findall(r".{0,20}\d\.?\d*e[-+]\d+.{0,10}", prose) == []  # never an exponent
    assert re.findall(r".{0,20}(?<![\d,.])\d{5,}(?![\d,]).{0,10}", prose) == []  # 12,800, never 12800
