"""The Anthropic backend: the Dwarf persona designs (and refines) through the Messages API.

How the answer is made structured. The model is forced to call one tool, `submit_design`,
whose `input_schema` is the Design JSON schema (`tool_choice={"type": "tool", ...}`), and
the streamed tool input is validated by the pydantic model. Structured outputs
(`output_config.format`, `messages.parse(output_format=Design)`) were the alternative; they
were not used because their strict schemas close every object (`additionalProperties:
false`) while a Design holds open maps (option scores, decision weights) and a free-form
`Trait.value` - the SDK's own `transform_schema(Design)` rejects it - and because the
cross-references a Design must satisfy (edge ends, entity owners) are beyond any JSON
schema anyway. A failed validation gets ONE repair round: the errors go back as an error
`tool_result`; a second failure is an AgentError naming the first problem. Model output is
only ever parsed as JSON and validated, never executed.

Offline analyses. The offline designer's traits and capacity estimate are given to the
model as context (it may correct them); if the model leaves the capacity or traits empty,
the offline ones are filled in. The result has `backend="anthropic"` and the user's text as
`requirements`.

Cost and speed. The persona is a system block with `cache_control` (prompt caching, which
also covers the tool schema before it); each call ends with a usage line (`last_usage`). A
validated answer is kept in the store's response cache under sha256(model, agent file,
prompt, schema version), so asking again costs nothing; `use_cache=False` asks anyway.
With no `store`, the default one (`.dwarf/designs.db`) is used for the cache and for
failures.

Faults. No key is an InputError before any request. HTTP errors are retried by the SDK
(`max_retries`, honouring retry-after) and then explained in one line (faults.py); a stream
that breaks after it started is retried here, at most `max_retries` times. Timeouts and
answers cut off at `max_tokens` say what to change. Every failed call records the text and
any partial answer in the store. With `fallback="offline"`, an unreachable or overloaded
API yields an offline design that says so. The key never appears in a message or the store.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable, Optional, Sequence

import anthropic
import httpx2
from pydantic import Field, ValidationError

from ..design import (
    SCHEMA_VERSION,
    Capacity,
    Component,
    Decision,
    Design,
    Edge,
    Entity,
    Service,
    Style,
    validation_problems,
)
from ..analysis.capacity import estimate
from ..brief import Brief
from ..errors import AgentError, InputError
from ..store import Store
from . import Progress, check_design, check_name, check_text, get_agent
from .agentfile import load_agent_file
from .faults import KEY_ENV, MODEL_ENV, StreamCut, Unavailable, explain, no_retry_when_spent, scrub
from .usage import Estimate, Usage, resolve_model

TOOL_NAME = "submit_design"
# Fields dwarf_nb fills in itself; the model is not asked for them.
_SERVER_FIELDS = ("requirements", "backend", "schema_version")
# The automatic second try after a cut-off answer asks for at most this many output tokens.
_TOKEN_CEILING = 64_000
_CONNECT_S = 10.0
_FALLBACKS = (None, "offline")
# While a design streams in, a progress line is shown when its counts change, else once a second.
_PROGRESS_EVERY_S = 1.0
_CHARS_PER_TOKEN = 4  # rough, for the "so far" line only; the usage line has the real count
_BROKEN_STREAM_BACKOFF_S = 0.5


# A fact's id starts with the Brief group it belongs to ("constraint.team", "need.payments").
_GROUP_OF = {"actor": "actors", "workload": "workloads", "data": "data", "domain": "domain", "need": "needs",
             "constraint": "constraints", "total": "totals"}


class _Answer(Design):
    """What the model must fill in: a Design whose core parts may not be left out."""

    name: str
    summary: str
    style: Style
    services: list[Service] = Field(min_length=1)
    components: list[Component]
    edges: list[Edge]
    entities: list[Entity]
    decisions: list[Decision]
    assumptions: list[str]


@cache
def design_tool() -> dict:
    """The one tool the model must call: its input is a Design."""
    schema = _Answer.model_json_schema()
    schema["title"] = "Design"
    for name in _SERVER_FIELDS:
        schema["properties"].pop(name, None)
    return {
        "name": TOOL_NAME,
        "description": (
            "Submit the complete backend design. Names are lowercase slugs; every edge source and target "
            "is a service or component of the design (or 'clients'); component kinds come from the schema's list."
        ),
        "input_schema": schema,
        # Fine-grained tool streaming: the input arrives as the model writes it, not one whole
        # key at a time, so a long services or decisions array never leaves the stream silent.
        "eager_input_streaming": True,
    }


class _NotADesign(Exception):
    """The model's answer could not even be read as a design object."""


