"""Export as a user meets it: the files written, the document's sections, safe re-export,
escaping of hostile names, determinism, and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from export_checks import sections
from export_designs import DESIGN_IDS, get
from export_samples import HOSTILE_TEXT, hostile_design, rich_design, small_design
from markdown_it import MarkdownIt

from dwarf_nb.cli import main
from dwarf_nb.design import Design
from dwarf_nb.errors import ExportConflict, InputError
from dwarf_nb.views.document import SECTIONS
from dwarf_nb.views.service_map import render as render_map

try:
    render_map(rich_design(), format="svg")
    HAVE_DOT = True
except Exception:  # ToolMissing without graphviz; the tests below then expect no images
    HAVE_DOT = False


def table_shapes(markdown: str) -> list[list[int]]:
    """Cell counts of every row, one list per Markdown table (header first)."""
    tables: list[list[int]] = []
    previous = ""
    for line in markdown.splitlines():
        cells = len(re.split(r"(?<!\\)\|", line)) - 2
        if line.startswith("|---"):
            tables.append([len(re.split(r"(?<!\\)\|", previous)) - 2])
        elif line.startswith("| ") and tables and previous.startswith("|"):
            tables[-1].append(cells)
        previous = line
    return tables


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """design id -> export folder (md and html), each design exported once per module."""
    cache: dict[str, Path] = {}

    def get_export(design_id: str) -> Path:
        if design_id not in cache:
            folder = tmp_path_factory.mktemp(design_id)
            get(design_id).export(folder, formats=("md", "html"))
            cache[design_id] = folder
        return cache[design_id]

    return get_export


@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_every_section_is_present_and_filled(exported, design_id):
    text = (exported(design_id) / "BACKEND_DESIGN.md").read_text()
    found = sections(text)
    assert list(found) == list(SECTIONS)
    empty = [name for name, body in found.items() if not re.search(r"\w", body)]
    assert empty == []


@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_export_writes_the_document_and_every_artifact(exported, design_id):
    design = get(design_id)
    folder = exported(design_id)
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    expected = {"BACKEND_DESIGN.md", "BACKEND_DESIGN.html", "schema.sql", "docker-compose.yml", "design.json",
                ".dwarf-manifest.json"}
    assert expected <= names
    assert ({"service_map.svg", "service_map.png"} <= names) == HAVE_DOT
    assert len([n for n in names if n.startswith("adr/")]) == len(design.decisions)
    http = [s for s in design.services if s.kind in ("api", "gateway") and s.api_style in ("rest", "graphql", "websocket")]
    assert {n for n in names if n.startswith("openapi/")} == {f"openapi/{s.name}.yaml" for s in http}
    assert (folder / "design.json").read_text() == design.to_json() + "\n"
    # Every build context the compose file names exists, with a Dockerfile and the skeleton.
    stack = yaml.safe_load((folder / "docker-compose.yml").read_text())
    contexts = [spec["build"]["context"] for spec in stack["services"].values() if "build" in spec]
    for context in contexts:
        files = {p.name for p in (folder / context).rglob("*") if p.is_file()}
        assert "Dockerfile" in files and len(files) == 2


def test_document_names_the_real_parts_of_the_design(exported):
    text = (exported("rich") / "BACKEND_DESIGN.md").read_text()
    found = sections(text)
    assert "![Service map of rich-shop](service_map.svg)" in found["Service Architecture"] or not HAVE_DOT
    assert "```mermaid" in found["Service Architecture"]
    impl = found["Implementation by Language"]
    for framework in ("FastAPI", "Django", "Flask", "NestJS", "Express", "Fastify", "Gin", "net/http", "Spring Boot",
                      "Axum", "ASP.NET Core"):
        assert framework in impl
    assert '@app.get("/thing0s/{id}")' in impl  # FastAPI route in its own syntax
    assert 'r.GET("/thing7s/:id", s.getThing7sById)' in impl  # Gin
    assert "haskell has no skeleton template" in impl
    data = found["Data Layer Design"]
    assert "`thing0:{id}` | 300 s" in data and "partitioned by range on placed_at" in data
    assert "order.placed.dlq" in found["Message Queue Integration"]
    assert "0 2 \\* \\* \\*" in found["Background Jobs"]
    assert "put PgBouncer" in found["Performance Optimization"]  # 13 pooled services exceed 100 connections
    assert "```dockerfile" in found["Deployment Strategy"] and "MAIN_DB_URL" in found["Deployment Strategy"]
    assert "99.9% | about 43.2 minutes" in found["Quality Standards"]
    assert "| **PostgreSQL** (chosen) | 5 | 4 | 4.6 | 1 |" in found["Decisions"]
    assert "EU region only" in found["Assumptions"]


def test_without_graphviz_the_document_says_why_and_keeps_the_flowchart(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no `dot` on the PATH
    written = small_design().export(tmp_path / "out", formats=("md", "html"))
    names = {p.name for p in written}
    assert "service_map.svg" not in names and "service_map.png" not in names
    text = (tmp_path / "out" / "BACKEND_DESIGN.md").read_text()
    assert "The map image was not drawn (the service map needs graphviz's \\`dot\\`" in text
    assert "```mermaid" in text


# -- safe writing ------------------------------------------------------------------------------
def test_an_edited_file_is_not_overwritten_without_force(tmp_path):
    design = small_design()
    design.export(tmp_path)
    sql = tmp_path / "schema.sql"
    sql.write_text(sql.read_text() + "-- my own index\n")
    with pytest.raises(ExportConflict, match=r"schema\.sql was edited since the last export: re-run with --force"):
        design.export(tmp_path)
    assert sql.read_text().endswith("-- my own index\n")  # nothing was written
    design.export(tmp_path, force=True)
    assert not sql.read_text().endswith("-- my own index\n")
    design.export(tmp_path)  # after a forced export the folder is clean again


def test_a_file_dwarf_did_not_write_is_not_overwritten(tmp_path):
    (tmp_path / "BACKEND_DESIGN.md").write_text("my notes\n")
    with pytest.raises(ExportConflict, match="BACKEND_DESIGN.md exists and was not written by dwarf-nb"):
        small_design().export(tmp_path)
    assert (tmp_path / "BACKEND_DESIGN.md").read_text() == "my notes\n"


def test_files_of_an_older_version_are_removed_unless_edited(tmp_path):
    design = small_design()
    design.export(tmp_path)
    fewer = design.model_copy(update={"decisions": design.decisions[:1]})
    (tmp_path / "adr" / "0001-primary-datastore.md").write_text("kept by hand\n")
    with pytest.raises(ExportConflict):
        fewer.export(tmp_path)
    fewer.export(tmp_path, force=True)
    assert not (tmp_path / "adr" / "0002-service-style.md").exists()
    assert (tmp_path / "adr" / "0001-primary-datastore.md").exists()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "adr").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ExportConflict, match="outside the export folder"):
        small_design().export(target)
    assert list(outside.iterdir()) == []


def test_hostile_names_stay_inside_the_folder(tmp_path):
    written = hostile_design().export(tmp_path / "out")
    root = (tmp_path / "out").resolve()
    assert all(p.resolve().is_relative_to(root) for p in written)
    assert sorted(p.name for p in (root / "adr").iterdir()) == [
        "0001-evil-script-alert-x-script-bold-tick-quote-dq-second-line-ji.md",
        "0002-etc-passwd.md",
    ]


def test_bad_targets_and_formats_are_input_errors(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(InputError, match="it is a file, not a folder"):
        small_design().export(a_file)
    with pytest.raises(InputError, match="unknown document format 'pdf'"):
        small_design().export(tmp_path / "out", formats=("pdf",))


def test_same_design_same_bytes(tmp_path):
    design = rich_design()
    design.export(tmp_path / "a", formats=("md", "html"))
    design.export(tmp_path / "b", formats=("md", "html"))
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b
    manifest = json.loads((tmp_path / "a" / ".dwarf-manifest.json").read_text())
    assert set(manifest["files"]) == {p.as_posix() for p in a if p.name != ".dwarf-manifest.json"}


# -- escaping ------------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def test_html_page_is_self_contained(exported):
    page = (exported("rich") / "BACKEND_DESIGN.html").read_text()
    parser = _Tags()
    parser.feed(page)
    assert not {"script", "link", "iframe", "img"} & parser.tags  # nothing fetched from elsewhere
    assert ("svg" in parser.tags) == HAVE_DOT  # the map is inline
    assert not re.search(r"""(?:src|href)=["']https?://""", page)
    assert "<h2>Data Layer Design</h2>" in page and "<table>" in page


