"""Agent files (Claude Code subagent format) for the Claude backend: the bundled persona and user files."""

from __future__ import annotations

import pytest

from dwarf_nb.agents.agentfile import default_agent_file, load_agent_file
from dwarf_nb.agents.claude import ClaudeAgent
from dwarf_nb.errors import InputError


def test_the_bundled_persona_is_a_complete_subagent_file():
    agent = default_agent_file()
    assert agent.name == "dwarf"
    assert agent.description
    assert agent.model == "sonnet"
    assert "Read" in agent.tools
    # The persona states the rules a schema cannot: references between names, the kinds vocabulary.
    assert "clients" in agent.body and "read_replica" in agent.body and "assumptions" in agent.body
    assert not agent.body.startswith("---")


def test_the_bundled_model_short_name_resolves_to_a_model_id():
    assert ClaudeAgent().model.startswith("claude-sonnet-")


def test_a_user_agent_file_with_a_yaml_tool_list(tmp_path):
    path = tmp_path / "reviewer.md"
    path.write_text("---\nname: reviewer\ntools: [Read, Grep]\nmodel: inherit\n---\n\nReview designs.\n")
    agent = load_agent_file(path)
    assert (agent.name, agent.tools, agent.body) == ("reviewer", ["Read", "Grep"], "Review designs.")
    assert ClaudeAgent(agent_file=path).model == ClaudeAgent().model  # 'inherit' means the default


@pytest.mark.parametrize(
    "text, problem",
    [
        ("You design backends.\n", "has no YAML front matter"),
        ("---\nname: x\nYou design backends.\n", "has no YAML front matter"),
        ("---\ndescription: no name here\n---\nYou design backends.\n", "the front matter has no name"),
        ("---\nname: x\ndescription: a: b\n---\nbody\n", "the front matter is not valid YAML at line 3"),
        ("---\n- a list\n---\nbody\n", "the front matter must be a mapping"),
        ("---\nname: empty\n---\n   \n", "has an empty body"),
        ("---\nname: x\nmodel: 42\n---\nbody\n", "model must be a model name"),
    ],
)
def test_a_broken_agent_file_is_one_line_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "broken.md"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        ClaudeAgent(agent_file=path)
    message = str(info.value)
    assert str(path) in message and problem in message
    assert "\n" not in message


def test_a_missing_or_unreadable_agent_file(tmp_path):
    with pytest.raises(InputError, match=r"agent file .*nope\.md does not exist"):
        load_agent_file(tmp_path / "nope.md")
    with pytest.raises(InputError, match="is not a file"):
        load_agent_file(tmp_path)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\nname: \xff\xfe\n---\nbody")
    with pytest.raises(InputError, match="is not UTF-8 text"):
        load_agent_file(binary)
