"""DwarfMagics settings: `%config`, `pyproject.toml` `[tool.dwarf_nb]`, and which one wins."""

from __future__ import annotations

import pytest
from handmade_card import hostile_shop
from notebook_shell import SHOP, _shell, ip, load, run  # noqa: F401  (fixtures)

from dwarf_nb.store import Store

import fake_anthropic as fa


def magics(shell):
    return shell.magics_manager.registry["DwarfMagics"]


def write_pyproject(folder, body: str) -> None:
    (folder / "pyproject.toml").write_text(f'[project]\nname = "team"\n\n[tool.dwarf_nb]\n{body}\n')


def test_defaults(ip):
    m = magics(ip)
    assert (m.backend, m.store_path, m.direction, m.show_map, m.fallback) == (
        "offline",
        ".dwarf/designs.db",
        "LR",
        True,
        None,
    )


def test_percent_config_changes_what_the_cell_does(ip):
    run(ip, "%config DwarfMagics.show_map = False")
    assert "<svg" not in run(ip, f"%%dwarf shop\n{SHOP}").last("text/html")
    run(ip, '%config DwarfMagics.backend = "telepathy"')
    assert "telepathy" in run(ip, f"%%dwarf shop\n{SHOP}").usage_error()
    # An option on the cell beats the setting.
    assert run(ip, f"%%dwarf shop --backend offline\n{SHOP}").error is None


def test_percent_config_store_path(ip, in_tmp):
    run(ip, '%config DwarfMagics.store_path = "team/history.db"')
    assert run(ip, f"%%dwarf shop\n{SHOP}").error is None
    assert Store(in_tmp / "team" / "history.db").names() == ["shop"]
    assert not (in_tmp / ".dwarf").exists()


def test_pyproject_in_a_parent_folder_is_read(_shell, in_tmp, monkeypatch):
    write_pyproject(in_tmp, 'direction = "TB"\nshow-map = false\nstore_path = "h.db"\nsuppress = ["DW05"]')
    notebooks = in_tmp / "notebooks"
    notebooks.mkdir()
    monkeypatch.chdir(notebooks)
    _shell.reset(new_session=False)
    m = load(_shell)
    assert (m.direction, m.show_map, m.store_path, m.suppress) == ("TB", False, "h.db", ["DW05"])
    ran = run(_shell, f"%%dwarf shop\n{SHOP}")
    assert ran.error is None and "<svg" not in ran.last("text/html")
    assert (notebooks / "h.db").is_file()


def test_percent_config_wins_over_pyproject(_shell, in_tmp):
    write_pyproject(in_tmp, "show_map = false")
    _shell.reset(new_session=False)
    load(_shell)
    run(_shell, "%config DwarfMagics.show_map = True")
    assert magics(_shell).show_map is True
    assert "<svg" in run(_shell, f"%%dwarf shop\n{SHOP}").last("text/html")


def test_config_given_before_loading_wins_over_pyproject(_shell, in_tmp):
    write_pyproject(in_tmp, 'direction = "TB"\nbackend = "offline"')
    _shell.config.DwarfMagics.direction = "BT"  # as from ipython_config.py
    try:
        m = load(_shell)
        assert m.direction == "BT"
    finally:
        _shell.config.pop("DwarfMagics", None)


@pytest.mark.parametrize(
    "body, words",
    [
        ('colour = "blue"', ["unknown setting", "colour", "backend"]),
        ('direction = "diagonal"', ["direction", "diagonal"]),
        ("show_map = [", ["not valid TOML"]),
    ],
)
def test_bad_pyproject_settings_are_one_line(_shell, in_tmp, body, words):
    write_pyproject(in_tmp, body)
    _shell.extension_manager.loaded.discard("dwarf_nb")
    ran = run(_shell, "%load_ext dwarf_nb")
    message = ran.usage_error()
    assert "pyproject.toml" in message
    for word in words:
        assert word in message
    # Fixed, the extension loads.
    write_pyproject(in_tmp, "")
    assert run(_shell, "%load_ext dwarf_nb").error is None


def test_suppress_setting_accepts_findings(ip):
    ip.user_ns["handmade"] = design = hostile_shop()
    finding = design.lint().findings[0].id
    run(ip, f"%config DwarfMagics.suppress = {{'{finding}': 'the team accepted it'}}")
    text = run(ip, "%dwarf lint handmade").last("text/plain")
    assert "the team accepted it" in text.split("Accepted:")[1]
    # The card's review honours the setting too.
    assert "the team accepted it" in run(ip, "%dwarf show handmade --no-map").last("text/html")


def test_settings_reach_the_anthropic_agent(ip, in_tmp, monkeypatch):
    import dwarf_nb
    from dwarf_nb.agents.claude import ClaudeAgent

    seen = {}

    def answer_without_network(self, text, name=None, progress=None):
        seen.update(
            model=self.model, timeout=self.timeout, retries=self.max_retries, fallback=self.fallback,
            cache=self.use_cache, store=self.store.path.resolve(),
        )
        progress("waiting for the model")
        return dwarf_nb.design(text, name=name).model_copy(update={"backend": "anthropic"})

    monkeypatch.setattr(ClaudeAgent, "design", answer_without_network)
    for setting in (
        'backend = "anthropic"', 'model = "claude-test-model"', "timeout = 5", "max_retries = 0",
        'fallback = "offline"', "use_cache = False",
    ):
        run(ip, f"%config DwarfMagics.{setting}")
    ran = run(ip, f"%%dwarf shop\n{SHOP}")
    assert ran.error is None, ran.stderr
    assert seen == {
        "model": "claude-test-model", "timeout": 5.0, "retries": 0, "fallback": "offline",
        "cache": False, "store": (in_tmp / ".dwarf" / "designs.db").resolve(),
    }
    assert any("waiting for the model" in o.data["text/plain"] for o in ran.outputs if o.update)
    assert "anthropic backend" in ran.last("text/html")


