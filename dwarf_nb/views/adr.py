"""Architecture decision records: one MADR file per decision of a design.

Each record has MADR's parts (status, context and problem statement, decision drivers,
considered options, decision outcome with its consequences, pros and cons of the options),
filled from the Decision; the weighted option table and its sensitivity come from
`analysis.tradeoffs`, so the record and the notebook never disagree on a ranking.
"""

from __future__ import annotations

import math
from ..design import Decision, Design
from ..errors import DwarfError
from .artifacts import file_slug, templates
from .escape import markdown_cell


def filename(index: int, decision: Decision) -> str:
    """adr/0001-primary-datastore.md: numbered from 1, the title made file-safe."""
    return f"adr/{index:04d}-{file_slug(decision.title, 'decision')}.md"


def _number(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:g}"


def decision_markdown(decision: Decision) -> str:
    """The options × criteria table (scores, weighted total, rank), best option first."""
    if not decision.options:
        return ""
    from ..analysis.tradeoffs import decision_table, effective_weights

    frame = decision_table(decision)
    criteria = [c for c in frame.columns if c not in ("weighted_total", "rank")]
    weights = effective_weights(decision)  # the weights the totals used: unlisted criteria weigh 0
    head = ["Option", *(f"{markdown_cell(c)} (×{_number(weights[c])})" for c in criteria), "Weighted total", "Rank"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for option, row in frame.iterrows():
        name = markdown_cell(option)
        if option == decision.chosen:
            name = f"**{name}** (chosen)"
        cells = [name, *(_number(row[c]) for c in criteria), _number(round(row["weighted_total"], 3)), str(int(row["rank"]))]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def sensitivity_line(decision: Decision) -> str:
    """How firmly the ranking holds, in one sentence (empty when there is nothing to compare)."""
    if not decision.options:
        return ""
    from ..analysis.tradeoffs import sensitivity

    try:
        return sensitivity(decision).line
    except DwarfError as err:  # a decision the analysis cannot weigh still gets its record
        return str(err)


def record(design: Design, index: int, decision: Decision) -> str:
    """The MADR text of one decision."""
    return templates(markdown=True).get_template("adr.md.j2").render(
        design=design,
        number=index,
        d=decision,
        table=decision_markdown(decision),
        sensitivity=sensitivity_line(decision),
        chosen_known=any(o.name == decision.chosen for o in decision.options),
    )


def records(design: Design) -> dict[str, str]:
    """{relative file name: MADR text}, one per decision, numbered in design order."""
    out: dict[str, str] = {}
    for index, decision in enumerate(design.decisions, start=1):
        out[filename(index, decision)] = record(design, index, decision)
    return out
