"""Checks the export tests share: the document's sections, tree-sitter syntax errors, and
the Compose specification's JSON Schema validator."""

from __future__ import annotations

import importlib.resources
import json
import re
from functools import lru_cache

import pytest

# Grammar per skeleton language: (module, function returning the language).
GRAMMARS = {
    "go": ("tree_sitter_go", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "java": ("tree_sitter_java", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "ruby": ("tree_sitter_ruby", "language"),
    "elixir": ("tree_sitter_elixir", "language"),
}


def sections(markdown: str) -> dict[str, str]:
    """{'## ' heading: its body} of a Markdown document, fenced code ignored."""
    out: dict[str, str] = {}
    current, fence = None, None
    for line in markdown.splitlines():
        match = re.match(r"^(`{3,})", line)
        if match and fence is None:
            fence = match.group(1)
        elif fence and line.startswith(fence) and not line.strip("`"):
            fence = None
        elif fence is None and line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
            continue
        if current:
            out[current] += line + "\n"
    return out


@lru_cache(maxsize=1)
def compose_schema_validator():
    """A jsonschema validator for the Compose specification's schema (vendored by check-jsonschema)."""
    import jsonschema

    pytest.importorskip("check_jsonschema", reason="check-jsonschema (which vendors the Compose schema) is not installed")
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendor / "compose-spec.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)



def syntax_errors(language: str, code: str) -> list[str]:
    module_name, function = GRAMMARS[language]
    grammar = pytest.importorskip(module_name, reason=f"{module_name} (tree-sitter grammar) is not installed")
    tree_sitter = pytest.importorskip("tree_sitter")
    parser = tree_sitter.Parser(tree_sitter.Language(getattr(grammar, function)()))
    tree = parser.parse(code.encode("utf-8"))
    bad, stack = [], [tree.root_node]
    lines = code.splitlines()
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            row = node.start_point[0]
            bad.append(f"line {row + 1}: {lines[row].strip()[:120] if row < len(lines) else '(end of file)'}")
        stack.extend(node.children)
    return bad
