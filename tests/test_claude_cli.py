"""`dwarf-nb design --backend anthropic` against the local fake Messages API: output and exit codes."""

from __future__ import annotations

import json

import pytest

from dwarf_nb.cli import main
from dwarf_nb.design import Design
from dwarf_nb.store import Store

import fake_anthropic as fa

KEY = "sk-ant-test-SECRET123"
TEXT = "A booking service for 20 yoga studios; members book classes on their phones."


@pytest.fixture
def env(fake, in_tmp, monkeypatch):
    """Point the SDK at the fake server, with a fake key; return the requirements file."""
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    path = in_tmp / "brief.txt"
    path.write_text(TEXT)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_design_json_from_the_anthropic_backend(env, fake, capsys):
    code, out, err = run(capsys, "design", str(env), "--backend", "anthropic", "--json", "-v")
    assert code == 0
    d = Design.model_validate_json(out)
    assert d.backend == "anthropic" and d.requirements == TEXT
    assert fake.requests[0]["body"]["model"].startswith("claude-sonnet-")
    assert "output tokens" in err.splitlines()[-1]
    assert KEY not in out + err


def test_model_agent_and_no_cache_options_reach_the_api(env, fake, capsys, in_tmp):
    persona = in_tmp / "persona.md"
    persona.write_text("---\nname: lean\n---\nKeep designs small.\n")
    argv = ["design", str(env), "--backend", "anthropic", "--json", "--model", "claude-haiku-4-5", "--agent", str(persona)]
    assert run(capsys, *argv)[0] == 0
    assert fake.requests[-1]["body"]["model"] == "claude-haiku-4-5"
    assert fake.requests[-1]["body"]["system"][0]["text"] == "Keep designs small."
    code, out, _ = run(capsys, *argv)  # answered from the response cache in .dwarf/
    assert code == 0 and len(fake.requests) == 1 and json.loads(out)["backend"] == "anthropic"
    assert run(capsys, *argv, "--no-cache")[0] == 0
    assert len(fake.requests) == 2


def test_no_key_exits_2_with_one_line(env, fake, capsys, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    code, out, err = run(capsys, "design", str(env), "--backend", "anthropic")
    assert code == 2 and out == ""
    assert err == (
        "dwarf-nb: no Anthropic API key: set ANTHROPIC_API_KEY (or pass api_key=), "
        "or design without the API with --backend offline\n"
    )
    assert fake.requests == []


def test_a_rejected_key_exits_1_and_keeps_the_requirements(env, fake, capsys, in_tmp):
    fake.push(fa.status(401, "authentication_error", "invalid x-api-key"))
    code, out, err = run(capsys, "design", str(env), "--backend", "anthropic", "--json")
    assert code == 1 and out == ""
    assert err == "dwarf-nb: the Anthropic API rejected the API key (401): check ANTHROPIC_API_KEY [request id req_fake]\n"
    store = Store(in_tmp / ".dwarf" / "designs.db")
    assert [f["requirements"] for f in store.failures()] == [TEXT]
    store.close()
    assert KEY.encode() not in (in_tmp / ".dwarf" / "designs.db").read_bytes()


def test_a_broken_agent_file_exits_2(env, fake, capsys, in_tmp):
    persona = in_tmp / "persona.md"
    persona.write_text("no front matter at all\n")
    code, _, err = run(capsys, "design", str(env), "--backend", "anthropic", "--agent", str(persona))
    assert code == 2 and "has no YAML front matter" in err and err.count("\n") == 1


def test_timeout_and_max_retries_options_reach_the_agent(env, fake, capsys):
    fake.default = fa.stall(2.0)
    code, out, err = run(capsys, "design", str(env), "--backend", "anthropic", "--timeout", "0.3", "--max-retries", "0")
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"dwarf-nb: no response at all from {fake.url} in 1 attempt of 0.3 s: the network")
    assert len(fake.requests) == 1  # no retry was made


def test_max_tokens_option_reaches_the_api(env, fake, capsys):
    code, _, err = run(capsys, "design", str(env), "--backend", "anthropic", "--json", "--max-tokens", "12345")
    assert code == 0, err
    assert fake.requests[0]["body"]["max_tokens"] == 12345


def test_a_dry_run_counts_the_tokens_and_designs_nothing(env, fake, capsys, in_tmp):
    code, out, err = run(capsys, "design", str(env), "--backend", "anthropic", "--dry-run", "--max-tokens", "8000")
    assert code == 0, err
    (line,) = out.strip().splitlines()
    assert line.startswith("claude-sonnet-4-6: the request is ") and "input tokens ≈ $" in line
    assert "at most 8,000 output tokens" in line and line.endswith("(dry run: nothing was designed)")
    assert [r["path"].split("?")[0] for r in fake.requests] == ["/v1/messages/count_tokens"]
    counted = fake.requests[0]["body"]
    assert counted["tools"][0]["name"] and TEXT in counted["messages"][0]["content"]
    assert not (in_tmp / ".dwarf").exists() and KEY not in out + err
    assert run(capsys, "design", str(env), "--dry-run")[0] == 2  # the offline designer costs nothing
