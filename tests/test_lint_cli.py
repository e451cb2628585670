"""`dwarf-nb lint`: exit codes, JSON output and suppressions from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_lint import base

from dwarf_nb.cli import main
from dwarf_nb.design import Design

ENTRY = Path(sys.executable).parent / "dwarf-nb"


def _write(folder: Path, data: dict, name: str = "design.json") -> str:
    path = folder / name
    path.write_text(Design.model_validate(data).to_json(), encoding="utf-8")
    return str(path)


def _with_error(folder: Path) -> str:
    data = base()
    data["jobs"][0]["dead_letter"] = None
    return _write(folder, data)


def test_clean_design_exits_0(in_tmp, capsys):
    assert main(["lint", _write(in_tmp, base())]) == 0
    assert "no findings" in capsys.readouterr().out


def test_warnings_alone_exit_0(in_tmp, capsys):
    data = base()
    data["services"][0]["instances"] = 1
    assert main(["lint", _write(in_tmp, data)]) == 0
    out = capsys.readouterr().out
    assert "WARNING" in out and "DW05@app" in out


def test_an_error_finding_exits_1_and_says_how_to_fix_it(in_tmp, capsys):
    assert main(["lint", _with_error(in_tmp)]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "DW06@send-confirmation" in out and "Fix:" in out


def test_json_output_is_the_report(in_tmp, capsys):
    assert main(["lint", _with_error(in_tmp), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["error"] == 1
    assert [f["id"] for f in data["findings"] if f["severity"] == "error"] == ["DW06@send-confirmation"]


def test_suppressing_the_error_with_a_reason_exits_0_and_keeps_it_visible(in_tmp, capsys):
    path = _with_error(in_tmp)
    assert main(["lint", path, "--json", "--suppress", "DW06@send-confirmation=emails may be lost"]) == 0
    [entry] = json.loads(capsys.readouterr().out)["findings"]
    assert entry["accepted"] is True and entry["reason"] == "emails may be lost"
    assert main(["lint", path, "--suppress", "DW06@send-confirmation"]) == 0
    assert "Reason: accepted on the command line" in " ".join(capsys.readouterr().out.split())


def test_bad_input_exits_2_with_one_line(in_tmp, capsys):
    (in_tmp / "broken.json").write_text('{"name": "Not A Slug"}', encoding="utf-8")
    assert main(["lint", str(in_tmp / "broken.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dwarf-nb: ") and err.count("\n") == 1 and "not a valid design" in err
    assert main(["lint", str(in_tmp / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_installed_command_reads_standard_input(in_tmp):
    text = Design.model_validate(base()).to_json()
    clean = subprocess.run(
        [str(ENTRY), "lint", "-", "--json"], input=text, capture_output=True, text=True, timeout=120
    )
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["findings"] == []
    failing = subprocess.run(
        [str(ENTRY), "lint", _with_error(in_tmp)], capture_output=True, text=True, timeout=120
    )
    assert failing.returncode == 1 and "DW06@send-confirmation" in failing.stdout
