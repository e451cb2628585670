"""A local stand-in for the Anthropic Messages API, for driving the real SDK in tests.

`FakeAnthropic` serves POST /v1/messages on 127.0.0.1 (random port) from a thread. Each
request takes the next scripted behaviour (or the default one): a design answered as an
SSE stream or a JSON message in the API's real format, or a fault - an HTTP error with
headers, a reset connection, a stall, an error event or a dropped connection mid-stream.
Every request is recorded (headers and JSON body) so tests can check what was sent.
"""

from __future__ import annotations

import copy
import json
import socket
import struct
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

# A small design that satisfies the Design contract (and the parts the agent requires).
VALID_DESIGN = {
    "name": "tiny-shop",
    "summary": "A modular monolith for a small shop.",
    "style": "modular_monolith",
    "services": [
        {
            "name": "shop-api",
            "kind": "api",
            "responsibility": "catalogue and orders",
            "language": "Python",
            "framework": "FastAPI",
            "api_style": "rest",
            "context": "shop",
            "public": True,
            "endpoints": [{"method": "GET", "path": "/products", "summary": "list products", "entity": "product"}],
        },
        {"name": "mailer", "kind": "worker", "responsibility": "sends receipts", "language": "Python", "consumes": ["order.placed"]},
    ],
    "components": [
        {"name": "shop-db", "kind": "relational_db", "technology": "PostgreSQL", "purpose": "orders and products"},
        {"name": "queue", "kind": "message_broker", "technology": "RabbitMQ", "purpose": "receipts"},
    ],
    "edges": [
        {"source": "clients", "target": "shop-api", "protocol": "https", "mode": "sync", "label": "browse and order"},
        {"source": "shop-api", "target": "shop-db", "protocol": "sql", "mode": "sync", "label": "reads and writes"},
        {"source": "shop-api", "target": "queue", "protocol": "amqp", "mode": "async", "label": "order.placed"},
        {"source": "queue", "target": "mailer", "protocol": "amqp", "mode": "async", "label": "order.placed"},
    ],
    "entities": [
        {
            "name": "product",
            "owner": "shop-api",
            "store": "shop-db",
            "fields": [{"name": "id", "type": "uuid", "primary_key": True}, {"name": "title", "type": "text"}],
        }
    ],
    "jobs": [{"name": "send-receipt", "trigger": "order.placed", "service": "mailer", "dead_letter": "receipts-dlq"}],
    "decisions": [
        {
            "title": "Architecture style",
            "topic": "style",
            "options": [
                {"name": "modular_monolith", "scores": {"operability": 5, "scalability": 3}},
                {"name": "microservices", "scores": {"operability": 2, "scalability": 5}},
            ],
            "chosen": "modular_monolith",
            "consequences": ["one deployable"],
        }
    ],
    "assumptions": ["One region is enough."],
}

SYSTEM_CACHE_TOKENS = 3000  # tokens of the cached prefix (persona + tool schema)
INPUT_TOKENS = 400
# The smallest prefix the API caches (1,024 tokens on Sonnet and Opus; 2,048 on Haiku; one
# figure is enough here). The kit's own persona and tool schema are well above it.
MIN_CACHEABLE_TOKENS = 1024


def valid_design(**changes) -> dict:
    d = copy.deepcopy(VALID_DESIGN)
    d.update(changes)
    return d


Behaviour = Callable[["_Handler", dict], None]


