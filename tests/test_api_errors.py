"""The Python API's user errors: a wrong argument is a one-line DwarfError, never a TypeError."""

from __future__ import annotations

import pytest

import dwarf_nb
from dwarf_nb.design import Design
from dwarf_nb.errors import InputError

SHOP = "An online shop for 5,000 users: catalog, cart, orders and card payments."


@pytest.mark.parametrize("name", [5, "My Shop", ""])
def test_a_name_that_is_not_a_slug_is_an_input_error(name):
    with pytest.raises(InputError, match="not a design name") as err:
        dwarf_nb.design(SHOP, name=name)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("current, kind", [(None, "NoneType"), ("shop", "str"), ({"name": "shop"}, "dict")])
def test_refine_needs_a_design(current, kind):
    with pytest.raises(InputError, match=f"refine needs a Design to change, not {kind}"):
        dwarf_nb.refine(current, "add a search service")


def test_diff_and_export_name_the_wrong_argument(tmp_path):
    design = Design(name="shop")
    with pytest.raises(InputError, match="diff compares two Designs, not Design and str"):
        design.diff("shop@v1")
    with pytest.raises(InputError, match="export needs a folder path, not NoneType"):
        design.export(None)
