"""The example notebooks as committed: valid, without outputs, runnable by a newcomer with no API key.

`pytest --nbmake notebooks` runs them too, but nbmake only fails on an `error` output:
a magic's UsageError is printed on stderr instead, and nbmake then passes a notebook
that stopped half-way. So this module also runs each one (in a temporary copy, with no
API key in the environment) and fails on the first cell that does not finish.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = [
    "01-quickstart.ipynb",
    "02-microservices-refinement.ipynb",
    "03-tradeoff-explorer.ipynb",
    "04-claude-agent.ipynb",
    "05-export-and-review.ipynb",
]
# A code line (not a comment) that would ask the paid backend for a design.
PAID_CALL = re.compile(r"""^\s*[^#\s].*(--backend[ =]+anthropic|backend\s*=\s*["']anthropic)""", re.M)


def test_the_five_example_notebooks_are_there():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.fixture(params=EXPECTED)
def notebook(request) -> tuple[str, nbformat.NotebookNode]:
    path = NOTEBOOKS / request.param
    return request.param, nbformat.read(path, as_version=4)


def test_valid_and_stripped(notebook):
    name, nb = notebook
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{name}: cells {dirty} keep outputs or execution counts; clear them before committing"
    # JupyterLab saves live widget models here; they are outputs too.
    assert "widgets" not in nb.metadata, f"{name}: saved widget state in the notebook metadata"


def test_runs_on_the_venv_kernel(notebook):
    name, nb = notebook
    assert nb.metadata.kernelspec.name == "python3", f"{name}: kernelspec must be python3 (the ipykernel of the venv)"


def test_explained_in_prose_and_offline(notebook):
    name, nb = notebook
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert markdown and code
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert len(markdown) >= len(code) / 2, f"{name}: too little explanation between the code cells"
    paid = [c.source for c in code if PAID_CALL.search(c.source)]
    assert not paid, f"{name}: a code cell calls the anthropic backend; the examples must run with no key"


def test_runs_top_to_bottom_offline(notebook, tmp_path, monkeypatch):
    name, nb = notebook
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)  # the kernel inherits this environment
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{name} stops at a cell:\n{err}")
    ran = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert all(ran), f"{name}: some cells did not run"
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written <= {".dwarf", "out"}, f"{name} writes outside out/ and .dwarf/: {sorted(written)}"
