"""The history store as a user meets it: a wrong path or a long-held lock is one line, not a
sqlite3 traceback, and several processes writing at once lose nothing."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from dwarf_nb.design import Design
from dwarf_nb.errors import InputError
from dwarf_nb.store import Store


@pytest.mark.parametrize("where", ["notes.txt", "folder", "notes.txt/designs.db"])
def test_a_path_that_is_not_a_store_is_an_input_error(tmp_path, where):
    (tmp_path / "notes.txt").write_text("my notes, not a database\n")
    (tmp_path / "folder").mkdir()
    store = Store(tmp_path / where)
    with pytest.raises(InputError, match=r"cannot open the design store .*" + where.split("/")[0]) as err:
        store.save(Design(name="shop"))
    assert "\n" not in str(err.value)
    assert (tmp_path / "notes.txt").read_text() == "my notes, not a database\n"


def test_versions_and_refs_round_trip(tmp_path):
    store = Store(tmp_path / "designs.db")
    assert [store.save(Design(name="shop", summary=s)) for s in ("one", "two")] == [1, 2]
    assert store.load("shop").summary == "two"
    assert store.load("shop@v1").summary == "one"
    with pytest.raises(InputError, match=r"^shop has no v3: its versions are v1 to v2$"):
        store.load("shop@v3")
    with pytest.raises(InputError, match=r"no design named 'cafe@v1' \(known: shop\)"):
        store.load("cafe@v1")


SAVER = """
import sys
from dwarf_nb.design import Design
from dwarf_nb.store import Store

store = Store(sys.argv[1])
for i in range(int(sys.argv[2])):
    store.save(Design(name="shop", summary=f"{sys.argv[3]}-{i}"))
    store.cache_put(f"{sys.argv[3]}-{i}", "{}")
    store.record_failure("offline", f"text {sys.argv[3]}-{i}", "an error")
"""


def test_eight_processes_saving_to_one_store_lose_no_version(tmp_path):
    path = tmp_path / ".dwarf" / "designs.db"
    writers = [
        subprocess.Popen([sys.executable, "-c", SAVER, str(path), "50", f"p{n}"], stderr=subprocess.PIPE, text=True)
        for n in range(8)
    ]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
        writer.stderr.close()
    store = Store(path)
    history = store.history("shop")
    assert [v.version for v in history] == list(range(1, 401))
    summaries = {store.load("shop", v.version).summary for v in history}
    assert summaries == {f"p{n}-{i}" for n in range(8) for i in range(50)}
    assert len(store.failures()) == 400 and all(store.cache_get(f"p{n}-49") == "{}" for n in range(8))


CELLS = """
import sys
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

config = Config()
config.HistoryManager.hist_file = ":memory:"
shell = InteractiveShell.instance(config=config)
shell.run_line_magic("load_ext", "dwarf_nb")
for i in range(int(sys.argv[1])):
    result = shell.run_cell(f"%%dwarf shop --no-map\\nA shop for {sys.argv[2]} number {i}: 300 orders a day.")
    if not result.success:
        sys.exit(f"cell {i} failed: {result.error_in_exec!r}")
"""


def test_two_kernels_in_one_folder_store_every_cell(tmp_path):
    kernels = [
        subprocess.Popen([sys.executable, "-c", CELLS, "6", f"k{n}"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
        for n in range(3)
    ]
    for kernel in kernels:
        assert kernel.wait(timeout=300) == 0, kernel.stderr.read()
        kernel.stderr.close()
    assert [v.version for v in Store(tmp_path / ".dwarf" / "designs.db").history("shop")] == list(range(1, 19))


def test_a_store_locked_too_long_is_one_line_naming_it(tmp_path, monkeypatch):
    import sqlite3

    import dwarf_nb.store as store_module

    path = tmp_path / "designs.db"
    Store(path).save(Design(name="shop"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(store_module, "BUSY_S", 0.2)
    try:
        with pytest.raises(InputError, match=rf"^the design store {re.escape(str(path))} stayed locked by another process for 0\.2 s"):
            Store(path).save(Design(name="shop"))
    finally:
        holder.execute("ROLLBACK")
    assert Store(path).latest_version("shop") == 1


def test_a_design_json_cannot_hold_is_one_line_and_the_store_keeps_what_it_had(tmp_path):
    from dwarf_nb.errors import DesignError

    store = Store(tmp_path / "designs.db")
    try:
        store.save(Design(name="shop", summary="one"))
        broken = Design(name="shop", summary="two")
        broken.summary = "half an emoji \ud83d"  # set after validation
        with pytest.raises(DesignError, match=r"^the design cannot be written: design: summary has an invalid character"):
            store.save(broken)
        assert [v.version for v in store.history("shop")] == [1]
    finally:
        store.close()
