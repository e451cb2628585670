"""The designer and the reviewer agree: offline designs of the development problems carry
no error-severity finding, and breaking such a design in a known way is caught."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROBLEMS

import dwarf_nb
from dwarf_nb.analysis.lint import lint
from dwarf_nb.design import Design, Edge

ENTRY = Path(sys.executable).parent / "dwarf-nb"


def test_offline_design_has_no_error_finding(problem):
    report = dwarf_nb.design(problem["requirements"]).lint()
    assert report.errors == [], report.to_text()


@pytest.fixture(scope="module")
def cli_design(tmp_path_factory) -> Design:
    """A microservices design produced by the installed command, as a user would get it."""
    problem = next(p for p in PROBLEMS if p["expected_style"] == "microservices")
    folder = tmp_path_factory.mktemp("cli")
    (folder / "requirements.txt").write_text(problem["requirements"], encoding="utf-8")
    run = subprocess.run(
        [str(ENTRY), "design", str(folder / "requirements.txt"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
    )
    assert run.returncode == 0, run.stderr
    return Design.model_validate(json.loads(run.stdout))


def _ids(design: Design) -> set[str]:
    return {f.id for f in lint(design).findings}


def _store_and_owner(design: Design) -> tuple[str, str]:
    owned = {"relational_db", "document_db", "wide_column_db", "key_value_store"}
    services = {s.name for s in design.services}
    for edge in design.edges:
        if edge.source in services and edge.target in {c.name for c in design.components if c.kind in owned}:
            return edge.target, edge.source
    raise AssertionError("the design has no service reaching a database")


def test_sharing_a_database_between_services_is_caught(cli_design):
    store, owner = _store_and_owner(cli_design)
    owner_context = cli_design.service(owner).context or owner
    intruder = next(
        s for s in cli_design.services if (s.context or s.name) != owner_context and s.kind != "gateway"
    )
    broken = cli_design.model_copy(deep=True)
    broken.edges.append(Edge(source=intruder.name, target=store, protocol="sql"))
    for comp in broken.components:
        if comp.name == store or comp.replica_of == store:
            comp.shared = False
    assert f"DW01@{store}" not in _ids(cli_design)
    found = {f.id: f for f in lint(broken).findings}
    assert found[f"DW01@{store}"].severity == "error"  # microservices: a shared store is an error
    assert intruder.name in found[f"DW01@{store}"].message


def test_a_synchronous_cycle_is_caught(cli_design):
    first, second = [s.name for s in cli_design.services if s.kind == "api"][:2]
    broken = cli_design.model_copy(deep=True)
    broken.edges += [Edge(source=first, target=second), Edge(source=second, target=first)]
    loop_id = "DW02@" + "+".join(sorted((first, second)))
    assert loop_id not in _ids(cli_design) and loop_id in _ids(broken)


def test_dropping_a_dead_letter_destination_is_caught(cli_design):
    assert cli_design.jobs, "the design declares no background job"
    broken = cli_design.model_copy(deep=True)
    broken.jobs[0].dead_letter = None
    job_id = f"DW06@{broken.jobs[0].name}"
    assert job_id not in _ids(cli_design)
    found = {f.id: f for f in lint(broken).errors}
    assert "no dead-letter destination" in found[job_id].message