class FakeAnthropic:
    """The server; `push()` scripts the next answers, `default` answers when the script is empty."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: deque[Behaviour] = deque()
        self.default: Behaviour = design()
        self.cached_systems: set[str] = set()
        self._lock = threading.Lock()
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # a client that hung up is not news
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeAnthropic":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(self, *behaviours: Behaviour) -> None:
        self.script.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self.script.popleft() if self.script else self.default

    def usage_for(self, body: dict) -> dict:
        """Prompt-cache figures as the API reports them: the cached prefix is the model, the tools
        and the system prompt; written on first sight, read after, and never cached at all when it
        is shorter than the model's minimum cacheable length (about four characters a token)."""
        prefix = json.dumps([body.get("model"), body.get("tools"), body.get("system")], sort_keys=True)
        if len(prefix) // 4 < MIN_CACHEABLE_TOKENS:
            return {"input_tokens": INPUT_TOKENS + len(prefix) // 4, "output_tokens": 1,
                    "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        with self._lock:
            seen = prefix in self.cached_systems
            self.cached_systems.add(prefix)
        return {
            "input_tokens": INPUT_TOKENS,
            "output_tokens": 1,
            "cache_creation_input_tokens": 0 if seen else SYSTEM_CACHE_TOKENS,
            "cache_read_input_tokens": SYSTEM_CACHE_TOKENS if seen else 0,
        }


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeAnthropic

    def log_message(self, format, *args):  # keep test output clean
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        fake = self.server_fake
        fake.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        problem = _invalid(body) if self.path.split("?")[0].endswith("/messages") else None
        if problem:  # as the real API does: a malformed conversation is a 400, never an answer
            self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": problem}})
            return
        if self.path.split("?")[0].endswith("/messages/count_tokens"):
            # The token-counting endpoint: about four characters a token, as the API roughly counts.
            self.send_json(200, {"input_tokens": len(json.dumps(body)) // 4})
            return
        fake.next_behaviour()(self, body)

    # -- writing helpers ----------------------------------------------------------------
    def send_json(self, status: int, payload: dict, headers: Optional[dict] = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_fake")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()

    def event(self, name: str, data: dict) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def reset(self) -> None:
        """Close the connection abruptly (TCP RST), as a crashed proxy would."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


# -- behaviours ------------------------------------------------------------------------


def _message(body: dict, usage: dict) -> dict:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-test"),
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage,
    }


def _tool_name(body: dict) -> str:
    return (body.get("tool_choice") or {}).get("name") or "submit_design"


def _stream_prefix(h: _Handler, body: dict, usage: dict) -> None:
    h.start_sse()
    h.event("message_start", {"type": "message_start", "message": _message(body, usage)})
    h.event(
        "content_block_start",
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "toolu_fake1", "name": _tool_name(body), "input": {}},
        },
    )
    h.event("ping", {"type": "ping"})


def _invalid(body: dict) -> Optional[str]:
    """What the API would reject in a Messages request's conversation, or None."""
    messages = body.get("messages") or []
    if not messages or messages[0].get("role") != "user":
        return "messages: the first message must use the user role"
    for i, message in enumerate(messages):
        content = message.get("content")
        blocks = content if isinstance(content, list) else []
        results = [b.get("tool_use_id") for b in blocks if isinstance(b, dict) and b.get("type") == "tool_result"]
        if results:
            before = messages[i - 1] if i else {}
            uses = [b.get("id") for b in (before.get("content") if isinstance(before.get("content"), list) else [])
                    if isinstance(b, dict) and b.get("type") == "tool_use"]
            if before.get("role") != "assistant" or any(r not in uses for r in results):
                return f"messages.{i}: each tool_result block must have a corresponding tool_use block in the previous message"
        if i and message.get("role") == messages[i - 1].get("role"):
            return f"messages.{i}: roles must alternate between user and assistant"
    return None


def _chunks(raw: str, size: int) -> list[str]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def design(
    payload: Optional[dict] = None,
    *,
    raw: Optional[str] = None,
    stop_reason: str = "tool_use",
    chunk: int = 40,
    text: Optional[str] = None,
    pause: float = 0.0,
) -> Behaviour:
    """Answer with a tool call whose input is `payload` (or the `raw` JSON text), streamed or not.

    With `text`, answer with a text block instead of a tool call; with `pause`, wait that long
    between pieces of the streamed input (as a model writing a long array does).
    """

    def answer(h: _Handler, body: dict) -> None:
        source = raw if raw is not None else json.dumps(payload if payload is not None else VALID_DESIGN)
        usage = h.server_fake.usage_for(body)
        out_tokens = max(1, len(text if text is not None else source) // 4)
        if not body.get("stream"):
            message = _message(body, {**usage, "output_tokens": out_tokens})
            if text is not None:
                message["content"] = [{"type": "text", "text": text}]
            else:
                message["content"] = [
                    {"type": "tool_use", "id": "toolu_fake1", "name": _tool_name(body), "input": json.loads(source)}
                ]
            message["stop_reason"] = "end_turn" if text is not None else stop_reason
            h.send_json(200, message)
            return
        if text is not None:
            h.start_sse()
            h.event("message_start", {"type": "message_start", "message": _message(body, usage)})
            h.event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            )
            for piece in _chunks(text, chunk):
                h.event(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
                )
            reason = "end_turn"
        else:
            _stream_prefix(h, body, usage)
            for piece in _chunks(source, chunk):
                time.sleep(pause)
                h.event(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": piece}},
                )
            reason = stop_reason
        h.event("content_block_stop", {"type": "content_block_stop", "index": 0})
        h.event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": reason, "stop_sequence": None},
                "usage": {"output_tokens": out_tokens},
            },
        )
        h.event("message_stop", {"type": "message_stop"})

    return answer


def status(code: int, kind: str, message: str, headers: Optional[dict] = None, details: Optional[dict] = None) -> Behaviour:
    """An HTTP error in the API's error format (`retry-after-ms` etc. via `headers`; `details`
    as the API adds them, e.g. {"error_code": "enforced_spend_limit_reached"})."""

    def answer(h: _Handler, body: dict) -> None:
        error = {"type": kind, "message": message, **({"details": details} if details else {})}
        h.send_json(code, {"type": "error", "error": error, "request_id": "req_fake"}, headers)

    return answer


def spend_limit() -> Behaviour:
    """The 429 of a used-up monthly spend limit: a rate_limit_error without retry-after."""
    return status(429, "rate_limit_error", "Your organization has reached its monthly usage limit.",
                  details={"error_code": "enforced_spend_limit_reached"})


def reset() -> Behaviour:
    """Drop the connection without answering."""
    return lambda h, body: h.reset()


def stall(seconds: float) -> Behaviour:
    """Say nothing for `seconds` (longer than the client's timeout), then hang up."""

    def answer(h: _Handler, body: dict) -> None:
        time.sleep(seconds)
        h.reset()

    return answer


def break_off(kind: Optional[str] = "overloaded_error", after: int = 3, drop: bool = False) -> Behaviour:
    """Start a design stream, send `after` pieces, then an error event of `kind`.

    With `drop`, reset the connection instead; with `kind=None`, just end the response there.
    """

    def answer(h: _Handler, body: dict) -> None:
        _stream_prefix(h, body, h.server_fake.usage_for(body))
        for piece in _chunks(json.dumps(VALID_DESIGN), 40)[:after]:
            h.event(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": piece}},
            )
        if drop:
            h.reset()
        elif kind is not None:
            h.event("error", {"type": "error", "error": {"type": kind, "message": "Overloaded"}})

    return answer