@dataclass
class _Reply:
    """One streamed answer: what came back, enough to validate it or ask for a repair."""

    text: str = ""
    tool_id: Optional[str] = None
    tool_input: Any = None  # the SDK's parse of the tool input
    raw: str = ""  # the tool input exactly as streamed
    json_error: Optional[str] = None
    stop_reason: Optional[str] = None
    usage: Usage = field(default_factory=lambda: Usage(""))

    def data(self) -> dict:
        if self.tool_id is None:
            raise _NotADesign(f"the answer did not call the {TOOL_NAME} tool")
        if self.json_error is not None:
            raise _NotADesign(f"the tool input is not valid JSON ({self.json_error})")
        try:
            value = json.loads(self.raw) if self.raw else self.tool_input
        except json.JSONDecodeError as err:
            raise _NotADesign(f"the tool input is not valid JSON ({err.msg} at character {err.pos})") from None
        if not isinstance(value, dict):
            raise _NotADesign("the tool input is not a JSON object")
        return dict(value)  # filled in by _finish; the original goes back unchanged in a repair turn

    def repair_turns(self, problems: list[str]) -> list[dict]:
        """The assistant turn as it was, and a user turn listing what to fix."""
        report = (
            "The design you submitted is not valid:\n"
            + "\n".join(f"- {p}" for p in problems)
            + f"\nCall {TOOL_NAME} again with the complete, corrected design."
        )
        if self.tool_id is None:
            said = self.text.strip() or "(no design)"
            return [
                {"role": "assistant", "content": [{"type": "text", "text": said}]},
                {"role": "user", "content": report},
            ]
        sent = self.tool_input if isinstance(self.tool_input, dict) and self.json_error is None else {}
        return [
            {"role": "assistant", "content": [{"type": "tool_use", "id": self.tool_id, "name": TOOL_NAME, "input": sent}]},
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": self.tool_id, "is_error": True, "content": report}],
            },
        ]


class _BrokenStream(Exception):
    """The stream started, then broke off (error event or dropped connection)."""

    def __init__(self, cause: BaseException, reply: _Reply):
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.reply = reply


def _problems(err: Exception) -> list[str]:
    """'where: what' for each validation problem, as told to the model and the user."""
    return validation_problems(err) if isinstance(err, ValidationError) else [str(err)]


def _design_prompt(text: str, name: Optional[str], offline: Design) -> str:
    notes = {
        "brief": offline.brief.model_dump(mode="json", exclude_defaults=True),
        "capacity": offline.capacity.model_dump(mode="json"),
        # The workload patterns the offline rules found, each part with the facts behind it.
        "patterns": [{"part": x.name, "kind": getattr(x, "kind", "job"), "because": x.because}
                     for x in [*offline.services, *offline.components, *offline.jobs] if x.because],
    }
    naming = f'Name the design "{name}".' if name else "Give the design a short slug name."
    return (
        "Design the backend for the requirements below.\n\n"
        f"<requirements>\n{text}\n</requirements>\n\n"
        "An offline reader turned them into the Brief below: facts with their evidence and a status "
        "(stated, derived with its formula, assumed with why, or set by the user). Return your own corrected "
        "Brief in the design's `brief` field: fix what the reader got wrong, add what it missed, keep every fact "
        "whose status is \"set\" exactly as it is, and size the design from your Brief. `patterns` lists the parts "
        "the offline rules would build and the Brief facts behind each; use them as a checklist, not a template. "
        "Give every service, component, edge and job a `because`: the ids of the Brief facts that call for it."
        f"\n<offline_analysis>\n{json.dumps(notes, ensure_ascii=False)}\n</offline_analysis>\n\n"
        f"{naming} Answer by calling {TOOL_NAME} with the complete design."
    )


