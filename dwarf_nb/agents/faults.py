"""What went wrong with a call to the Anthropic API, said in one line the user can act on.

The SDK raises its own exception classes (and a broken stream surfaces raw transport
errors); `explain()` turns any of them into an `AgentError`. Faults where the service was
unreachable or busy become `Unavailable`, the only kind `fallback="offline"` may paper
over: a rejected key or an unknown model is a setting to fix, not an outage to hide.
No message ever contains the API key: `scrub()` removes it from anything the API echoes.
"""

from __future__ import annotations

import json
import re
from typing import Optional

import anthropic
import httpx2

from ..errors import AgentError

KEY_ENV = "ANTHROPIC_API_KEY"
MODEL_ENV = "ANTHROPIC_MODEL"
_MODEL_SETTING = "--model / %config DwarfMagics.model / ANTHROPIC_MODEL"
_OFFLINE = "or use --backend offline"

# One sentence per HTTP status; {model}, {detail} and {retries} ("2 retries") are filled in by explain().
_STATUS = {
    400: "the Anthropic API rejected the request (400): {detail}",
    401: f"the Anthropic API rejected the API key (401): check {KEY_ENV}",
    402: "the Anthropic API refused the request for billing reasons (402): {detail}",
    403: f"the API key in {KEY_ENV} may not use model {{model!r}} (403): {{detail}}",
    404: "model {model!r} was not found by the Anthropic API (404): choose another with " + _MODEL_SETTING,
    413: "the request is too large for the Anthropic API (413): shorten the requirements text",
    429: "the Anthropic API is rate-limiting this key (429), still after {retries}: wait a minute and retry, " + _OFFLINE,
    529: "the Anthropic API is overloaded (529), still after {retries}: try again later, " + _OFFLINE,
}
_SERVER_ERROR = "the Anthropic API failed ({status} {kind}) after {retries}: try again later, " + _OFFLINE
# A status-200 stream that ends in an error event: the SDK does not retry these.
_STREAM_ERROR = "the Anthropic API broke off its answer ({kind}) after {retries}: try again later, " + _OFFLINE
_UNAVAILABLE_STATUSES = {408, 409, 429, 500, 502, 503, 504, 529}


class Unavailable(AgentError):
    """The API could not be reached or was too busy: `fallback="offline"` may design offline instead."""


class StreamCut(Exception):
    """A stream that ended quietly before its message was complete (no stop reason)."""


def scrub(text: str, key: Optional[str]) -> str:
    """`text` on one line, without the API key (should any server or proxy echo it) and without
    credentials written into a URL ('https://user:secret@proxy/')."""
    line = _CREDENTIALS.sub(r"\1[credentials]@", " ".join(str(text).split()))
    if key:
        line = line.replace(key, "[API key]")
    return line


_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.I)

# The API's ways of saying a spend limit or the credit is used up: retrying cannot help, and
# an offline design must not hide it (it is a bill to settle, not an outage).
_SPENT_CODES = ("enforced_spend_limit_reached",)
_SPENT_MESSAGES = ("you have reached your specified", "credit balance is too low", "usage is blocked")


def spent(body: object) -> bool:
    """Whether an API error body says the spend limit or the credit is used up."""
    error = body.get("error", body) if isinstance(body, dict) else {}
    if not isinstance(error, dict):
        return False
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    message = str(error.get("message", "")).lower()
    return details.get("error_code") in _SPENT_CODES or any(m in message for m in _SPENT_MESSAGES)


def no_retry_when_spent(response) -> None:
    """An httpx response hook: a 429 for a used-up spend limit is marked not to be retried
    (the SDK obeys `x-should-retry`), so the user hears at once instead of after the backoff."""
    if response.status_code != 429:
        return
    response.read()
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return
    if spent(body):
        response.headers["x-should-retry"] = "false"


def _request_id(err: BaseException) -> str:
    rid = getattr(err, "request_id", None)
    return f" [request id {rid}]" if rid else ""


def _detail(err: anthropic.APIStatusError) -> str:
    return err.api_message or (err.type or "no details given")


def _seconds(s: float) -> str:
    return f"{s:g} s" if s < 120 else f"{s / 60:.3g} min"


def explain(err: BaseException, *, model: str, timeout: float, retries: int, base_url: str, key: Optional[str],
            started: bool = False) -> AgentError:
    """The AgentError to raise for `err`, an exception from the SDK or its transport.

    `started`: the answer had begun to arrive (a timeout then is a slow model, not the network)."""
    if isinstance(err, (anthropic.APITimeoutError, httpx2.TimeoutException)):
        if started:
            return Unavailable(
                f"the Anthropic API's answer stopped arriving for the {timeout:g} s timeout: raise the timeout "
                "(--timeout / timeout= / %config DwarfMagics.timeout) or simplify the requirements"
            )
        # The SDK asked `retries` more times, each waiting the whole timeout, and no byte came
        # back: a server that accepts and never answers is a proxy, a firewall or a wrong URL.
        attempts = retries + 1
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''} of {timeout:g} s"
        total = f" ({_seconds(attempts * timeout)} in all)" if attempts > 1 else ""
        return Unavailable(scrub(
            f"no response at all from {base_url} in {tries}{total}: the network is the likely cause "
            "(a proxy, a firewall or ANTHROPIC_BASE_URL), not the model; check it, or set --max-retries / "
            f"--timeout (DwarfMagics.max_retries, .timeout) to fail sooner, {_OFFLINE}",
            key,
        ))
    retries_done = f"{retries} {'retry' if retries == 1 else 'retries'}"
    if isinstance(err, StreamCut):
        return Unavailable(
            f"the Anthropic API's answer ended before it was complete, after {retries_done}: try again later, {_OFFLINE}"
        )
    if isinstance(err, (anthropic.APIConnectionError, httpx2.TransportError)):
        cause = err.__cause__ or err
        return Unavailable(
            scrub(
                f"could not reach the Anthropic API at {base_url} ({type(cause).__name__}) after {retries_done}: "
                f"check the network or ANTHROPIC_BASE_URL, {_OFFLINE}",
                key,
            )
        )
    if isinstance(err, anthropic.APIStatusError):
        status = err.status_code
        kind = err.type or "error"
        if status == 200:
            return Unavailable(scrub(_STREAM_ERROR.format(kind=kind, retries=retries_done), key))
        if spent(err.body):
            return AgentError(scrub(
                f"the Anthropic API refused the request because the spend limit or credit is used up ({status}): "
                f"{_detail(err)}; raise the limit or add credit in the Claude Console (retrying will not help)"
                + _request_id(err), key))
        template = _STATUS.get(status)
        if template is None and status >= 500:
            template = _SERVER_ERROR
        if template is None:
            template = "the Anthropic API answered {status} ({kind}): {detail}"
        message = scrub(template.format(status=status, kind=kind, model=model, detail=_detail(err), retries=retries_done)
                        + _request_id(err), key)
        return Unavailable(message) if status in _UNAVAILABLE_STATUSES or status >= 500 else AgentError(message)
    # Anything else from the SDK (a response it could not read, a credentials plug-in).
    return AgentError(scrub(f"the Anthropic API call failed: {type(err).__name__}", key))
