"""Back-of-the-envelope capacity from a Brief: reads, writes, peaks, storage and bandwidth.

A pure function of the facts the reader found (or the user set): averages and peaks are
the sums over the Brief's workloads, requests that may be reads or writes are split with
the read share, storage is the sum of its data items, and totals set by you replace
what was computed. Conventions: 1 month = 2.5 million seconds, 1 day = 86,400 s,
decimal units, raw sizes before replication; the assumptions are the Brief's assumed
facts, so the estimate can be argued with fact by fact.

    estimate(brief, design or requirements text) -> Capacity
"""

from __future__ import annotations

from typing import Union

from ..brief import Brief
from ..design import Capacity, Design
from ..knowledge import load as knowledge
from ..views.numbers import sig


def _split(brief: Brief) -> float:
    s = brief.setting("read_share")
    if s is not None and isinstance(s.value, (int, float)):
        return float(s.value)
    return float(knowledge("capacity")["read_share"])


def estimate(source: Union[Brief, Design, str]) -> Capacity:
    """The capacity the Brief implies (a design's own Brief when given a Design; a text is read first)."""
    if isinstance(source, str):
        from ..agents.offline.reader import read_brief

        source = read_brief(source)
    brief = source.brief if isinstance(source, Design) else source
    d = knowledge("capacity")
    share = _split(brief)
    reads = peak_reads = writes = peak_writes = 0.0
    for w in brief.workloads:
        if w.op == "read":
            reads, peak_reads = reads + w.avg_per_s, peak_reads + w.peak_per_s
        elif w.op == "write":
            writes, peak_writes = writes + w.avg_per_s, peak_writes + w.peak_per_s
    mixed = [w for w in brief.workloads if w.op == "mixed"]
    if mixed:
        m_avg = sum(w.avg_per_s for w in mixed)
        m_peak = sum(w.peak_per_s for w in mixed)
        # Read and write streams named apart are usually part of a stated request total.
        reads, peak_reads = max(reads, m_avg * share), max(peak_reads, m_peak * share)
        writes, peak_writes = max(writes, m_avg * (1 - share)), max(peak_writes, m_peak * (1 - share))
    totals = {t.name: float(t.value) for t in brief.totals if isinstance(t.value, (int, float))}
    if "reads_per_second" in totals:
        ratio = peak_reads / reads if reads else d["peak_factor"]
        reads, peak_reads = totals["reads_per_second"], totals["reads_per_second"] * ratio
    if "writes_per_second" in totals:
        ratio = peak_writes / writes if writes else d["peak_factor"]
        writes, peak_writes = totals["writes_per_second"], totals["writes_per_second"] * ratio
    peak = peak_reads + peak_writes
    if "peak_rps" in totals:
        peak = totals["peak_rps"]
    month = sum(i.gb_per_month for i in brief.data)
    total = sum(i.gb_total for i in brief.data)
    month = totals.get("storage_gb_per_month", month)
    total = totals.get("storage_gb_total", total)
    horizon = brief.value("retention_years", d["horizon_years"])
    users = max((a.count for a in brief.actors if a.role == "end_user" and a.count), default=None)
    ingest_mb_s = sum((w.avg_per_s * (w.size_bytes or d["record_bytes"])) for w in brief.workloads if w.op == "write") / 1e6
    # Data stated as a byte rate ("2 TB of logs a day") arrives without a workload of its own.
    ingest_mb_s += sum(i.gb_per_month * 1e9 / 2.5e6 for i in brief.data if i.per_month is None and i.size_bytes is None) / 1e6
    egress = reads * d["response_bytes"] * 8 / 1e6
    avg = reads + writes
    assumptions = ["1 month is taken as 2.5 million seconds and 1 day as 86,400 seconds; sizes are decimal, raw, before replication."]
    assumptions += [f.why[:1].upper() + f.why[1:] + "." for f in brief.facts() if f.status == "assumed" and f.why]
    if any(w.peak_rule == "default" for w in brief.workloads):
        assumptions.append(f"Peak is taken as {d['peak_factor']:g}x the average where the text states no peak.")
    assumptions.append(f"Plan for {d['replication']}x replication and {d['headroom']:.0%} headroom on top of these raw figures.")
    return Capacity(
        users=users,
        reads_per_second=sig(reads),
        writes_per_second=sig(writes),
        peak_reads_per_second=sig(peak_reads),
        peak_writes_per_second=sig(peak_writes),
        peak_rps=sig(peak),
        peak_factor=sig(peak / avg) if avg else 1.0,
        storage_gb_per_month=sig(month),
        storage_gb_total=sig(total),
        horizon_years=sig(float(horizon)),
        bandwidth_mbps=sig(egress + ingest_mb_s * 8),
        ingest_mb_per_second=sig(ingest_mb_s),
        assumptions=list(dict.fromkeys(assumptions)),
    )