def test_hostile_text_is_inert_in_markdown_and_html(exported):
    folder = exported("hostile")
    markdown = (folder / "BACKEND_DESIGN.md").read_text()
    # Rendered the way a permissive viewer would (raw HTML allowed), no markup may appear.
    parser = _Tags()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    assert "script" not in parser.tags
    assert "alert(&quot;x&quot;)" in MarkdownIt("commonmark", {"html": True}).render(markdown)
    page = (folder / "BACKEND_DESIGN.html").read_text()
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | *bold*" in page
    # Every table row keeps its header's number of cells: a hostile '|' never splits a cell.
    assert table_shapes(markdown) and all(len(set(shape)) == 1 for shape in table_shapes(markdown))


def test_hostile_text_round_trips_through_yaml(exported):
    folder = exported("hostile")
    folded = " ".join(HOSTILE_TEXT.split())
    spec = yaml.safe_load((folder / "openapi" / "table.yaml").read_text())
    assert spec["info"]["description"] == folded
    compose = yaml.safe_load((folder / "docker-compose.yml").read_text())
    # Compose would interpolate ${x}: the export doubles the dollar so the text stays literal.
    assert compose["services"]["user"]["labels"]["dwarf.purpose"] == folded.replace("$", "$$")


# -- the command line ----------------------------------------------------------------------
def test_cli_export_and_conflict(tmp_path, capsys):
    source = tmp_path / "design.json"
    source.write_text(small_design().to_json())
    out = tmp_path / "out"
    assert main(["export", str(source), str(out), "--format", "md", "--format", "html"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert str(out.resolve() / "BACKEND_DESIGN.md") in printed and str(out.resolve() / "BACKEND_DESIGN.html") in printed
    (out / "docker-compose.yml").write_text("services: {}\n")
    assert main(["export", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dwarf-nb: ") and "docker-compose.yml" in err and "--force" in err and err.count("\n") == 1
    assert main(["export", str(source), str(out), "--force"]) == 0


def test_cli_design_with_output_folder(tmp_path, capsys):
    from conftest import PROBLEMS

    get(PROBLEMS[0]["id"])  # skips while the offline designer cannot run
    brief = tmp_path / "brief.txt"
    brief.write_text(PROBLEMS[0]["requirements"])
    assert main(["design", str(brief), "-o", str(tmp_path / "out")]) == 0
    assert "BACKEND_DESIGN.md" in capsys.readouterr().err
    assert sections((tmp_path / "out" / "BACKEND_DESIGN.md").read_text()).keys() == set(SECTIONS)


def test_a_file_in_the_way_of_a_subfolder_stops_the_export_before_writing(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "adr").write_text("my notes\n")
    with pytest.raises(ExportConflict, match=r"adr is a file, not a folder"):
        small_design().export(target)
    assert sorted(p.name for p in target.iterdir()) == ["adr"]
    assert (target / "adr").read_text() == "my notes\n"


def test_a_job_runner_name_is_escaped_in_the_jobs_table():
    from dwarf_nb.views.document import render_markdown

    # Job.service is free text in the contract (not a validated slug), unlike the names in backticks.
    data = small_design().model_dump(mode="json")
    data["jobs"] = [{"name": "nightly", "trigger": "cron: 0 2 * * *", "service": "api` | <b>x</b>"}]
    markdown = render_markdown(Design.model_validate(data))
    parser = _Tags()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    assert "b" not in parser.tags
    assert all(len(set(shape)) == 1 for shape in table_shapes(markdown))
