"""Which `diagrams` node class draws a service, a component or the clients.

The mapping is data (`knowledge/icons.toml`); this module only reads it and imports the
classes it names, so `diagrams` loads when a map is drawn and not before.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from ..design import Component, Service
from .. import knowledge

_WORD_SPLIT = re.compile(r"[\s/(),;+]+")


def table() -> dict:
    """The parsed icons.toml."""
    return knowledge.load("icons")


@lru_cache(maxsize=1)
def _technology_patterns() -> list[tuple[re.Pattern, str]]:
    # Longest words first so that "redis streams"-style names and "postgresql" beat shorter keys.
    words = sorted(table()["technology"].items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return [(re.compile(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])"), path) for word, path in words]


@lru_cache(maxsize=None)
def load(path: str) -> type:
    """The `diagrams` class named by a dotted path from icons.toml."""
    if not path.startswith("diagrams."):
        raise ValueError(f"icons.toml may only name diagrams classes, not {path!r}")
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def service_class_path(service: Service) -> str:
    languages = table()["language"]
    text = service.language.strip().lower()
    # "Go 1.22" or "TypeScript (Node.js)": the whole text first, then its words in order.
    for candidate in [text, *_WORD_SPLIT.split(text)]:
        if candidate in languages:
            return languages[candidate]
    return table()["service_kind"][service.kind]


def component_class_path(component: Component) -> str:
    text = component.technology.lower()
    for pattern, path in _technology_patterns():
        if pattern.search(text):
            return path
    return table()["component_kind"][component.kind]


def clients_class_path() -> str:
    return table()["clients"]
