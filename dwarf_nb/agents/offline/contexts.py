"""The bounded contexts of a plan, found in the Brief and named with the text's own nouns.

Two sources, each context citing the Brief facts behind it (`because`):

- contexts of `knowledge/domains.toml`. One with `needs`, `traits` or `settings` is present
  when the Brief holds one of those needs, the planner's profile one of those traits, or the
  text states one of those settings; one without is present when a keyword of it is in a
  sentence that some Brief fact was read from, and cites those facts. A context nothing in the Brief speaks for
  is never added.
- contexts formed from the Brief's domain nouns that no knowledge context owns: each noun
  becomes an entity, and nouns mentioned together share a context named for the first.

The people who sign in get the accounts entity under the text's noun for them (member,
guest, patient), and every reference to it follows the new name.
"""

from __future__ import annotations

import re
from functools import cache

from ...brief import Term
from .blueprint import Context
from .data_model import plural
from ...knowledge import load
from .knowledge import find_phrase
from .profile import Profile
from .reader.lexicon import data as lexicon
from .reader.text import sentence_at


@cache
def _people() -> dict[str, str]:
    """Party noun -> its role, for the roles whose nouns are people."""
    roles = lexicon()["roles"]
    return {n: role for role in ("end_user", "staff") for n in roles[role]}


@cache
def _read_nouns() -> frozenset:
    # A view, a visit or a search is traffic, not something the system keeps.
    return frozenset(lexicon()["ops"]["read"]["nouns"]) | frozenset(lexicon()["ops"]["mixed"]["nouns"])


