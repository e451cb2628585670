"""Size limits on what the kit reads, and the bound that keeps reading linear: an oversize
requirements text or design.json is refused up front in one line naming the setting that
raises the limit, in the API, the CLI and the notebook; a text with no full stops is read
in bounded sentences that still cover every word."""

from __future__ import annotations

import io
import sys

import pytest
from notebook_shell import SHOP, _shell, ip, load, run  # noqa: F401,F811  (fixtures)
from test_cli import one_error_line

import dwarf_nb as dw
from dwarf_nb.agents.offline.reader.lexicon import data
from dwarf_nb.agents.offline.reader.text import sentences
from dwarf_nb.cli import main
from dwarf_nb.errors import InputError

KB20 = ("A tea shop sells 300 kinds of tea to 2,000 customers a day. " * 400)[:20_000]


@pytest.mark.parametrize("call", [
    lambda text, mb: dw.design(text, max_input_mb=mb),
    lambda text, mb: dw.brief(text, max_input_mb=mb),
    lambda text, mb: dw.refine(dw.design(SHOP), text, max_input_mb=mb),
], ids=["design", "brief", "refine"])
def test_the_api_refuses_a_text_past_the_limit_and_names_the_setting(call):
    with pytest.raises(InputError) as info:
        call(KB20, 0.01)
    message = str(info.value)
    assert "over the 0.01 MB size limit (0.02 MB)" in message
    assert "size limit" in message and "max_input_mb" in message and "\n" not in message
    call(KB20, 0.05)  # raised, the same text is designed


def test_the_limit_counts_utf8_bytes_not_characters():
    text = "Ein Teeladen für Kunden 🍵. " * 300  # about 8,100 characters, 9,300 bytes
    assert len(text) < 9_000 < len(text.encode())
    with pytest.raises(InputError, match="0.009 MB size limit"):
        dw.brief(text, max_input_mb=0.009)


def test_the_default_limit_is_two_megabytes():
    with pytest.raises(InputError, match=r"^the requirements text is over the 2 MB size limit \(2\.1 MB\)"):
        dw.design("word " * 420_000)


def test_the_cli_refuses_an_oversize_file_without_reading_it(capsys, in_tmp):
    huge = in_tmp / "huge.txt"
    with huge.open("wb") as f:  # sparse: reading it would take minutes and gigabytes
        f.truncate(4_000_000_000)
    assert main(["design", str(huge)]) == 2
    line = one_error_line(capsys)
    assert line == f"dwarf-nb: {huge} is over the 2 MB size limit (4,000.0 MB): shorten it, or raise --max-input-mb"
    for command in (["brief", str(huge)], ["lint", str(huge)], ["export", str(huge), "out"], ["map", str(huge)]):
        assert main(command) == 2
        assert "--max-input-mb" in one_error_line(capsys)
    assert not (in_tmp / "out").exists()


def test_the_cli_limit_is_settable(capsys, in_tmp):
    (in_tmp / "req.txt").write_text(KB20)
    assert main(["design", "req.txt", "--max-input-mb", "0.01"]) == 2
    assert "over the 0.01 MB size limit (0.02 MB)" in one_error_line(capsys)
    assert main(["design", "req.txt", "--max-input-mb", "0.05", "--json"]) == 0
    assert main(["brief", "req.txt", "--max-input-mb", "0"]) == 2
    assert "--max-input-mb must be a positive number" in one_error_line(capsys)


def test_the_cli_reads_no_more_of_standard_input_than_the_limit(capsys, monkeypatch):
    stream = io.BytesIO(b"a" * 3_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    assert main(["brief", "-"]) == 2
    assert one_error_line(capsys) == ("dwarf-nb: standard input is over the 2 MB size limit: "
                                      "shorten it, or raise --max-input-mb")
    assert stream.tell() == 2_000_001


def test_a_design_json_past_the_limit_is_refused(capsys, in_tmp):
    (in_tmp / "design.json").write_text(dw.design(SHOP).to_json())
    assert main(["lint", "design.json", "--max-input-mb", "0.001"]) == 2
    assert "design.json is over the 0.001 MB size limit" in one_error_line(capsys)
    assert main(["lint", "design.json"]) in (0, 1)  # below the default it is read and reviewed


def test_the_cell_refuses_past_its_setting_and_keeps_nothing(ip, in_tmp):
    run(ip, "%config DwarfMagics.max_input_mb = 0.01")
    message = run(ip, f"%%dwarf shop\n{KB20}").usage_error()
    assert message.startswith("the cell is over the 0.01 MB size limit")
    assert message.endswith("raise %config DwarfMagics.max_input_mb")
    assert "shop" not in ip.user_ns and not (in_tmp / ".dwarf").exists()
    ip.user_ns["pasted"] = KB20
    message = run(ip, "%%dwarf shop\nThe brief: {{pasted}}").usage_error()
    assert message.startswith("the cell with its {{variables}} filled in is over the 0.01 MB size limit")
    run(ip, "%config DwarfMagics.max_input_mb = 1")
    assert run(ip, f"%%dwarf shop\n{KB20}").error is None


def test_the_cell_limit_comes_from_pyproject(ip, in_tmp):
    (in_tmp / "pyproject.toml").write_text("[tool.dwarf_nb]\nmax_input_mb = 0.01\n")
    load(ip)
    assert "0.01 MB size limit" in run(ip, f"%%dwarf shop\n{KB20}").usage_error()


def test_a_text_without_full_stops_is_read_in_bounded_sentences():
    clause = "the shop sells 300 kinds of tea to 2,000 customers a day and each order is paid by card, "
    text = "We need a backend where " + clause * 600 + "and that is all"
    found = sentences(text)
    longest = data()["sentences"]["longest"]
    assert len(found) > len(text) // longest and max(len(s.text) for s in found) <= longest
    # Cut at commas, and nothing lost: the pieces hold every word of the text, in order.
    assert all(s.text.endswith(",") for s in found[:-1])
    assert " ".join(s.text for s in found).split() == text.split()
    assert "2,000" in {t.text for s in found for t in s.tokens}


def test_a_word_longer_than_the_bound_is_cut_and_kept():
    text = "We sell " + "x" * 2_000 + " to 40 shops."
    found = sentences(text)
    assert "".join(s.text for s in found).replace(" ", "") == text.replace(" ", "")
    assert max(len(s.text) for s in found) <= data()["sentences"]["longest"]
