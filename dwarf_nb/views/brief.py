"""The Brief as a person reads it: one row per fact (section, fact, value, status, evidence)
with the front-matter key that corrects it, for the terminal, Markdown and the notebook card.

    rows(brief) -> list[Row]
    to_text(brief) · to_markdown(brief) · to_html(brief)
    why(brief, ids) -> str   the facts a part cites, in a few words each ("needs keyword search")
"""

from __future__ import annotations

from dataclasses import dataclass

from ..brief import Actor, Brief, DataItem, Fact, Need, Setting, Term, Workload, fact_value, setting_key, users_key
from ..knowledge import load
from .escape import html as esc
from .escape import printable
from .escape import markdown_cell as md_cell

SECTIONS = (("actors", "Who"), ("workloads", "Load"), ("data", "Data"), ("domain", "Domain"),
            ("needs", "Needs"), ("constraints", "Constraints"), ("totals", "Set by you"))
STATUS_WORDS = {"stated": "stated", "derived": "derived", "assumed": "assumed", "set": "set by you"}

SETTING_WORDS = {"p95_latency_ms": "p95 latency target", "budget_per_month": "hosting budget a month",
                 "language_roles": "languages by role", "languages_weak": "languages known a little",
                 "read_share": "share of requests that read", "peak_factor": "peak over average",
                 "schedule": "work set for a time (cron)"}



@dataclass(frozen=True)
class Row:
    section: str
    fact: str
    value: str
    status: str
    evidence: str
    how: str  # the derivation (derived) or the reason (assumed)
    key: str  # the front-matter line that would correct it


def _label(fact: Fact) -> str:
    if isinstance(fact, Actor):
        return fact.noun
    if isinstance(fact, Workload):
        return fact.name
    if isinstance(fact, DataItem):
        return fact.item
    if isinstance(fact, Term):
        return fact.noun
    if isinstance(fact, Need):
        return load("needs")["need"].get(fact.name, {}).get("label", fact.name.replace("_", " "))
    if isinstance(fact, Setting):
        return SETTING_WORDS.get(fact.name, fact.name.replace("_", " "))
    return fact.id


def _reason(fact: Fact) -> str:
    """One cited fact in a few words, for the 'why' of a part."""
    if isinstance(fact, Need):
        return f"{'needs' if fact.value else 'rules out'} {_label(fact)}"
    if isinstance(fact, Term):
        from ..agents.offline.reader.lexicon import plural

        return f"manages {plural(fact.noun)}"
    if isinstance(fact, Workload):
        from .numbers import rate

        return f"{fact.name}: {rate(fact.avg_per_s)}"
    if isinstance(fact, Setting):
        return f"{_label(fact)}: {fact_value(fact)}"
    return fact_value(fact) if isinstance(fact, (Actor, DataItem)) else fact.id


def why(brief: Brief, ids: list[str], limit: int = 3) -> str:
    """The facts `ids` name, in a few words each, joined; ids the Brief does not hold are skipped."""
    by_id = {f.id: f for f in brief.facts()}
    found = [by_id[i] for i in ids if i in by_id][:limit]
    return "; ".join(_reason(f) for f in found)


def _key(fact: Fact) -> str:
    """The front matter that corrects this fact, as the user would type it."""
    if isinstance(fact, Actor):
        if fact.role == "end_user":
            return f"{users_key(fact.count_kind)}: N"
        if fact.role == "team":
            return "team: N"
        return ""
    if isinstance(fact, Workload):
        return "writes_per_second: N" if fact.op == "write" else "reads_per_second: N"
    if isinstance(fact, DataItem):
        return "storage_gb_total: N"
    if isinstance(fact, Term):
        return "entities: [...]"
    if isinstance(fact, Need):
        return f"needs: {{{fact.name}: {'false' if fact.value else 'true'}}}"
    if isinstance(fact, Setting):
        key = setting_key(fact.name)
        return f"{key}: ..." if key else ""  # a derived figure such as the read share has no key of its own
    return ""


def rows(brief: Brief) -> list[Row]:
    out = []
    for attr, section in SECTIONS:
        for fact in getattr(brief, attr):
            how = fact.formula if fact.status == "derived" else fact.why if fact.status == "assumed" else ""
            out.append(Row(section, _label(fact), fact_value(fact), STATUS_WORDS[fact.status],
                           "" if fact.status == "set" else fact.evidence, how, _key(fact)))
    return out


def headline(brief: Brief) -> str:
    """One line: how many facts, how many assumed, how many numbers not used."""
    facts = brief.facts()
    assumed = sum(1 for f in facts if f.status == "assumed")
    set_ = sum(1 for f in facts if f.status == "set")
    parts = [f"{len(facts)} facts", f"{assumed} assumed"]
    if set_:
        parts.append(f"{set_} set by you")
    if brief.unused:
        parts.append(f"{len(brief.unused)} number{'s' if len(brief.unused) != 1 else ''} not used")
    return ", ".join(parts)


def to_text(brief: Brief) -> str:
    """The Brief for a terminal: grouped facts, then the numbers left unused."""
    lines = [f"Brief: {headline(brief)}"]
    section = None
    for r in rows(brief):
        if r.section != section:
            section = r.section
            lines.append(f"\n{section}")
        mark = "" if r.status == "stated" else f" [{r.status}]"
        lines.append(f"  {r.fact}: {r.value}{mark}")
        if r.how:
            lines.append(f"      {r.how}")
        if r.evidence:
            lines.append(f"      \u201c{r.evidence[:160]}\u201d")
        if r.status == "assumed" and r.key:
            lines.append(f"      correct with front matter: {r.key}")
    if brief.unused:
        lines.append("\nNumbers not used")
        lines += [f"  {u.text}: {u.why}" for u in brief.unused]
    return printable("\n".join(lines))


def to_markdown(brief: Brief) -> str:
    """The Brief as a Markdown table, every cell escaped."""
    out = ["| Fact | Value | Status | Evidence |", "|---|---|---|---|"]
    for r in rows(brief):
        status = md_cell(r.status + (f": {r.how}" if r.how else ""))
        if r.status == "assumed" and r.key:  # the key is the kit's own front-matter name: a code span
            status += f" (front matter `{r.key}`)"
        cells = (md_cell(f"{r.section}: {r.fact}"), md_cell(r.value), status, md_cell(r.evidence))
        out.append("| " + " | ".join(cells) + " |")
    if brief.unused:
        out += ["", "Numbers not used: " + "; ".join(md_cell(f"{u.text} ({u.why})") for u in brief.unused)]
    return "\n".join(out)


def to_html(brief: Brief) -> str:
    """The Brief as an HTML table for the notebook card; assumed facts are marked."""
    e = esc
    body = []
    for r in rows(brief):
        hint = f'<br><code>{e(r.key)}</code>' if r.status == "assumed" and r.key else ""
        how = f'<br><small>{e(r.how)}</small>' if r.how else ""
        cls = f' class="dwarf-{e(r.status.split()[0])}"'
        body.append(f"<tr{cls}><td>{e(r.section)}</td><td>{e(r.fact)}</td><td>{e(r.value)}</td>"
                    f"<td>{e(r.status)}{how}{hint}</td><td>{e(r.evidence)}</td></tr>")
    unused = ""
    if brief.unused:
        unused = "<p>Numbers not used: " + "; ".join(f"{e(u.text)} ({e(u.why)})" for u in brief.unused) + "</p>"
    return ('<table class="dwarf-brief"><thead><tr><th>Section</th><th>Fact</th><th>Value</th><th>Status</th>'
            "<th>Evidence</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>" + unused)