def _refine_prompt(current: Design, request: str, history: Sequence[str] = ()) -> str:
    body = current.model_dump(mode="json", exclude=set(_SERVER_FIELDS))
    earlier = "".join(f"<request>\n{h}\n</request>\n" for h in history)
    return (
        "Here is the current design, made for the requirements below.\n\n"
        f"<requirements>\n{current.requirements}\n</requirements>\n\n"
        + (f"These change requests were applied to it before, oldest first; keep what they asked for unless "
           f"the new request undoes it:\n<earlier_requests>\n{earlier}</earlier_requests>\n\n" if history else "")
        + f"<design>\n{json.dumps(body, ensure_ascii=False)}\n</design>\n\n"
        f"Apply this change request:\n<change_request>\n{request}\n</change_request>\n\n"
        f'Keep the name "{current.name}" and everything the request does not touch. '
        f"Answer by calling {TOOL_NAME} with the complete updated design."
    )


def _count(items: Any) -> int:
    return len(items) if isinstance(items, list) else 0


def _finish(data: dict, *, name: Any, requirements: str, estimates: Design) -> Design:
    """The model's design validated, with what dwarf_nb fills in itself; capacity and traits the
    model left empty come from `estimates` (the offline analysis, or the design being refined)."""
    data.update(name=name, requirements=requirements, backend="anthropic", schema_version=SCHEMA_VERSION)
    made = Design.model_validate(_Answer.model_validate(data).model_dump())
    brief = made.brief if made.brief.facts() else estimates.brief
    # What the user set always wins, whatever the model returned in its place.
    for fact in estimates.brief.facts():
        if fact.status == "set":
            brief = _with_fact(brief, fact)
    if made.capacity != Capacity():
        capacity = made.capacity
    else:
        capacity = estimate(brief) if brief is not estimates.brief else estimates.capacity
    return made.model_copy(update={"capacity": capacity, "traits": made.traits or estimates.traits, "brief": brief})


def _with_fact(brief: Brief, fact) -> Brief:
    """`brief` with `fact` in its group (known from the fact's id), replacing a fact of the same id."""
    group = _GROUP_OF.get(fact.id.split(".", 1)[0])
    if group is None:
        return brief
    kept = [f for f in getattr(brief, group) if f.id != fact.id]
    return brief.model_copy(update={group: [*kept, fact]})


