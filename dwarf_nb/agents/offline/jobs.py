"""Background work of a plan: a job per consumed topic, per schedule of the Brief and per
timed job of a pattern, each with retries and a dead-letter destination, and work for any
worker left idle."""

from __future__ import annotations

import re

from .blueprint import Plan, PlannedService
from .knowledge import phrase_pattern
from .profile import Profile
from .reader.lexicon import words
from .wiring import _edge


def _slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    s = s[:limit].strip("-")
    return s if s and s[0].isalpha() else f"job-{s}" if s else "job"


def plan_jobs(p: Plan, profile: Profile) -> None:
    """Jobs for consumed topics and scheduled work, and the scheduler's edges to their runners."""
    for s in p.services:
        for t in s.consumes:
            name = _slug(f"{s.name}-{t.split('.')[-1]}")
            if not any(j["name"] == name for j in p.jobs):
                p.jobs.append({"name": name, "trigger": t, "service": s.name, "retries": 5,
                               "dead_letter": f"{t}.dlq", "description": _handles(s, t)})
    scheduler = next((s for s in p.services if s.kind == "scheduler"), None)
    if scheduler is None:
        return
    runners: list[str] = _pattern_jobs(p)
    for schedule in (c for c in profile.brief.constraints if c.name == "schedule"):
        sentence = schedule.evidence
        runner, subject = _runner(p, sentence)
        name = _slug("-".join([_when(str(schedule.value))] + (_subject_words(sentence) or [subject])), 48)
        if not any(j["name"] == name for j in p.jobs):
            p.jobs.append({"name": name, "trigger": f"cron: {schedule.value}", "service": runner, "retries": 3,
                           "dead_letter": f"jobs.{name}.dlq", "description": sentence, "because": [schedule.id]})
            if runner not in runners:
                runners.append(runner)
    broker = next((c["name"] for c in p.components if c["kind"] == "message_broker"), None)
    for runner in runners or [next(s.name for s in p.services if s.kind != "scheduler")]:
        kind = next(s.kind for s in p.services if s.name == runner)
        if broker:
            _edge(p, scheduler.name, broker, "amqp", "async", label="scheduled triggers")
            _edge(p, broker, runner, "amqp", "async", label="scheduled triggers")
        else:
            _edge(p, scheduler.name, runner, "http", "async" if kind == "worker" else "sync", label="scheduled triggers")


def _pattern_jobs(p: Plan) -> list[str]:
    """The timed jobs pattern contexts declare ("name | cron | what it does"), run by the
    service that holds the context (the worker in a monolith); returns their runners."""
    runners: list[str] = []
    workers = [s for s in p.services if s.kind == "worker"]
    for s in p.services:
        for c in s.contexts:
            for line in c.spec.get("jobs", []):
                name, cron, what = (part.strip() for part in line.split("|", 2))
                runner = workers[0] if p.style == "modular_monolith" and workers else s
                if not any(j["name"] == name for j in p.jobs):
                    p.jobs.append({"name": name, "trigger": f"cron: {cron}", "service": runner.name, "retries": 3,
                                   "dead_letter": f"jobs.{name}.dlq", "description": what, "because": list(c.because)})
                    if runner.name not in runners:
                        runners.append(runner.name)
    return runners


def give_idle_workers_work(p: Plan) -> None:
    """A worker that neither consumes a topic nor runs a job joins a busy worker, or takes
    its work from a queue (the broker's, or a jobs table) with retries and a dead letter."""
    runners = {j["service"] for j in p.jobs}
    workers = [s for s in p.services if s.kind == "worker"]
    busy = [w for w in workers if w.consumes or w.name in runners]
    for idle in [w for w in workers if w not in busy]:
        if busy:
            heir = busy[0]
            heir.contexts.extend(idle.contexts)
            heir.responsibility = heir.responsibility.rstrip(".") + f"; also {', '.join(c.name for c in idle.contexts) or 'background tasks'}."
            p.services.remove(idle)
            moved = []
            for e in p.edges:
                if idle.name in (e["source"], e["target"]):
                    e = dict(e, source=heir.name if e["source"] == idle.name else e["source"],
                             target=heir.name if e["target"] == idle.name else e["target"])
                    moved.append(e)
            p.edges = [e for e in p.edges if idle.name not in (e["source"], e["target"])]
            for e in moved:
                _edge(p, e["source"], e["target"], e["protocol"], e["mode"], e["label"])
            heir.stores.extend(st for st in idle.stores if st not in heir.stores)
            continue
        broker = next((c["name"] for c in p.components if c["kind"] == "message_broker"), None)
        if broker:
            publisher = next((s for s in p.services if s.kind == "api"), None)
            if publisher is None:
                continue
            topic = f"{publisher.name}.tasks"
            publisher.publishes.append(topic)
            idle.consumes.append(topic)
            _edge(p, publisher.name, broker, "amqp", "async", label=topic)
            _edge(p, broker, idle.name, "amqp", "async", label=topic)
            trigger, dead = topic, f"{topic}.dlq"
        else:
            trigger, dead = "queue: jobs table", "jobs table: failed rows"
        p.jobs.append({"name": _slug(f"{idle.name}-tasks"), "trigger": trigger, "service": idle.name, "retries": 5,
                       "dead_letter": dead, "description": _handles(idle, "a queued task")})


_FILLER = frozenset("the and for are get with goes that its their our from into per each all".split())


_DAYS = {"0": "sunday", "1": "monday", "2": "tuesday", "3": "wednesday", "4": "thursday", "5": "friday", "6": "saturday"}


def _when(cron: str) -> str:
    """A word for how often a cron expression runs ('nightly', 'monday', 'frequent')."""
    minute, hour, dom, _month, dow = cron.split()
    if minute == "*" or minute.startswith("*/"):
        return "frequent"
    if hour == "*":
        return "hourly"
    if dow in _DAYS:
        return _DAYS[dow]
    if dow == "1-5":
        return "weekday"
    if dom != "*":
        return "monthly"
    return "nightly" if hour.isdigit() and int(hour) < 5 else "daily"


def _subject_words(sentence: str) -> list[str]:
    """The first words of a sentence that say what the work is, without time words and filler."""
    skip = _FILLER | words("schedule_words")
    found = [w for w in re.findall(r"[a-z]+", sentence.lower()) if len(w) > 2 and w not in skip]
    return found[:3]


def _runner(p: Plan, sentence: str) -> tuple[str, str]:
    """The service that does the scheduled work a sentence describes, and a word naming it."""
    low = sentence.lower()
    best = None
    for s in p.services:
        if s.kind == "scheduler":
            continue
        for c in s.contexts:
            if phrase_pattern(c.spec["keywords"]).search(low):
                rank = (0 if s.kind == "worker" else 1, p.services.index(s))
                if best is None or rank < best[0]:
                    best = (rank, s.name, c.name)
    workers = [s.name for s in p.services if s.kind == "worker"]
    if best and p.style == "modular_monolith" and workers and best[1] not in workers:
        # In a monolith the worker process runs scheduled work, off the request path.
        return workers[0], best[2].replace("_", "-")
    if best:
        return best[1], best[2].replace("_", "-")
    fallback = next((s.name for s in p.services if s.kind == "worker"), next(s.name for s in p.services if s.kind == "api"))
    return fallback, "run"


def _handles(service: PlannedService, topic: str) -> str:
    """What a consumer does with an event, from its contexts' `does` lines."""
    doing = [c.spec["does"] for c in service.contexts if c.spec.get("does") and topic in c.spec.get("consumes", [topic])]
    return f"On {topic}: " + ("; ".join(doing) if doing else "update this service's own view of the data") + "."
