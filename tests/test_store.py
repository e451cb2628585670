"""The history store as a user meets it when its path is wrong: one line, not a sqlite3 traceback."""

from __future__ import annotations

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
    with pytest.raises(InputError, match=r"no design named 'shop@v3' \(known: shop\)"):
        store.load("shop@v3")