class ClaudeAgent:
    """Designs with Claude through the `anthropic` SDK; same two methods as the offline designer."""

    backend = "anthropic"

    def __init__(
        self,
        model: Optional[str] = None,
        agent_file=None,
        use_cache: bool = True,
        store: Optional[Store] = None,
        max_retries: int = 2,
        timeout: float = 120.0,
        fallback: Optional[str] = None,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        max_tokens: int = 16_000,
        **rest: Any,
    ):
        if rest:
            raise InputError(f"unknown option(s) for the anthropic backend: {', '.join(sorted(rest))}")
        if fallback not in _FALLBACKS:
            raise InputError(f"fallback must be 'offline' or None, not {fallback!r}")
        for what, value, low in (("max_retries", max_retries, 0), ("max_tokens", max_tokens, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise InputError(f"{what} must be a whole number of at least {low}, not {value!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < math.inf:
            raise InputError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.agent = load_agent_file(agent_file)
        # An explicit choice, then the environment (as Claude Code reads it), then the agent file.
        self.model = resolve_model(model or os.environ.get(MODEL_ENV, "").strip() or self.agent.model)
        self.use_cache = use_cache
        self.max_retries = max_retries
        self.timeout = float(timeout)
        self.fallback = fallback
        self.max_tokens = max_tokens
        self.base_url = base_url
        self._key = api_key
        self._store = store
        self.last_usage: Optional[Usage] = None

    def __repr__(self) -> str:  # never shows the key
        return f"ClaudeAgent(model={self.model!r}, agent={self.agent.name!r})"

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store()
        return self._store

    # -- the two agent methods --------------------------------------------------------
    def design(self, text: str, name: Optional[str] = None, progress: Progress = None, facts: Any = None) -> Design:
        text = check_text(text)
        name = check_name(name)
        offline = get_agent("offline").design(text, name=name, facts=facts)

        def build(data: dict) -> Design:
            return _finish(data, name=name or data.get("name") or offline.name, requirements=text, estimates=offline)

        return self._ask(_design_prompt(text, name, offline), build, text, progress, lambda: offline)

    def estimate(self, text: str, name: Optional[str] = None, facts: Any = None) -> "Estimate":
        """What designing `text` would cost, from the token-counting endpoint: nothing is designed."""
        text, name = check_text(text), check_name(name)
        offline = get_agent("offline").design(text, name=name, facts=facts)
        api_key = self._api_key()
        try:
            with self._client(api_key) as client:
                counted = client.messages.count_tokens(
                    **self._request([{"role": "user", "content": _design_prompt(text, name, offline)}]))
        except (anthropic.APIError, httpx2.HTTPError) as err:
            raise self._explain(err, client) from None
        return Estimate(self.model, counted.input_tokens, self.max_tokens)

    def refine(self, design: Design, request: str, progress: Progress = None, history: Sequence[str] = ()) -> Design:
        """Apply `request`; `history` holds the design's earlier change requests, oldest first,
        so the model sees the conversation so far and does not undo an earlier change."""
        design = check_design(design)
        request = check_text(request)

        def build(data: dict) -> Design:
            return _finish(data, name=design.name, requirements=design.requirements, estimates=design)

        return self._ask(
            _refine_prompt(design, request, [check_text(h) for h in history if h and h.strip()]), build, request, progress,
            lambda: get_agent("offline").refine(design, request)
        )

    # -- one question to the model, with cache, repair round, faults and fallback ---------
    def cache_key(self, prompt: str) -> str:
        material = json.dumps([self.model, self.agent.text, prompt, SCHEMA_VERSION])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _ask(
        self,
        prompt: str,
        build: Callable[[dict], Design],
        user_text: str,
        progress: Progress,
        offline: Callable[[], Design],
    ) -> Design:
        say = progress or (lambda line: None)
        key = self.cache_key(prompt)
        if self.use_cache:
            hit = self._cached(key)
            if hit is not None:
                self.last_usage = Usage(self.model, from_response_cache=True)
                say(self.last_usage.line())
                hit._usage = self.last_usage
                return hit
        api_key = self._api_key()
        usage = Usage(self.model, attempts=0)
        partial = ""
        messages: list[dict] = [{"role": "user", "content": prompt}]
        say(f"asking {self.model} ({self.agent.name} agent)…")
        try:
            with self._client(api_key) as client:
                cap = self.max_tokens
                for round_ in (1, 2):
                    reply = self._stream(client, messages, say, cap)
                    if reply.stop_reason == "max_tokens" and cap < _TOKEN_CEILING:
                        # one more try with room to finish, before telling the user to raise the cap
                        cut, cap = reply, min(cap * 2, _TOKEN_CEILING)
                        say(f"the answer was cut off at {cut.usage.output_tokens:,} tokens; asking again with up to {cap:,}")
                        reply = self._stream(client, messages, say, cap)
                        reply.usage = cut.usage + reply.usage
                    usage += reply.usage
                    partial = reply.raw or reply.text
                    self._check_stop(reply, cap)
                    try:
                        result = build(reply.data())
                        break
                    except (ValidationError, _NotADesign) as err:
                        problems = _problems(err)
                        if round_ == 2:
                            raise AgentError(
                                f"the model's design was still invalid after a repair round: {problems[0]}"
                            ) from None
                        say(f"the design had {len(problems)} problem(s), first {problems[0]}; asking the model to fix them")
                        messages += reply.repair_turns(problems)
        except AgentError as err:
            partial = getattr(err, "partial", "") or partial
            message = scrub(str(err), api_key)
            self.last_usage = usage
            self.store.record_failure(self.backend, user_text, message, scrub(partial, api_key))
            if isinstance(err, Unavailable) and self.fallback == "offline":
                say(f"Anthropic API unavailable, designed offline instead: {message}")
                made = offline()
                note = f"Designed by the offline rules because the Anthropic API was unavailable: {message}"
                return made.model_copy(update={"backend": "offline", "assumptions": [*made.assumptions, note]})
            raise type(err)(message) from None
        self.last_usage = usage
        say(usage.line())
        self.store.cache_put(key, result.to_json(indent=None))
        result._usage = usage
        return result

    def _cached(self, key: str) -> Optional[Design]:
        body = self.store.cache_get(key)
        if body is None:
            return None
        try:
            return Design.model_validate_json(body)
        except ValidationError:  # written by an older Design model: ask again
            return None

    def _api_key(self) -> str:
        key = (self._key or os.environ.get(KEY_ENV) or "").strip()
        if not key:
            raise InputError(
                f"no Anthropic API key: set {KEY_ENV} (or pass api_key=), or design without the API with --backend offline"
            )
        return key

    def _client(self, api_key: str) -> anthropic.Anthropic:
        url = self.base_url or os.environ.get("ANTHROPIC_BASE_URL") or None
        where = "base_url" if self.base_url else "ANTHROPIC_BASE_URL"
        try:
            parsed = httpx2.URL(url) if url else None
            if parsed is not None and (parsed.scheme not in ("http", "https") or not parsed.host):
                raise ValueError("it needs http:// or https:// and a host")
            return anthropic.Anthropic(
                api_key=api_key, base_url=url, max_retries=self.max_retries,
                # `timeout` bounds each wait for the next piece of the answer; a host that does
                # not even accept the connection is given up on sooner.
                timeout=httpx2.Timeout(self.timeout, connect=min(_CONNECT_S, self.timeout)),
                http_client=anthropic.DefaultHttpxClient(event_hooks={"response": [no_retry_when_spent]}),
            )
        except Exception as err:  # a malformed URL or any other construction failure: one line, no key
            raise InputError(scrub(f"{where} {url!r} cannot be used for the Anthropic API: {err}", api_key)) from None

    def _check_stop(self, reply: _Reply, cap: int) -> None:
        if reply.stop_reason == "max_tokens":
            raise AgentError(
                f"the model's answer was cut off at max_tokens={cap}: raise max_tokens (--max-tokens, "
                "%config DwarfMagics.max_tokens or max_tokens=) or simplify the requirements"
            )
        if reply.stop_reason == "model_context_window_exceeded":
            raise AgentError(
                "the requirements and the answer do not fit the model's context window: shorten the requirements "
                "or choose a model with a larger window (--model)"
            )
        if reply.stop_reason == "refusal":
            raise AgentError("the model declined to answer this request: rephrase the requirements")

    # -- streaming ------------------------------------------------------------------------
    def _stream(self, client: anthropic.Anthropic, messages: list[dict], say, cap: int) -> _Reply:
        """One answer, asking again (bounded) when the stream breaks off after it started; its
        usage counts the broken attempts too."""
        spent = Usage(self.model, attempts=0)
        for attempt in range(self.max_retries + 1):
            try:
                reply = self._stream_once(client, messages, say, cap)
                reply.usage = spent + reply.usage
                return reply
            except _BrokenStream as broken:
                spent += broken.reply.usage
                if attempt == self.max_retries:
                    raise self._explain(broken.cause, client, broken.reply.raw, started=True) from None
                why = getattr(broken.cause, "type", None) or type(broken.cause).__name__
                say(f"the answer broke off ({why}); asking again ({attempt + 1}/{self.max_retries})")
                time.sleep(_BROKEN_STREAM_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _explain(self, err: BaseException, client: anthropic.Anthropic, partial: str = "", started: bool = False) -> AgentError:
        error = explain(
            err, model=self.model, timeout=self.timeout, retries=self.max_retries, base_url=str(client.base_url),
            key=client.api_key, started=started,
        )
        error.partial = partial  # what had arrived, kept with the failure
        return error

    def _request(self, messages: list[dict]) -> dict:
        """What every call sends (the design stream and the token counter alike): the persona as a
        cached system prompt, the one design tool, forced, and the conversation."""
        return {
            "model": self.model,
            "system": [{"type": "text", "text": self.agent.body, "cache_control": {"type": "ephemeral"}}],
            "tools": [design_tool()],
            "tool_choice": {"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True},
            "messages": messages,
        }

    @staticmethod
    def _written(reply: _Reply) -> _Reply:
        """A broken answer's usage with the output it had streamed (billed, though never finished)."""
        streamed = len(reply.raw) // _CHARS_PER_TOKEN
        reply.usage = dataclasses.replace(reply.usage, output_tokens=max(reply.usage.output_tokens, streamed))
        return reply

    def _stream_once(self, client: anthropic.Anthropic, messages: list[dict], say, cap: int) -> _Reply:
        reply = _Reply(usage=Usage(self.model))
        parts: list[str] = []
        started = False
        shown: tuple = ()
        last_shown = time.monotonic()
        try:
            with client.messages.stream(max_tokens=cap, **self._request(messages)) as stream:
                started = True
                try:
                    for event in stream:
                        if event.type == "message_start":  # what the call costs so far, should it break
                            reply.usage = Usage.of(self.model, event.message.usage)
                        elif event.type == "content_block_start" and event.content_block.type == "tool_use":
                            reply.tool_id = reply.tool_id or event.content_block.id
                        elif event.type == "input_json":
                            parts.append(event.partial_json)
                            snap = event.snapshot if isinstance(event.snapshot, dict) else {}
                            counts = tuple(_count(snap.get(k)) for k in ("services", "components", "edges"))
                            now = time.monotonic()
                            if counts != shown or now - last_shown >= _PROGRESS_EVERY_S:
                                shown, last_shown = counts, now
                                tokens = sum(map(len, parts)) // _CHARS_PER_TOKEN
                                say(
                                    f"{self.model} is writing: services {counts[0]}, components {counts[1]}, "
                                    f"edges {counts[2]} so far (~{tokens:,} output tokens)"
                                )
                except ValueError:  # the SDK could not parse the streamed tool input as JSON
                    reply.json_error = "the streamed JSON does not parse"
                    snapshot = stream.current_message_snapshot
                else:
                    snapshot = stream.get_final_message()
        except (anthropic.APIError, httpx2.HTTPError) as err:
            reply.raw = "".join(parts)
            broken = isinstance(err, anthropic.APIStatusError) and err.status_code == 200
            # After the answer began, a dropped connection and a read that timed out are the same
            # broken stream: asked again like any other (before it began, the SDK retries).
            dropped = isinstance(err, (httpx2.TransportError, anthropic.APIConnectionError))
            if started and (broken or dropped):
                raise _BrokenStream(err, self._written(reply)) from None
            raise self._explain(err, client, reply.raw, started=started) from None
        reply.raw = "".join(parts)
        if snapshot.stop_reason is None and reply.json_error is None:
            raise _BrokenStream(StreamCut(), self._written(reply))
        reply.stop_reason = snapshot.stop_reason
        reply.usage = Usage.of(self.model, snapshot.usage)
        for block in snapshot.content:
            if block.type == "text":
                reply.text += block.text
            elif block.type == "tool_use" and block.id == reply.tool_id:
                reply.tool_input = block.input
        return reply
