"""`dwarf-nb design` and `dwarf-nb schema`: output, exit codes, and one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from dwarf_nb.cli import main
from dwarf_nb.design import Design
from dwarf_nb.errors import AgentError

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop.txt"
DWARF_NB = Path(sys.executable).parent / "dwarf-nb"


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dwarf-nb: "), captured.err
    return lines[0]


def test_design_prints_the_summary(capsys, in_tmp):
    assert main(["design", str(SHOP)]) == 0
    out = capsys.readouterr().out
    assert "Services (" in out and "Datastores (" in out and "Key decisions:" in out
    assert list(in_tmp.iterdir()) == []  # a summary writes nothing


def test_design_json_validates_back_into_a_design(capsys, in_tmp):
    assert main(["design", str(SHOP), "--json", "--name", "shop"]) == 0
    design = Design.model_validate_json(capsys.readouterr().out)
    assert design.name == "shop" and design.services and design.requirements.startswith("Online shop")


def test_design_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SHOP.read_bytes())))
    assert main(["design", "-", "--json"]) == 0
    assert Design.model_validate_json(capsys.readouterr().out).services


@pytest.mark.parametrize("content", [b"", b"   \n\t \n"], ids=["empty", "whitespace"])
def test_empty_requirements(capsys, in_tmp, content):
    (in_tmp / "req.txt").write_bytes(content)
    assert main(["design", "req.txt"]) == 2
    assert "empty" in one_error_line(capsys)


def test_missing_file(capsys, in_tmp):
    assert main(["design", "nope.txt"]) == 2
    assert "no such file: nope.txt" in one_error_line(capsys)


def test_folder_instead_of_file(capsys, in_tmp):
    (in_tmp / "reqs").mkdir()
    assert main(["design", "reqs"]) == 2
    assert "folder" in one_error_line(capsys)


def test_non_utf8_file(capsys, in_tmp):
    (in_tmp / "latin.txt").write_bytes("Boutique en ligne: caf\xe9, cr\xe8me".encode("latin-1"))
    assert main(["design", "latin.txt"]) == 2
    assert "not UTF-8" in one_error_line(capsys)


def test_unreadable_file(capsys, in_tmp, monkeypatch):
    # Permission bits do not stop root, so the refusal is simulated where the CLI reads.
    (in_tmp / "secret.txt").write_text("Online shop")
    real = Path.read_bytes

    def refuse(self):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main(["design", "secret.txt"]) == 2
    assert "cannot read secret.txt: Permission denied" in one_error_line(capsys)


def test_unknown_option_and_backend(capsys, in_tmp):
    assert main(["design", str(SHOP), "--colour"]) == 2
    assert "--colour" in one_error_line(capsys)
    assert main(["design", str(SHOP), "--backend", "telepathy"]) == 2
    assert "telepathy" in one_error_line(capsys)


def test_schema_is_a_valid_json_schema_that_accepts_a_design(capsys, in_tmp):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert main(["design", str(SHOP), "--json"]) == 0
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "shop", "style": "big_ball_of_mud"}, schema)


def test_installed_command_fails_without_traceback(in_tmp):
    proc = subprocess.run([str(DWARF_NB), "design", "missing.txt"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["dwarf-nb: no such file: missing.txt"]


def test_agent_failure_exits_1(capsys, in_tmp, monkeypatch):
    from dwarf_nb.agents.offline import OfflineDesigner

    def unavailable(self, *args, **kwargs):
        raise AgentError("the designer could not finish: try again")

    monkeypatch.setattr(OfflineDesigner, "design", unavailable)
    assert main(["design", str(SHOP)]) == 1
    assert one_error_line(capsys) == "dwarf-nb: the designer could not finish: try again"


def test_internal_error_exits_1_in_one_line(capsys, in_tmp, monkeypatch):
    import dwarf_nb.views.text

    def broken(design):
        raise RuntimeError("summary exploded")

    monkeypatch.setattr(dwarf_nb.views.text, "summary", broken)
    assert main(["design", str(SHOP)]) == 1
    assert one_error_line(capsys) == "dwarf-nb: internal error: RuntimeError: summary exploded"


@pytest.mark.parametrize("command", ["lint", "map"])
def test_a_design_that_breaks_the_contract_is_named_in_one_line(capsys, in_tmp, command):
    Path("design.json").write_text(json.dumps({"name": "shop", "edges": [{"source": "api", "target": "db"}]}))
    assert main([command, "design.json"]) == 2
    line = one_error_line(capsys)
    assert line == "dwarf-nb: design.json is not a valid design: design: edge api -> db: 'api' is not a service or component of this design"


def test_a_map_graphviz_refuses_fails_map_and_export_in_one_line_and_writes_nothing(capsys, in_tmp, monkeypatch):
    import shutil as _shutil
    from subprocess import CalledProcessError

    if _shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    assert main(["design", str(SHOP), "--json", "--name", "shop"]) == 0
    (in_tmp / "shop.json").write_text(capsys.readouterr().out)

    def refuse(*_args, **_kwargs):
        raise CalledProcessError(1, ["dot"], stderr=b"Error: <stdin>: syntax error in line 9\n")

    monkeypatch.setattr("graphviz.Digraph.pipe", refuse)
    assert main(["map", "shop.json"]) == 1
    assert one_error_line(capsys) == "dwarf-nb: graphviz could not draw the service map of shop: Error: <stdin>: syntax error in line 9"
    assert main(["export", "shop.json", "out"]) == 1
    assert "could not draw the service map" in one_error_line(capsys)
    assert not (in_tmp / "out").exists() or list((in_tmp / "out").iterdir()) == []


def test_control_characters_never_reach_the_terminal_or_the_files(capsys, in_tmp):
    hostile = "A shop\x1b]0;pwned\x07 for outdoor gear\x1b[2J: customers \x00order about 300 times a day."
    (in_tmp / "req.txt").write_text(hostile)
    assert main(["design", "req.txt"]) == 0
    assert main(["brief", "req.txt"]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x00")
    assert main(["design", "req.txt", "--json"]) == 0
    (in_tmp / "d.json").write_text(capsys.readouterr().out)
    assert main(["export", "d.json", "out"]) == 0
    for path in (in_tmp / "out").rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yml", ".yaml", ".sql", ".svg", ".json"):
            text = path.read_text(errors="replace")
            assert "\x1b" not in text and "\x07" not in text, path


@pytest.mark.parametrize("change, path", [
    ({"capacity": {"peak_rps": float("nan")}}, "capacity.peak_rps"),
    ({"capacity": {"storage_gb_total": float("inf")}}, "capacity.storage_gb_total"),
    ({"capacity": {"storage_gb_total": -5}}, "capacity.storage_gb_total"),
    ({"slos": {"availability": 5}}, "slos.availability"),
    ({"slos": {"p95_latency_ms": -1}}, "slos.p95_latency_ms"),
    ({"services": [{"name": "api", "instances": 10**30}]}, "services.0.instances"),
    ({"schema_version": 999}, "schema_version"),
    ({"decisions": [{"title": "t", "chosen": "a", "weights": {"cost": float("nan")}}]}, "decisions.0.weights.cost"),
    ({"decisions": [{"title": "t", "chosen": "a", "weights": {"cost": 1e308}}]}, "decisions.0.weights.cost"),
    ({"decisions": [{"title": "t", "chosen": "a", "options": [{"name": "a", "scores": {"cost": -1e308}}]}]},
     "decisions.0.options.0.scores.cost"),
    ({"capacity": {"users": 1e308}}, "capacity.users"),
    ({"jobs": [{"name": "j", "trigger": "@daily", "retries": 10**30}]}, "jobs.0.retries"),
    ({"services": [{"name": "a" * 20_000}]}, "services.0.name"),
])
def test_non_finite_and_out_of_range_numbers_are_refused_with_their_field(capsys, in_tmp, change, path):
    # json.dumps writes NaN and Infinity as JavaScript does: the design files people hand-edit.
    Path("design.json").write_text(json.dumps({"name": "shop", **change}))
    assert main(["lint", "design.json"]) == 2
    line = one_error_line(capsys)
    assert line.startswith("dwarf-nb: design.json is not a valid design: ") and path in line, line


_DB = {"name": "db", "kind": "relational_db"}


@pytest.mark.parametrize("change, says", [
    ({"components": [_DB, {"name": "r1", "kind": "read_replica", "replica_of": "r2"},
                     {"name": "r2", "kind": "read_replica", "replica_of": "r1"}]}, "'r2', itself a replica"),
    ({"components": [{"name": "r1", "kind": "read_replica", "replica_of": "r1"}]}, "a replica of itself"),
    ({"components": [{"name": "c", "kind": "cache"}, {"name": "lb", "kind": "load_balancer"},
                     {"name": "r", "kind": "read_replica", "replica_of": "lb"}]}, "'lb', a load_balancer that keeps no data"),
    ({"decisions": [{"title": "Broker", "chosen": "Kafka", "options": [{"name": "RabbitMQ"}, {"name": "NATS"}]}]},
     "decision 'Broker' chose 'Kafka', which is not one of its options (RabbitMQ, NATS)"),
    ({"decisions": [{"title": "Broker", "chosen": "NATS", "options": [{"name": "NATS"}, {"name": "NATS"}]}]},
     "decision 'Broker' lists the option 'NATS' twice"),
    ({"summary": "a \ud800 b"}, "summary has an invalid character (a lone surrogate, U+D800)"),
    # found by the fuzz suite: a line break in a quoted value once split the message in two
    ({"edges": [{"source": "", "target": "\r"}]}, "is not a service or component of this design"),
])
def test_a_design_that_contradicts_itself_is_refused_in_one_line(capsys, in_tmp, change, says):
    Path("design.json").write_text(json.dumps({"name": "shop", **change}))
    for command in (["lint", "design.json"], ["export", "design.json", "out"], ["map", "design.json"]):
        assert main(command) == 2
        line = one_error_line(capsys)
        assert line.startswith("dwarf-nb: design.json is not a valid design: ") and says in line, line
    assert not Path("out").exists()


def test_control_characters_in_a_design_file_are_dropped_on_reading(capsys, in_tmp):
    hostile = {"name": "shop", "summary": "Tea\x1b]0;pwned\x07 shop\x00", "services": [
        {"name": "api", "responsibility": "orders\x1b[2J", "language": "python\x01"}]}
    Path("design.json").write_text(json.dumps(hostile))
    assert main(["export", "design.json", "out"]) == 0
    capsys.readouterr()
    back = Design.model_validate_json(Path("out/design.json").read_text())
    assert (back.summary, back.services[0].responsibility, back.services[0].language) == (
        "Tea]0;pwned shop", "orders[2J", "python")


def test_a_surrogate_set_on_a_design_after_validation_is_one_line_at_export(in_tmp):
    import dwarf_nb as dw
    from dwarf_nb.errors import DesignError

    d = dw.design("A shop for outdoor gear: about 300 orders a day.")
    d.export("out")
    before = {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()}
    d.summary = "gear \ud83d shop"  # half of an emoji, set after validation
    for call in (d.to_json, lambda: d.export("out")):
        with pytest.raises(DesignError, match=r"^the design cannot be written: design: summary has an invalid "
                                              r"character \(a lone surrogate, U\+D83D\) at character 6"):
            call()
    assert {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()} == before


def test_an_absurd_number_in_the_text_is_capped_and_the_design_reads_back(capsys, in_tmp):
    Path("req.txt").write_text("We get " + "9" * 400 + " orders a day. A team of " + "9" * 60 + " engineers.")
    assert main(["design", "req.txt", "--json"]) == 0
    design = Design.model_validate_json(capsys.readouterr().out)
    assert 0 < design.capacity.peak_rps < float("inf") and all(s.instances <= 1000 for s in design.services)


def test_a_byte_order_mark_is_not_part_of_a_file(capsys, in_tmp):
    Path("req.txt").write_bytes("\ufeffA shop for outdoor gear: about 300 orders a day.".encode("utf-8"))
    assert main(["design", "req.txt", "--json"]) == 0
    design_json = capsys.readouterr().out
    assert not Design.model_validate_json(design_json).requirements.startswith("\ufeff")
    Path("design.json").write_bytes(b"\xef\xbb\xbf" + design_json.encode("utf-8"))
    assert main(["lint", "design.json"]) == 0


def test_control_characters_are_dropped_and_a_lone_surrogate_refused_in_one_line(capsys, in_tmp):
    import dwarf_nb as dw
    from dwarf_nb.errors import InputError

    d = dw.design("A shop\x00 for outdoor gear\x1b[2J: about 300 orders a day.")
    assert "\x00" not in d.requirements and "\x1b" not in d.requirements and "outdoor gear[2J" in d.requirements
    d.to_json()
    with pytest.raises(InputError, match=r"lone surrogate, U\+D800\) at character 7"):
        dw.design("A shop\ud800 for outdoor gear: about 300 orders a day.")