def test_cell_timeout_and_retries_beat_the_settings(ip, monkeypatch):
    import dwarf_nb
    from dwarf_nb.agents.claude import ClaudeAgent

    seen = {}

    def answer_without_network(self, text, name=None, progress=None):
        seen.update(timeout=self.timeout, retries=self.max_retries, cache=self.use_cache, tokens=self.max_tokens,
                    model=self.model)
        return dwarf_nb.design(text, name=name).model_copy(update={"backend": "anthropic"})

    monkeypatch.setattr(ClaudeAgent, "design", answer_without_network)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-used")
    run(ip, "%config DwarfMagics.timeout = 5")
    run(ip, "%config DwarfMagics.max_tokens = 9000")
    ran = run(ip, f"%%dwarf shop --backend anthropic --timeout 300 --max-retries 4\n{SHOP}")
    assert ran.error is None, ran.stderr
    assert seen == {"timeout": 300.0, "retries": 4, "cache": True, "tokens": 9000, "model": "claude-sonnet-4-6"}
    ran = run(ip, f"%%dwarf shop --backend anthropic --no-cache --max-tokens 32000 --model haiku\n{SHOP}")
    assert ran.error is None, ran.stderr
    assert seen == {"timeout": 5.0, "retries": 2, "cache": False, "tokens": 32000, "model": "claude-haiku-4-5"}
    message = run(ip, f"%%dwarf shop --backend anthropic --timeout soon\n{SHOP}").usage_error()
    assert "--timeout" in message and "soon" in message


def test_the_progress_line_keeps_time_while_the_model_is_quiet(ip, monkeypatch):
    import re
    import time

    import dwarf_nb
    from dwarf_nb.agents.claude import ClaudeAgent

    def slow_answer(self, text, name=None, progress=None):
        progress("waiting for the model")
        time.sleep(2.6)  # a long silence from the API
        return dwarf_nb.design(text, name=name).model_copy(update={"backend": "anthropic"})

    monkeypatch.setattr(ClaudeAgent, "design", slow_answer)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-used")
    ran = run(ip, f"%%dwarf shop --backend anthropic\n{SHOP}")
    assert ran.error is None, ran.stderr
    waits = [float(m.group(1)) for b in ran.bundles
             if (m := re.match(r"dwarf: waiting for the model \((\d+\.\d) s\)", b.get("text/plain", "")))]
    assert len(waits) >= 3 and waits == sorted(waits) and waits[-1] >= 2.0  # the clock moved on its own
    assert "dwarf-progress" not in ran.bundles[-1].get("text/html", "")  # the design is what stays
    assert "anthropic backend" in ran.last("text/html")


def test_the_usage_line_stays_in_the_cell_and_in_the_history(ip, fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-shown")
    ran = run(ip, f"%%dwarf shop --backend anthropic\n{SHOP}")
    assert ran.error is None, ran.stderr
    final = ran.bundles[-1]
    assert 'class="dwarf-usage"' in final["text/html"] and "output tokens" in final["text/plain"].splitlines()[0]
    history = run(ip, "%dwarf history shop").last("text/plain")
    assert "output tokens" in history and "sk-ant-test-not-shown" not in history + final["text/html"]


def test_a_claude_refine_from_a_cell_sends_the_earlier_requests(ip, fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-shown")
    fake.push(*(fa.design(fa.valid_design(summary=f"version {n}")) for n in (1, 2, 3)))  # each answer a change
    for cell in (f"%%dwarf shop --backend anthropic\n{SHOP}", "%%dwarf shop --refine --backend anthropic\nadd a waitlist",
                 "%%dwarf shop --refine --backend anthropic\nmove search to OpenSearch"):
        assert run(ip, cell).error is None
    last = fake.requests[-1]["body"]["messages"][0]["content"]
    assert "add a waitlist" in last.split("<earlier_requests>")[1].split("</earlier_requests>")[0]
    assert "move search to OpenSearch" in last.split("<change_request>")[1]


def test_a_dry_run_cell_shows_the_cost_and_keeps_nothing(ip, fake, monkeypatch, in_tmp):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-shown")
    ran = run(ip, f"%%dwarf shop --backend anthropic --dry-run\n{SHOP}")
    assert ran.error is None, ran.stderr
    assert "input tokens ≈ $" in ran.last("text/plain") and "nothing was designed" in ran.last("text/html")
    assert "shop" not in ip.user_ns and not (in_tmp / ".dwarf").exists()
    assert all(r["path"].split("?")[0].endswith("/count_tokens") for r in fake.requests)
    assert "does not go with --refine" in run(ip, "%%dwarf shop --refine --dry-run\nadd a cache").usage_error()


def test_anthropic_without_a_key_is_one_line(ip, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    message = run(ip, f"%%dwarf shop --backend anthropic\n{SHOP}").usage_error()
    assert "ANTHROPIC_API_KEY" in message and "offline" in message
