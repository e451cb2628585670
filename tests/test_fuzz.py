"""Fuzzing: designs generated from the Design's own JSON Schema (hypothesis-jsonschema) and
from the hand-built strategy of consistent designs, with hostile strings and extreme numbers
put into any field, are run through everything a user can do with a design.json: the CLI,
validation, review, map, tradeoffs, the notebook display and an export over an earlier one.
Every input must end in output that real tools accept or in a one-line error; an export
that fails leaves the previous one byte for byte; nothing is written outside the folder.
A kill at a random moment of a run of saves leaves the design store whole.

The example count is bounded for `make test`; DWARF_FUZZ_EXAMPLES raises it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pglast
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from openapi_spec_validator import validate
from pydantic import ValidationError
from test_export_any_design import designs as consistent_designs

import dwarf_nb as dw
from dwarf_nb.analysis.tradeoffs import topics
from dwarf_nb.cli import main
from dwarf_nb.design import Design
from dwarf_nb.errors import DwarfError
from dwarf_nb.store import Store
from dwarf_nb.views.display import DESIGN_MIME, mimebundle

EXAMPLES = int(os.environ.get("DWARF_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

HOSTILE_TEXT = st.sampled_from([
    "", " ", "\x00", "\x01\x7f", "\x1b]0;pwned\x07\x1b[2J", "<script>alert(1)</script>", "</svg><svg onload=x>",
    "'; DROP TABLE users; --", '"quoted" \\ back', "${HOME} $(id) `id`", "{{ x }} {% if %}", "*_`#|>[]()!~",
    "\ufffe\uffff", "\u202eevil", "a" * 5_000, "line\nbreak\r\nthree", "ключ 键 🍵", "]]><!--", "&amp; &#0;",
    "%s %n %x", "\ud800", "x\udfff", "-", "0", "null", "true", "api", "db", "clients", "---\nkey: value",
])
EXTREME = st.sampled_from([0, -1, -1e308, 1e308, 10**30, -(10**30), 2**63, 1e-320, 0.5, 3, float("nan"),
                           float("inf"), float("-inf"), 100_000, 100_001])
CONTROL = [chr(c) for c in range(32) if chr(c) not in "\n\t\r"] + ["\x7f"]


def _sometimes(value, other):
    # One leaf in twenty swapped: enough for every field to meet hostile values over a run,
    # few enough that most consistent designs stay valid and reach the export.
    return st.integers(0, 19).flatmap(lambda k: other if k == 19 else st.just(value))  # 0, the simplest, keeps it


def hostile(value):
    """A strategy for `value` with any string or number in it possibly swapped for a hostile one."""
    if isinstance(value, bool) or value is None:
        return st.just(value)
    if isinstance(value, str):
        return _sometimes(value, HOSTILE_TEXT)
    if isinstance(value, (int, float)):
        return _sometimes(value, EXTREME)
    if isinstance(value, list):
        return st.tuples(*(hostile(v) for v in value)).map(list)
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: hostile(v) for k, v in value.items()})
    return st.just(value)


DOCUMENTS = st.one_of(
    from_schema(Design.model_json_schema()),
    consistent_designs().map(lambda d: d.model_dump(mode="json")),
).flatmap(hostile)


class _Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dwarf-nb: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def files(folder: Path) -> dict[str, str]:
    """Every file of an export and the SHA-256 of its bytes (a short repr when an example fails)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def accepted_by_real_tools(folder: Path, design: Design) -> None:
    pglast.parse_sql((folder / "schema.sql").read_text())
    compose = yaml.safe_load((folder / "docker-compose.yml").read_text())
    assert isinstance(compose, dict) and "services" in compose
    for spec in folder.glob("openapi/*.yaml"):
        validate(yaml.safe_load(spec.read_text()))
    if (folder / "service_map.svg").exists():
        ET.fromstring((folder / "service_map.svg").read_bytes())
    assert Design.model_validate_json((folder / "design.json").read_text()) == design
    for path in folder.rglob("*"):
        if path.suffix in (".md", ".yml", ".yaml", ".sql", ".svg", ".json", ".html"):
            text = path.read_text()
            assert not any(ch in text for ch in CONTROL), path


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A folder with an earlier export in it, and its bytes."""
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "out"
    dw.design("A tea shop: 2,000 customers a day order tea and pay by card.").export(folder)
    return root, files(folder)


@FUZZ
@given(doc=DOCUMENTS)
def test_any_design_file_ends_in_real_output_or_one_line(doc, earlier):
    root, before = earlier
    path = root / "design.json"
    path.write_text(json.dumps(doc))  # NaN, Infinity and lone surrogates as JSON writes them
    try:
        design = Design.model_validate(doc)
    except ValidationError:
        design = None

    code, out, err = cli("lint", str(path))
    if design is None:
        assert code == 2, (code, err)
        assert "is not a valid design: " in one_line(err)
        return
    assert code in (0, 1) and err == "", err

    design.lint().to_text()
    try:
        svg = design.service_map("svg")
    except DwarfError as e:
        assert "\n" not in str(e)
    else:
        ET.fromstring(svg)
    for topic in topics(design):
        frame = design.tradeoffs(topic)
        assert all(math.isfinite(v) for v in frame.select_dtypes("number").to_numpy().ravel())
    bundle = mimebundle(design)
    _Html().feed(bundle["text/html"])
    assert "script" not in _Html().tags
    assert not any(ch in bundle["text/html"] + bundle["text/plain"] for ch in CONTROL)
    assert Design.model_validate(bundle[DESIGN_MIME]) == design

    outside = sorted(p.name for p in root.iterdir())
    folder = root / "out"
    try:
        design.export(folder, force=True)
    except DwarfError as e:
        assert "\n" not in str(e)
        assert files(folder) == before  # the earlier export, byte for byte
    else:
        accepted_by_real_tools(folder, design)
        dw.design("A tea shop: 2,000 customers a day order tea and pay by card.").export(folder, force=True)
        assert files(folder) == before
    assert sorted(p.name for p in root.iterdir()) == outside


_SAVER = """
import sys
import dwarf_nb as dw
from dwarf_nb.store import Store
store = Store(sys.argv[1])
design = dw.design("A tea shop: 2,000 customers a day order tea and pay by card.", name="tea")
print("ready", flush=True)
while True:
    store.save(design, note="again")
    store.cache_put(f"k{store.latest_version('tea')}", "answer")
"""


@settings(max_examples=min(EXAMPLES, 6), deadline=None, derandomize=True)
@given(delay=st.floats(0.0, 0.4))
def test_a_kill_at_a_random_moment_of_saving_leaves_the_store_whole(delay, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "designs.db"
    proc = subprocess.Popen([sys.executable, "-c", _SAVER, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL  # killed while saving, not stopped by an error
    store = Store(db)
    try:
        versions = [v.version for v in store.history("tea")] if store.names() else []
        assert versions == list(range(1, len(versions) + 1))
        for v in versions:
            assert store.load(f"tea@v{v}").name == "tea"
        assert store.save(dw.design("A tea shop for 30 people.", name="tea")) == len(versions) + 1
    finally:
        store.close()
