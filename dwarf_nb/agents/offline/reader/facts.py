"""Facts the user sets: YAML front matter at the top of a brief, or `facts={...}` in Python.

    ---
    team: 2
    languages: [python]
    hosting: self-hosted
    writes_per_second: 1e6
    needs: {keyword_search: false}
    ---
    The requirements as prose ...

Every key is validated; an unknown key or a bad value is one line naming what is valid,
and the text is never touched. Facts set here win over anything the reader finds.
"""

from __future__ import annotations

import re
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ....errors import InputError
from ....knowledge import load

_FRONT = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
HOSTING = {"aws": "aws", "amazon": "aws", "amazon web services": "aws", "gcp": "gcp", "google": "gcp", "google cloud": "gcp",
           "azure": "azure", "microsoft azure": "azure", "self-hosted": "self_hosted", "self_hosted": "self_hosted",
           "self hosted": "self_hosted", "on-prem": "self_hosted", "on-premises": "self_hosted", "on prem": "self_hosted",
           "own servers": "self_hosted", "unstated": "unstated", "none": "unstated"}


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").replace("_", ""))
        except ValueError:
            pass
    raise ValueError(f"{what} must be a number, not {value!r}")


class Facts(BaseModel):
    """The facts a user may set, with their types; the names are the front-matter keys."""

    model_config = ConfigDict(extra="forbid")

    team: Optional[int] = None
    squads: Optional[int] = None
    languages: Optional[list[str]] = None
    frameworks: Optional[list[str]] = None
    hosting: Optional[str] = None
    budget: Optional[float] = None
    availability: Optional[float] = None
    read_share: Optional[float] = None
    latency_ms: Optional[float] = None
    compliance: Optional[list[str]] = None
    users: Optional[float] = None
    daily_users: Optional[float] = None
    concurrent_users: Optional[float] = None
    reads_per_second: Optional[float] = None
    writes_per_second: Optional[float] = None
    peak_rps: Optional[float] = None
    storage_gb_per_month: Optional[float] = None
    storage_gb_total: Optional[float] = None
    retention_years: Optional[float] = None
    needs: Optional[dict[str, bool]] = None
    entities: Optional[list[str]] = None

    @field_validator("team", "squads", mode="before")
    @classmethod
    def _whole(cls, v, info):
        if v is None:
            return v
        n = _number(v, info.field_name)
        if n < 1 or n != int(n):
            raise ValueError(f"{info.field_name} must be a whole number of at least 1, not {v!r}")
        return int(n)

    @field_validator("budget", "latency_ms", "users", "daily_users", "concurrent_users", "reads_per_second",
                     "writes_per_second", "peak_rps", "storage_gb_per_month", "storage_gb_total", "retention_years", mode="before")
    @classmethod
    def _positive(cls, v, info):
        if v is None:
            return v
        if isinstance(v, str) and info.field_name == "budget":
            v = re.sub(r"^[$€£]|\s*(?:usd|eur|gbp|dollars?|euros?|pounds?)?\s*(?:/|a|per)?\s*(?:month|mo)?$", "", v.strip().lower())
        n = _number(v, info.field_name)
        if n < 0:
            raise ValueError(f"{info.field_name} must not be negative, not {v!r}")
        return n

    @field_validator("availability", "read_share", mode="before")
    @classmethod
    def _fraction(cls, v, info):
        if v is None:
            return v
        text = str(v).strip()
        percent = text.endswith("%")
        n = _number(text.rstrip("%"), info.field_name)
        if percent or n > 1:
            n = n / 100
        example = "0.999 or a percentage like 99.9%" if info.field_name == "availability" else "0.9 or a percentage like 90%"
        if not 0 < n < 1:
            raise ValueError(f"{info.field_name} must be a fraction like {example}, not {v!r}")
        return n

    @field_validator("languages", "frameworks", "compliance", "entities", mode="before")
    @classmethod
    def _listed(cls, v, info):
        if v is None:
            return v
        if isinstance(v, str):
            v = [x.strip() for x in re.split(r"[,;]", v) if x.strip()]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ValueError(f"{info.field_name} must be a list of names, not {v!r}")
        return v

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, v):
        if v is None:
            return v
        known = _language_keys()
        out = []
        for name in v:
            key = known.get(name.strip().lower())
            if key is None:
                raise ValueError(f"unknown language {name!r}; known: {', '.join(sorted(set(known.values())))}")
            out.append(key)
        return out

    @field_validator("hosting", mode="before")
    @classmethod
    def _hosting(cls, v):
        if v is None:
            return v
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"hosting must be a name such as aws, gcp, azure, self-hosted or a provider's name, not {v!r}")
        low = v.strip().lower()
        return HOSTING.get(low, f"other:{re.sub(r'[^a-z0-9.]+', '', low)}")

    @field_validator("needs", mode="before")
    @classmethod
    def _needs(cls, v):
        if v is None:
            return v
        if isinstance(v, list):
            v = {str(x): True for x in v}
        if not isinstance(v, dict):
            raise ValueError(f"needs must map need names to true or false, not {v!r}")
        needs = load("needs")["need"]
        names = {name: name for name in needs}
        names.update({alias: name for name, spec in needs.items() for alias in spec.get("aliases", [])})
        out = {}
        for key, flag in v.items():
            if str(key) not in names:
                raise ValueError(f"unknown need {key!r}; needs: {', '.join(sorted(needs))}")
            if not isinstance(flag, bool):
                raise ValueError(f"need {key!r} must be true or false, not {flag!r}")
            out[names[str(key)]] = flag
        return out


def _language_keys() -> dict[str, str]:
    out = {}
    for key, spec in load("languages")["language"].items():
        out[key] = key
        out[spec["label"].lower()] = key
        for alias in spec.get("aliases", []) + spec.get("exact", []):
            out.setdefault(alias.lower(), key)
    out.update({"javascript": "typescript", "js": "typescript", "ts": "typescript", "c#": "csharp", ".net": "csharp"})
    return out


def keys() -> list[str]:
    return list(Facts.model_fields)


def check(facts: Any) -> Facts:
    """`facts` validated, or an InputError of one line naming the valid keys or values."""
    if facts is None:
        return Facts()
    if isinstance(facts, Facts):
        return facts
    if not isinstance(facts, dict):
        raise InputError(f"facts must be a mapping of fact names to values, not {type(facts).__name__}")
    try:
        return Facts.model_validate(facts)
    except ValidationError as err:
        e = err.errors()[0]
        where = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            raise InputError(f"unknown fact {where!r}; the facts you can set are: {', '.join(keys())}") from None
        cause = (e.get("ctx") or {}).get("error")
        msg = str(cause) if cause is not None else e["msg"]
        raise InputError(f"fact {where!r}: {msg}") from None


def split_front_matter(text: str) -> tuple[dict, int]:
    """(the front matter as a dict, where the prose starts); ({}, 0) when there is none."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(err, "problem", None) or "it cannot be parsed"
        raise InputError(f"the front matter is not valid YAML{line}: {problem}") from None
    if data is None:
        return {}, m.end()
    if not isinstance(data, dict):
        raise InputError(f"the front matter must be 'key: value' lines, not {type(data).__name__}; keys: {', '.join(keys())}")
    return data, m.end()
