"""Back-of-the-envelope capacity: reads, writes, peak, storage and bandwidth from the load a text describes.

Conventions: 1 month = 2.5 million seconds, 1 day = 86,400 s; decimal units (1 GB = 1e9
bytes), raw sizes before replication. Peak is 3x the average unless the text states its
own pattern (a spike factor, a busy window, a burst, or a figure said to be the peak),
which is then used without an extra 3x. Every default taken is written down in
`assumptions`, so the estimate can be argued with.

    estimate(text, design or load) -> Capacity
    breakdown(text, design or load) -> Figures   (the same estimate with peak reads/writes, ingest, concurrency)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from ..knowledge import load as knowledge
from ..agents.offline.numbers import Load, read_load
from ..agents.offline.quantities import DAY, MONTH, YEAR
from ..design import Capacity, Design


@dataclass
class Figures:
    """The estimate with every intermediate figure (rates per second, sizes in GB)."""

    users: Optional[float] = None
    reads: float = 0.0
    writes: float = 0.0
    peak_reads: float = 0.0
    peak_writes: float = 0.0
    peak_rps: float = 0.0
    notifications: float = 0.0
    concurrent: Optional[float] = None
    ingest_mb_s: float = 0.0
    egress_mbps: float = 0.0
    storage_gb_month: float = 0.0
    storage_gb_total: float = 0.0
    horizon_years: float = 1.0
    growth_per_year: Optional[float] = None
    assumptions: list[str] = field(default_factory=list)

    @property
    def avg_rps(self) -> float:
        return self.reads + self.writes

    def capacity(self) -> Capacity:
        avg = self.avg_rps
        return Capacity(
            users=self.users,
            reads_per_second=_round(self.reads),
            writes_per_second=_round(self.writes),
            peak_rps=_round(self.peak_rps),
            peak_factor=_round(self.peak_rps / avg) if avg else 1.0,
            storage_gb_per_month=_round(self.storage_gb_month),
            storage_gb_total=_round(self.storage_gb_total),
            horizon_years=_round(self.horizon_years),
            bandwidth_mbps=_round(self.egress_mbps + self.ingest_mb_s * 8),
            assumptions=list(self.assumptions),
        )


def _round(x: float) -> float:
    """Three significant figures: an estimate should not look more precise than it is."""
    if x == 0 or x != x:
        return 0.0
    return float(f"{x:.3g}")


def _fmt(x: float) -> str:
    for size, suffix in ((1e9, " billion"), (1e6, " million"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}"


def estimate(source: Union[str, Load, Design]) -> Capacity:
    """The capacity a requirements text implies (or a design's text, or an already read `Load`)."""
    return breakdown(source).capacity()


def breakdown(source: Union[str, Load, Design]) -> Figures:
    """Every figure of the estimate, with the assumptions behind it."""
    if isinstance(source, Design):
        source = source.requirements
    ld = read_load(source) if isinstance(source, str) else source
    d = knowledge("capacity")
    out = Figures(users=ld.users)
    say = out.assumptions.append
    say("1 month is taken as 2.5 million seconds and 1 day as 86,400 seconds; sizes are decimal, raw, before replication.")

    factor = ld.spike_factor or d["peak_factor"]
    if ld.spike_factor:
        say(f"Peak is {ld.spike_factor:g}x the average, as stated: \"{ld.spike_evidence}\"")
    share = ld.read_share if ld.read_share is not None else d["read_share"]

    def stated_avg_peak(f) -> tuple[float, float]:
        if f.peak_rule == "stated":
            return f.peak / factor, f.peak
        if f.peak_rule in ("window", "given"):
            return f.avg, f.peak
        return f.avg, f.avg * factor

    per_visit = 1.0
    if any(f.noun in d["visit_nouns"] for f in ld.flows) and not any(f.noun in d["request_nouns"] for f in ld.flows):
        per_visit = d["requests_per_visit"]
        say(f"Each visit or session is assumed to be about {per_visit:g} requests (the text counts visits, not requests).")

    def avg_peak(f) -> tuple[float, float]:
        avg, peak = stated_avg_peak(f)
        return (avg * per_visit, peak * per_visit) if f.noun in d["visit_nouns"] and f.cls != "write" else (avg, peak)

    reads = [avg_peak(f) for f in ld.flows if f.cls == "read"]
    writes = [avg_peak(f) for f in ld.flows if f.cls == "write"]
    mixed = [avg_peak(f) for f in ld.flows if f.cls == "mixed"]
    notify = [avg_peak(f) for f in ld.flows if f.cls == "notify"]
    if notify and not (reads or writes or mixed):
        # Notifications are the only traffic stated: each one is a request the system accepts and stores.
        writes = notify
        say("The notifications to send are the system's incoming traffic: each is taken as a write.")
    r_avg, r_peak = sum(a for a, _ in reads), sum(p for _, p in reads)
    w_avg, w_peak = sum(a for a, _ in writes), sum(p for _, p in writes)
    if mixed:
        m_avg, m_peak = sum(a for a, _ in mixed), sum(p for _, p in mixed)
        if ld.read_share is None:
            say(f"{share:.0%} of requests are taken to be reads (the text gives no read/write split).")
        # Specific read or write streams are usually part of the stated request total.
        r_avg, r_peak = max(r_avg, m_avg * share), max(r_peak, m_peak * share)
        w_avg, w_peak = max(w_avg, m_avg * (1 - share)), max(w_peak, m_peak * (1 - share))
    elif ld.read_share is not None and (r_avg or w_avg) and not (r_avg and w_avg):
        # One side and the split are stated: the other side follows.
        if r_avg:
            w_avg, w_peak = r_avg * (1 - share) / share, r_peak * (1 - share) / share
        else:
            r_avg, r_peak = w_avg * share / (1 - share), w_peak * share / (1 - share)

    daily_users = None
    if ld.users:
        kind = ld.users_kind or "plain"
        daily_users = ld.users * (1.0 if kind == "daily_active" else d["daily_share"][kind])
        if kind != "daily_active" and not (r_avg or w_avg):
            say(f"Daily active users are taken as {d['daily_share'][kind]:.0%} of the {_fmt(ld.users)} {kind.replace('_', ' ')} users.")
    if not (r_avg or w_avg or ld.burst_peak) and daily_users is None and ld.concurrent:
        per_minute = d["requests_per_concurrent_user_per_minute"]
        total = ld.concurrent * per_minute / 60
        say(f"Each of the {_fmt(ld.concurrent)} concurrent users is assumed to make {per_minute:g} requests a minute at peak.")
        r_peak, w_peak = total * share, total * (1 - share)
        r_avg, w_avg = r_peak / factor, w_peak / factor
    if not (r_avg or w_avg or ld.burst_peak):
        if daily_users is None:
            daily_users = d["default_users"]
            say(f"The text states no scale: a small system of about {_fmt(daily_users)} daily users is assumed.")
        per_day = daily_users * d["requests_per_daily_user"] / DAY
        say(f"Each daily user is assumed to make {d['requests_per_daily_user']} requests a day ({share:.0%} reads).")
        r_avg, w_avg = per_day * share, per_day * (1 - share)
        r_peak, w_peak = r_avg * factor, w_avg * factor
    elif not (r_avg or mixed) and daily_users and not ld.burst_peak:
        r_avg = daily_users * d["requests_per_daily_user"] * share / DAY
        r_peak = r_avg * factor
        say(f"Reads are not stated: each of {_fmt(daily_users)} daily users is assumed to make "
            f"{d['requests_per_daily_user'] * share:g} read requests a day.")

    if ld.burst_peak:
        burst_w = ld.burst_peak * (ld.burst_write_share if ld.burst_write_share is not None else 1 - share)
        say(f"Peak is the stated burst, about {_fmt(ld.burst_peak)} requests/s: \"{ld.burst_evidence}\"")
        if ld.burst_per_person:
            say(f"Each person in that crowd is assumed to make about {ld.burst_per_person:g} requests (one visit).")
        if not (r_avg or w_avg):
            r_avg, w_avg = ld.burst_peak * share / factor, ld.burst_peak * (1 - share) / factor
            say("Outside the burst the average is assumed to be a third of it.")
        r_peak, w_peak = max(r_peak, ld.burst_peak - burst_w), max(w_peak, burst_w)
    elif not ld.spike_factor:
        rules = {f.peak_rule for f in ld.flows if f.cls in ("read", "write", "mixed")}
        if "window" in rules:
            say("Peak follows the busy windows the text states (no extra 3x).")
        if "given" in rules:
            say("Where the text gives both an average and a peak, both are used as stated.")
        if "stated" in rules:
            say(f"Figures stated as peaks are used as peaks; their average is taken as 1/{factor:g} of the peak.")
        if rules - {"window", "stated", "given"} or not rules:
            say(f"Peak is taken as {factor:g}x the average (no peak pattern stated).")

    out.reads, out.writes, out.peak_reads, out.peak_writes = r_avg, w_avg, r_peak, w_peak
    out.peak_rps = r_peak + w_peak
    out.notifications = sum(a for a, _ in notify)

    # -- storage ------------------------------------------------------------------------
    horizon_years = d["horizon_years"]
    if ld.retention_s is not None:
        horizon_years = d["forever_years"] if ld.retention_s == float("inf") else ld.retention_s / YEAR
        horizon_years = min(horizon_years, d["max_horizon_years"])
        if ld.retention_s == float("inf"):
            say(f"Data kept forever is sized over a {horizon_years:g}-year horizon.")
    else:
        say(f"No retention is stated: storage is sized over {horizon_years:g} year.")
    out.horizon_years = horizon_years
    horizon_months = horizon_years * 12
    month_bytes, total_bytes, unsized = 0.0, 0.0, []
    write_flows = [f for f in ld.flows if f.cls == "write"]
    for f in write_flows:
        avg, _ = avg_peak(f)
        size = f.size or d["record_bytes"]
        if not f.size:
            unsized.append(f.noun)
        monthly = avg * MONTH * size
        months = horizon_months if f.retention_s is None else min(horizon_months, f.retention_s / MONTH)
        month_bytes += monthly
        total_bytes += monthly * months
    if not write_flows and w_avg:
        monthly = w_avg * MONTH * d["record_bytes"]
        month_bytes += monthly
        total_bytes += monthly * horizon_months
        unsized.append("write")
    if unsized:
        say(f"Records without a stated size ({', '.join(sorted(set(unsized)))}) are taken as {d['record_bytes']} bytes each.")
    if ld.static_bytes:
        total_bytes += ld.static_bytes
        say(f"Existing content of about {ld.static_bytes / 1e9:.3g} GB is included in the total: \"{ld.static_evidence[0]}\"")
    if ld.per_user_bytes and ld.users:
        later = ld.users_later or ld.users
        total_bytes += later * ld.per_user_bytes
        month_bytes += max(later - ld.users, 0) * ld.per_user_bytes / horizon_months
        say(f"Per-user data of {ld.per_user_bytes / 1e6:g} MB is sized for {_fmt(later)} users at the horizon.")
    out.storage_gb_month = month_bytes / 1e9
    out.storage_gb_total = total_bytes / 1e9

    # -- bandwidth ------------------------------------------------------------------------
    out.concurrent = ld.concurrent
    ingest = sum(avg_peak(f)[0] * (f.size or d["record_bytes"]) for f in write_flows)
    out.ingest_mb_s = ingest / 1e6
    egress_mbps = out.reads * d["response_bytes"] * 8 / 1e6
    if ld.bitrate_mbps and ld.concurrent:
        egress_mbps += ld.concurrent * ld.bitrate_mbps
        say(f"Streaming egress: about {_fmt(ld.concurrent)} concurrent viewers at {ld.bitrate_mbps:g} Mbps.")
    say(f"Read responses are taken as {d['response_bytes'] // 1000} KB each for bandwidth.")
    out.egress_mbps = egress_mbps

    if ld.growth:
        out.growth_per_year = ld.growth
        say(f"Load grows about {ld.growth:g}x a year (\"{ld.growth_evidence}\"): in a year about "
            f"{_fmt(out.writes * ld.growth)} writes/s and {_fmt(out.peak_rps * ld.growth)} requests/s at peak.")
    if ld.users_later and ld.users:
        grow = ld.users_later / ld.users
        say(f"Users grow from {_fmt(ld.users)} to {_fmt(ld.users_later)}: peak becomes about {_fmt(out.peak_rps * grow)} requests/s.")
    say(f"Plan for {d['replication']}x replication and {d['headroom']:.0%} headroom on top of these raw figures.")
    return out