def _slug(noun: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", noun.lower()).strip("_")


def _copy(spec: dict) -> dict:
    """A context's spec the plan may change without touching the loaded knowledge."""
    return {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in spec.items()}


def knowledge_contexts(profile: Profile) -> list[Context]:
    """The contexts of `knowledge/domains.toml` the Brief speaks for, in file order."""
    brief = profile.brief
    needs = {n.name: n for n in brief.needs if n.value}
    by_sentence: dict[str, list[str]] = {}
    for f in brief.facts():
        if f.evidence and f.status != "assumed":
            by_sentence.setdefault(f.evidence, []).append(f.id)
    low = profile.text.lower()
    found = []
    for name, spec in load("domains")["context"].items():
        if any(k in spec for k in ("needs", "traits", "settings", "data")):
            why = _called_for(spec, profile, needs)
            if why:
                found.append(Context(name, _copy(spec), why[0], why[1]))
            continue
        m = find_phrase(spec["keywords"], low)
        if m is None:
            continue
        evidence = sentence_at(profile.text, m.start()).evidence
        ids = by_sentence.get(evidence, [])
        if ids:
            found.append(Context(name, _copy(spec), evidence, ids[:3]))
    return found


def _called_for(spec: dict, profile: Profile, needs: dict) -> tuple[str, list[str]] | None:
    """(evidence, fact ids) when a need, a trait or a stated setting the context lists is in the Brief."""
    hit = [needs[n] for n in spec.get("needs", []) if n in needs]
    if hit:
        return hit[0].evidence, [h.id for h in hit]
    traits = [t for t in spec.get("traits", []) if profile.has(t)]
    if traits and profile.cite(*traits):
        return profile.traits[traits[0]], profile.cite(*traits)
    for name in spec.get("settings", []):
        s = profile.brief.setting(name)
        if s is not None and s.status != "assumed":
            return s.evidence, [s.id]
    for name in spec.get("data", []):
        item = next((d for d in profile.brief.data if getattr(d, name, None) and d.status != "assumed"), None)
        if item is not None:
            return item.evidence, [item.id]
    return None


def _owned_nouns(contexts: list[Context]) -> set[str]:
    owned: set[str] = set()
    for c in contexts:
        owned |= {line.split(":")[0].strip() for line in c.spec.get("entities", [])}
        owned |= {k.rstrip("*").strip().rstrip("s") for k in c.spec.get("keywords", []) if " " not in k.strip()}
    return owned


def _rename(contexts: list[Context], old: str, new: str) -> None:
    """Give entity `old` the text's name `new` in every context's entities, endpoints and events."""
    word = re.compile(rf"\b{old}(?=\b|_id\b)")
    for c in contexts:
        for key in ("entities", "endpoints"):
            if key in c.spec:
                c.spec[key] = [word.sub(new, line) for line in c.spec[key]]


def _take_the_texts_names(found: list[Context], terms: list[Term]) -> None:
    """Rename knowledge entities to the text's nouns for them (`names` in domains.toml)."""
    taken = {line.split(":")[0].strip() for c in found for line in c.spec.get("entities", [])}
    for c in found:
        for entity, words in c.spec.get("names", {}).items():
            t = next((t for t in terms if t.noun in words and _slug(t.noun) not in taken), None)
            if t is not None and entity in taken:
                _rename(found, entity, _slug(t.noun))
                taken = (taken - {entity}) | {_slug(t.noun)}
                c.because.append(t.id)


def _leaned_on(t: Term, d: dict) -> bool:
    """The text leans on the noun: you set it, it is used at least twice, or something is done to it."""
    return t.status == "set" or t.mentions >= d["min_mentions"] or bool(t.actions)


def _keep(t: Term, rank: int, d: dict) -> bool:
    if t.noun in _read_nouns() and t.mentions < d["min_mentions"]:
        return False
    return _leaned_on(t, d) or rank < d["top_ranked"]


def domain_contexts(profile: Profile, found: list[Context]) -> list[Context]:
    """Contexts for the Brief's domain nouns that no context in `found` owns."""
    d = load("patterns")["domain"]
    terms = profile.brief.domain
    people = [t for t in terms if _people().get(t.noun) == "end_user"]
    identity = next((c for c in found if c.name == "identity"), None)
    if identity is not None and people:
        # The accounts entity is who signs in, under the text's own word for them.
        noun = _slug(people[0].noun)
        _rename(found, "user", noun)
        identity.because = [*identity.because, people[0].id]
    _take_the_texts_names(found, terms)
    owned = _owned_nouns(found)
    made: list[Context] = []
    entity_count = 0
    for rank, t in enumerate(terms):
        noun = _slug(t.noun)
        if noun in owned or not _keep(t, rank, d) or entity_count >= d["max_entities"]:
            continue
        owned.add(noun)
        entity_count += 1
        home = next((c for c in made if c.spec["seed"] in t.evidence.lower() and len(c.spec["entities"]) < d["per_context"]), None)
        if home is None and len(made) >= d["max_contexts"]:
            home = made[-1]
        if home is None:
            name = _slug(plural(t.noun))
            # A noun the text leans on can head a service of its own; a passing one is a module
            # of the service whose context shares its sentence.
            strong = _leaned_on(t, d)
            near = [c.name for c in found if c.spec.get("keywords") and find_phrase(c.spec["keywords"], t.evidence.lower())]
            made.append(Context(name, {"service": name.replace("_", "-"), "workload": "crud", "priority": 4, "seed": t.noun,
                                       "keywords": [t.noun, plural(t.noun)], "entities": [_entity_line(noun, None, t, found)],
                                       "endpoints": [], "attach": not strong, "near": near}, t.evidence, [t.id]))
            continue
        home.spec["entities"].append(_entity_line(noun, _slug(home.spec["seed"]), t, found))
        home.spec["keywords"] += [t.noun, plural(t.noun)]
        home.spec["endpoints"] += [f"GET /{plural(noun)} {noun}", f"POST /{plural(noun)} {noun}"]
        home.because.append(t.id)
    return made


def _entity_line(noun: str, parent: str | None, t: Term, found: list[Context]) -> str:
    """An entity of the text's domain: its id, a reference to what it belongs to, a name and a status."""
    fields = ["id uuid pk"]
    if parent:
        fields.append(f"{parent}_id uuid ref={parent}.id index")
    people = next((c for c in found if c.name == "identity"), None)
    if people is not None:
        who = people.spec["entities"][0].split(":")[0].strip()
        if who != noun and who.replace("_", " ") in t.evidence.lower():
            fields.append(f"{who}_id uuid ref={who}.id index")
    fields += ["name text", "status text", "created_at timestamptz"]
    return f"{noun}: " + ", ".join(fields)


def find_contexts(profile: Profile) -> list[Context]:
    """Every bounded context of the plan: knowledge contexts first, then the text's own."""
    found = knowledge_contexts(profile)
    return found + domain_contexts(profile, found)
