"""Agent files in the Claude Code subagent format: YAML front matter, then a Markdown persona.

    ---
    name: dwarf
    description: ...
    model: sonnet
    ---
    You are ...

The bundled `dwarf.md` is the default; `--agent PATH` / `agent_file=PATH` loads another
file of the same shape. Only `name` and a non-empty body are required; `model` (when
present) is the model used unless one is given explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import yaml

from ..errors import InputError

# The front matter is everything between a first line '---' and the next line '---'.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*(?:\r?\n|\Z)(?P<body>.*)\Z", re.S | re.M)


@dataclass(frozen=True)
class AgentFile:
    """A parsed agent file: its persona (`body`) and the fields of its front matter."""

    name: str
    body: str
    source: str  # where it came from, for messages
    text: str  # the whole file, so that a cache key changes whenever the file does
    description: str = ""
    model: Optional[str] = None
    tools: list[str] = field(default_factory=list)


def default_agent_file() -> AgentFile:
    """The Dwarf persona shipped with the package."""
    text = resources.files("dwarf_nb.agents").joinpath("dwarf.md").read_text(encoding="utf-8")
    return parse_agent_file(text, "dwarf.md (bundled)")


def load_agent_file(path: str | Path | None = None) -> AgentFile:
    """The agent file at `path`, or the bundled Dwarf persona when `path` is None."""
    if path is None:
        return default_agent_file()
    where = str(path)
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"agent file {where} does not exist" if not p.exists() else f"agent file {where} is not a file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"agent file {where} is not UTF-8 text") from None
    except OSError as err:
        raise InputError(f"cannot read agent file {where}: {err.strerror}") from None
    return parse_agent_file(text, where)


def parse_agent_file(text: str, source: str) -> AgentFile:
    """Parse and check the text of an agent file; `source` names it in error messages."""
    m = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if m is None:
        raise InputError(f"agent file {source} has no YAML front matter (a '---' block with name: at the top)")
    try:
        meta = yaml.safe_load(m.group("yaml"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise InputError(f"agent file {source}: the front matter is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise InputError(f"agent file {source}: the front matter must be a mapping of fields (name: ..., model: ...)")
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"agent file {source}: the front matter has no name")
    body = m.group("body").strip()
    if not body:
        raise InputError(f"agent file {source} has an empty body: write the agent's instructions below the front matter")
    model = meta.get("model")
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise InputError(f"agent file {source}: model must be a model name such as claude-sonnet-4-6")
    return AgentFile(
        name=name.strip(),
        body=body,
        source=source,
        text=text,
        description=str(meta.get("description") or ""),
        model=model.strip() if model else None,
        tools=_tool_list(meta.get("tools")),
    )


def _tool_list(value: Any) -> list[str]:
    # Claude Code writes tools as "Read, Grep"; a YAML list is accepted too.
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    return []
