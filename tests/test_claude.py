"""The Claude backend, driven through the real `anthropic` SDK against a local fake Messages API.

Nothing here reaches the internet: every client points at `FakeAnthropic` on 127.0.0.1.
Each fault the API can produce has a test of what the user ends up seeing.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from dwarf_nb.agents import claude, get_agent
from dwarf_nb.agents.claude import TOOL_NAME, ClaudeAgent
from dwarf_nb.agents.agentfile import default_agent_file
from dwarf_nb.design import Design
from dwarf_nb.errors import AgentError, InputError
from dwarf_nb.store import Store

import fake_anthropic as fa

KEY = "sk-ant-test-SECRET123"
TEXT = "An online shop for 5,000 daily users who browse products and place orders; receipts go out by email."


@pytest.fixture(autouse=True)
def no_real_credentials(monkeypatch):
    """No test may pick up a developer's real key or endpoint."""
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(claude, "_BROKEN_STREAM_BACKOFF_S", 0.0)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "designs.db")
    yield s
    s.close()


@pytest.fixture
def make(fake, store):
    def make_agent(**options) -> ClaudeAgent:
        options = {"api_key": KEY, "base_url": fake.url, "store": store, "max_retries": 1, **options}
        return ClaudeAgent(**options)

    return make_agent


def sent(fake, i: int = -1) -> dict:
    return fake.requests[i]["body"]


def test_the_fake_api_speaks_the_format_the_sdk_reads(fake):
    """Without streaming too, so that the fake stays faithful beyond what the agent uses."""
    import anthropic

    client = anthropic.Anthropic(api_key=KEY, base_url=fake.url, max_retries=0)
    message = client.messages.create(
        model="claude-sonnet-4-6", max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.stop_reason == "tool_use"
    assert message.content[0].input == fa.VALID_DESIGN
    # No system prompt and no tools: nothing long enough to cache, as the real API answers.
    assert message.usage.cache_creation_input_tokens == 0 and message.usage.cache_read_input_tokens == 0


# -- a design, end to end ----------------------------------------------------------------


def test_design_comes_back_validated_with_offline_estimates_filled_in(make):
    lines: list[str] = []
    d = make().design(TEXT, progress=lines.append)
    assert isinstance(d, Design)
    assert d.backend == "anthropic"
    assert d.requirements == TEXT
    assert d.name == "tiny-shop"
    assert [s.name for s in d.services] == ["shop-api", "mailer"]
    # The fake model left capacity and traits empty: the offline analysis fills them.
    offline = get_agent("offline").design(TEXT)
    assert d.capacity == offline.capacity
    assert d.traits == offline.traits
    assert d.brief == offline.brief
    assert lines[-1].startswith("claude-") and "output tokens" in lines[-1] and "$" in lines[-1]


def test_given_name_wins_over_the_models(make, fake):
    d = make().design(TEXT, name="my-shop")
    assert d.name == "my-shop"
    assert 'Name the design "my-shop"' in sent(fake)["messages"][0]["content"]


def test_a_capacity_from_the_model_is_kept(make, fake):
    fake.push(fa.design(fa.valid_design(capacity={"peak_rps": 1234.0, "reads_per_second": 400.0})))
    assert make().design(TEXT).capacity.peak_rps == 1234.0


def test_the_model_gets_the_offline_brief_and_its_corrected_brief_sizes_the_design(make, fake):
    """The model's Brief is validated and kept; capacity comes from it; what the user set still wins."""
    corrected = {
        "actors": [{"id": "actor.user", "noun": "user", "role": "end_user", "count": 50000, "count_kind": "daily_active",
                    "evidence": "5,000 daily users"}],
        "workloads": [{"id": "workload.browse", "name": "browse products", "op": "read", "avg_per_s": 300.0,
                       "peak_per_s": 900.0, "status": "derived", "formula": "50,000 x 500 / 86,400 s"}],
        "constraints": [{"id": "constraint.team", "name": "team", "value": 40, "evidence": "model guess"}],
    }
    fake.push(fa.design(fa.valid_design(brief=corrected)))
    d = make().design("---\nteam: 3\n---\n" + TEXT)
    prompt = sent(fake)["messages"][0]["content"]
    assert '"brief"' in prompt and "set by you: team: 3" in prompt
    assert [w.name for w in d.brief.workloads] == ["browse products"]
    assert d.capacity.reads_per_second == pytest.approx(300.0)
    assert d.brief.value("team") == 3 and d.brief.fact("constraint.team").status == "set"


def test_a_brief_from_the_model_that_breaks_the_fact_model_is_repaired_or_refused(make, fake):
    fake.push(fa.design(fa.valid_design(brief={"workloads": [{"name": "no id"}]})), fa.design(fa.valid_design()))
    d = make().design(TEXT)
    assert d.backend == "anthropic"
    assert len(fake.requests) == 2
    assert "brief" in json.dumps(fake.requests[1]["body"]["messages"][-1])


def test_the_request_caches_the_persona_sends_the_schema_and_no_sampling_knobs(make, fake):
    make(model="claude-haiku-4-5").design(TEXT)
    req = fake.requests[0]
    body = req["body"]
    assert req["path"] == "/v1/messages"
    assert req["headers"]["authorization"] == f"Bearer {KEY}"
    assert body["model"] == "claude-haiku-4-5"
    assert body["stream"] is True
    assert body["system"] == [
        {"type": "text", "text": default_agent_file().body, "cache_control": {"type": "ephemeral"}}
    ]
    (tool,) = body["tools"]
    assert tool["name"] == TOOL_NAME
    schema = tool["input_schema"]
    assert {"services", "components", "edges", "decisions", "capacity"} <= set(schema["properties"])
    assert {"requirements", "backend", "schema_version"}.isdisjoint(schema["properties"])
    assert "services" in schema["required"]
    assert schema["$defs"]["Component"]["properties"]["kind"]["enum"][0] == "relational_db"
    assert body["tool_choice"]["type"] == "tool" and body["tool_choice"]["name"] == TOOL_NAME
    assert {"temperature", "top_p", "top_k"}.isdisjoint(body)
    prompt = body["messages"][0]["content"]
    assert TEXT in prompt and "<offline_analysis>" in prompt
    # The offline patterns travel as a checklist, each part with the Brief facts behind it.
    analysis = json.loads(prompt.split("<offline_analysis>")[1].split("</offline_analysis>")[0])
    fact_ids = {f["id"] for group in analysis["brief"].values() if isinstance(group, list) for f in group if isinstance(f, dict) and "id" in f}
    assert analysis["patterns"] and all(set(p["because"]) <= fact_ids for p in analysis["patterns"])
    assert "`because`" in prompt


def test_the_agent_files_model_is_the_default_and_an_explicit_model_wins(make, fake, tmp_path):
    custom = tmp_path / "architect.md"
    custom.write_text("---\nname: architect\nmodel: claude-opus-4-6\n---\nYou design small backends.\n")
    make(agent_file=custom).design(TEXT)
    assert sent(fake)["model"] == "claude-opus-4-6"
    assert sent(fake)["system"][0]["text"] == "You design small backends."
    make(agent_file=custom, model="haiku", use_cache=False).design(TEXT)
    assert sent(fake)["model"] == "claude-haiku-4-5"


def test_usage_reports_prompt_cache_writes_then_reads_and_a_cost(make):
    agent = make(model="claude-sonnet-4-6", use_cache=False)
    agent.design(TEXT)
    first = agent.last_usage
    assert (first.cache_write_tokens, first.cache_read_tokens) == (fa.SYSTEM_CACHE_TOKENS, 0)
    agent.design(TEXT)
    second = agent.last_usage
    assert (second.cache_write_tokens, second.cache_read_tokens) == (0, fa.SYSTEM_CACHE_TOKENS)
    # Sonnet list price: $3 in / $15 out per million; cache writes x1.25, reads x0.1.
    expected = (fa.INPUT_TOKENS * 3 + fa.SYSTEM_CACHE_TOKENS * 3 * 0.1 + second.output_tokens * 15) / 1e6
    assert second.cost_usd == pytest.approx(expected)
    assert second.cost_usd < first.cost_usd


def test_a_model_without_a_price_says_so(make):
    agent = make(model="claude-experimental-x")
    agent.design(TEXT)
    assert agent.last_usage.cost_usd is None
    assert "cost unknown" in agent.last_usage.line()


def test_asking_again_is_answered_from_the_response_cache(make, fake, tmp_path):
    agent = make()
    first = agent.design(TEXT)
    lines: list[str] = []
    again = agent.design(TEXT, progress=lines.append)
    assert len(fake.requests) == 1
    assert again == first
    assert agent.last_usage.from_response_cache and agent.last_usage.cost_usd == 0
    assert "response cache" in lines[-1]
    make(use_cache=False).design(TEXT)
    assert len(fake.requests) == 2
    other = tmp_path / "other.md"
    other.write_text("---\nname: other\n---\nAnother persona.\n")
    make(agent_file=other).design(TEXT)  # a different agent file is a different question
    assert len(fake.requests) == 3


def test_progress_follows_the_stream_without_a_line_per_token(make, fake):
    fake.push(fa.design(chunk=5))
    lines: list[str] = []
    make().design(TEXT, progress=lines.append)
    pieces = -(-len(json.dumps(fa.VALID_DESIGN)) // 5)
    writing = [line for line in lines if "is writing" in line]
    assert 3 <= len(writing) < pieces / 5
    assert "services 2, components 2, edges 4 so far" in writing[-1]


def test_refine_sends_the_design_and_request_and_keeps_the_name(make, fake):
    agent = make()
    current = agent.design(TEXT)
    fake.push(fa.design(fa.valid_design(name="renamed-by-model", summary="Now with search.")))
    new = agent.refine(current, "add product search")
    assert new.name == current.name
    assert new.requirements == TEXT
    assert new.summary == "Now with search."
    assert new.backend == "anthropic"
    prompt = sent(fake)["messages"][0]["content"]
    assert "add product search" in prompt and '"shop-api"' in prompt


# -- the model's answer is wrong -----------------------------------------------------------


def test_an_invalid_design_gets_one_repair_round(make, fake, store):
    bad = fa.valid_design(edges=[{"source": "shop-api", "target": "nowhere"}])
    fake.push(fa.design(bad), fa.design())
    lines: list[str] = []
    d = make().design(TEXT, progress=lines.append)
    assert [e.target for e in d.edges][-1] == "mailer"
    assert len(fake.requests) == 2
    repair = sent(fake)["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    assert repair[1]["content"][0]["input"] == bad
    result = repair[2]["content"][0]
    assert result["type"] == "tool_result" and result["is_error"] is True
    assert "'nowhere' is not a service or component" in result["content"]
    assert any("asking the model to fix" in line for line in lines)
    assert store.failures() == []


def test_missing_fields_are_named_in_the_repair_request(make, fake):
    incomplete = fa.valid_design()
    del incomplete["services"]
    fake.push(fa.design(incomplete))
    make().design(TEXT)
    assert "services: Field required" in sent(fake)["messages"][2]["content"][0]["content"]


def test_invalid_twice_is_a_one_line_error_naming_the_first_problem(make, fake, store):
    fake.push(
        fa.design(fa.valid_design(edges=[{"source": "ghost", "target": "shop-api"}])),
        fa.design(fa.valid_design(services=[])),
    )
    with pytest.raises(AgentError) as info:
        make().design(TEXT)
    message = str(info.value)
    assert message == (
        "the model's design was still invalid after a repair round: "
        "services: List should have at least 1 item after validation, not 0"
    )
    (failure,) = store.failures()
    assert failure["requirements"] == TEXT
    assert '"services": []' in failure["partial"]


def test_json_that_does_not_parse_is_repaired(make, fake):
    fake.push(fa.design(raw='{"name": "shop", "services": [}'), fa.design())
    d = make().design(TEXT)
    assert d.name == "tiny-shop"
    assert "not valid JSON" in sent(fake)["messages"][2]["content"][0]["content"]


def test_an_answer_in_prose_instead_of_the_tool_is_repaired(make, fake):
    fake.push(fa.design(text="Here is my design: use microservices."), fa.design())
    d = make().design(TEXT)
    assert d.services
    repair = sent(fake)["messages"]
    assert repair[1]["content"][0]["text"] == "Here is my design: use microservices."
    assert f"did not call the {TOOL_NAME} tool" in repair[2]["content"]


def test_markup_in_model_text_stays_plain_data(make, fake):
    script = "<script>alert('x')</script>"
    payload = fa.valid_design(summary=script, assumptions=[script])
    payload["edges"][0]["label"] = script
    fake.push(fa.design(payload))
    d = make().design(TEXT)
    assert d.summary == script and d.edges[0].label == script


def test_markup_in_model_text_is_escaped_in_the_notebook_view(make, fake):
    pytest.importorskip("dwarf_nb.views.display")
    script = "<script>alert('x')</script>"
    payload = fa.valid_design(summary=script)
    payload["services"][0]["responsibility"] = script
    fake.push(fa.design(payload))
    html = make().design(TEXT)._repr_mimebundle_()["text/html"]
    assert "<script>alert" not in html


def test_an_answer_cut_off_at_max_tokens_is_asked_once_more_with_room(make, fake):
    fake.push(fa.design(stop_reason="max_tokens"))
    progress: list[str] = []
    assert make(max_tokens=2048).design(TEXT, progress=progress.append).backend == "anthropic"
    assert [r["body"]["max_tokens"] for r in fake.requests] == [2048, 4096]
    assert any("asking again with up to 4,096" in line for line in progress)


def test_an_answer_cut_off_twice_says_which_setting_to_raise(make, fake, store):
    fake.push(fa.design(stop_reason="max_tokens"), fa.design(stop_reason="max_tokens"))
    with pytest.raises(AgentError, match=r"cut off at max_tokens=4096: raise max_tokens \(--max-tokens, "
                                         r"%config DwarfMagics.max_tokens or max_tokens=\)"):
        make(max_tokens=2048).design(TEXT)
    assert len(fake.requests) == 2  # a truncated design is never repaired into a half design
    assert store.failures()[0]["partial"].startswith('{"name": "tiny-shop"')


def test_a_full_context_window_is_told_like_a_cut_off(make, fake):
    fake.push(fa.design(stop_reason="model_context_window_exceeded"))
    with pytest.raises(AgentError, match=r"do not fit the model's context window: shorten the requirements"):
        make().design(TEXT)
    assert len(fake.requests) == 1


# -- the API fails -------------------------------------------------------------------------


def test_no_key_is_an_input_error_before_any_request(make, fake, monkeypatch):
    with pytest.raises(InputError) as info:
        make(api_key=None).design(TEXT)
    assert "ANTHROPIC_API_KEY" in str(info.value) and "--backend offline" in str(info.value)
    assert fake.requests == []
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    assert make(api_key=None).design(TEXT).backend == "anthropic"


@pytest.mark.parametrize(
    "code, kind, api_message, expected",
    [
        (401, "authentication_error", "invalid x-api-key", "rejected the API key (401): check ANTHROPIC_API_KEY"),
        (403, "permission_error", "not allowed", "ANTHROPIC_API_KEY may not use model 'claude-sonnet-4-6' (403): not allowed"),
        (400, "invalid_request_error", "messages: text content blocks must be non-empty", "rejected the request (400): messages: text content blocks must be non-empty"),
        (404, "not_found_error", "model: claude-sonnet-4-6", "model 'claude-sonnet-4-6' was not found by the Anthropic API (404): choose another with --model / %config DwarfMagics.model"),
    ],
)
def test_request_errors_are_explained_and_not_retried(make, fake, store, code, kind, api_message, expected):
    fake.push(fa.status(code, kind, api_message))
    with pytest.raises(AgentError) as info:
        make(model="sonnet", max_retries=2, fallback="offline").design(TEXT)
    assert expected in str(info.value)
    assert len(fake.requests) == 1
    assert store.failures()[0]["requirements"] == TEXT


@pytest.mark.parametrize(
    "code, kind, expected",
    [
        (429, "rate_limit_error", "rate-limiting this key (429), still after 1 retry"),
        (529, "overloaded_error", "overloaded (529), still after 1 retry"),
        (500, "api_error", "failed (500 api_error) after 1 retry"),
    ],
)
def test_busy_or_failing_api_is_retried_then_explained(make, fake, store, code, kind, expected):
    fake.default = fa.status(code, kind, "busy", {"retry-after-ms": "10"})
    with pytest.raises(AgentError) as info:
        make(max_retries=1).design(TEXT)
    assert expected in str(info.value) and "--backend offline" in str(info.value)
    assert len(fake.requests) == 2
    assert store.failures()[0]["requirements"] == TEXT


def test_a_rate_limit_that_clears_is_invisible(make, fake):
    fake.push(fa.status(429, "rate_limit_error", "slow down", {"retry-after": "0", "retry-after-ms": "20"}))
    assert make(max_retries=2).design(TEXT).backend == "anthropic"
    assert len(fake.requests) == 2
    assert fake.requests[1]["headers"]["x-stainless-retry-count"] == "1"


def test_a_connection_reset_is_retried_then_explained(make, fake):
    fake.push(fa.reset())
    assert make(max_retries=1).design(TEXT).services
    fake.default = fa.reset()
    with pytest.raises(AgentError, match=r"^could not reach the Anthropic API at http://127\.0\.0\.1:\d+"):
        make(max_retries=1, use_cache=False).design(TEXT)


@pytest.fixture
def black_hole():
    """A host that accepts connections and never answers; yields (url, accepted sockets)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:  # the listener was closed
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()
    for conn in accepted:
        conn.close()


def test_a_host_that_never_answers_is_called_a_network_fault(black_hole, store):
    url, accepted = black_hole
    agent = ClaudeAgent(api_key=KEY, base_url=url, store=store, timeout=0.3, max_retries=2)
    with pytest.raises(AgentError) as info:
        agent.design(TEXT)
    message = str(info.value)
    assert message.startswith(f"no response at all from {url} in 3 attempts of 0.3 s (0.9 s in all): "
                              "the network is the likely cause")
    assert "--max-retries" in message and "--timeout" in message and "\n" not in message
    assert len(accepted) == 3  # every attempt the message counts was made
    assert KEY not in message and store.failures()[0]["requirements"] == TEXT


def test_an_answer_that_stops_arriving_names_the_timeout(make, fake):
    def stall_mid_answer(h, body) -> None:
        fa._stream_prefix(h, body, h.server_fake.usage_for(body))
        time.sleep(2.0)
        h.reset()

    fake.default = stall_mid_answer
    with pytest.raises(AgentError, match=r"^the Anthropic API's answer stopped arriving for the 0\.3 s timeout: raise "
                                         r"the timeout \(--timeout"):
        make(timeout=0.3, max_retries=0).design(TEXT)


def test_an_answer_that_pauses_past_the_timeout_is_asked_again(make, fake):
    def stall_mid_answer(h, body) -> None:
        fa._stream_prefix(h, body, h.server_fake.usage_for(body))
        time.sleep(1.0)
        h.reset()

    fake.push(stall_mid_answer)  # then the default: a whole design
    assert make(timeout=0.3, max_retries=1).design(TEXT).backend == "anthropic"
    assert len(fake.requests) == 2


def test_the_tool_streams_its_input_as_it_is_written(make, fake):
    make().design(TEXT)
    (tool,) = fake.requests[0]["body"]["tools"]
    assert tool["eager_input_streaming"] is True


@pytest.mark.parametrize(
    "broken",
    [fa.break_off(), fa.break_off(drop=True), fa.break_off(kind=None)],
    ids=["error-event", "dropped-connection", "quiet-end"],
)
def test_a_stream_that_breaks_off_is_asked_again(make, fake, broken):
    fake.push(broken)
    lines: list[str] = []
    d = make(max_retries=1).design(TEXT, progress=lines.append)
    assert len(d.services) == 2  # the whole design, not the half that arrived first
    assert len(fake.requests) == 2
    assert any("broke off" in line for line in lines)


def test_a_stream_that_keeps_breaking_is_reported_never_half_used(make, fake, store):
    fake.default = fa.break_off()
    with pytest.raises(AgentError, match=r"broke off its answer \(overloaded_error\) after 1 retry"):
        make(max_retries=1).design(TEXT)
    assert len(fake.requests) == 2
    (failure,) = store.failures()
    assert failure["requirements"] == TEXT and failure["partial"].startswith('{"name": "tiny-shop"')


def test_a_stream_that_keeps_ending_early_is_reported(make, fake):
    fake.default = fa.break_off(kind=None)
    with pytest.raises(AgentError, match=r"answer ended before it was complete, after 1 retry"):
        make(max_retries=1).design(TEXT)


def test_fallback_designs_offline_and_says_so(make, fake, store):
    fake.default = fa.status(529, "overloaded_error", "Overloaded", {"retry-after-ms": "10"})
    lines: list[str] = []
    d = make(fallback="offline", max_retries=1).design(TEXT, progress=lines.append)
    assert d.backend == "offline"
    assert d == get_agent("offline").design(TEXT).model_copy(update={"assumptions": d.assumptions})
    assert "offline rules because the Anthropic API was unavailable" in d.assumptions[-1]
    assert any("designed offline instead" in line for line in lines)
    assert store.failures()[0]["requirements"] == TEXT


def test_refine_falls_back_to_the_offline_refinement(make, fake, store):
    current = make().design(TEXT)
    fake.default = fa.reset()
    d = make(fallback="offline", max_retries=0).refine(current, "add a search service")
    assert d.backend == "offline"
    assert d.name == current.name
    assert "search" in [s.name for s in d.services]
    assert "the Anthropic API was unavailable" in d.assumptions[-1]
    assert store.failures()[0]["requirements"] == "add a search service"


def test_refine_needs_a_design(make):
    with pytest.raises(InputError, match="refine needs a Design to change, not dict"):
        make().refine({"name": "x"}, "add search")


def test_fallback_does_not_hide_a_rejected_key(make, fake):
    fake.push(fa.status(401, "authentication_error", "invalid x-api-key"))
    with pytest.raises(AgentError, match="ANTHROPIC_API_KEY"):
        make(fallback="offline").design(TEXT)


def test_the_key_never_shows_in_messages_store_or_output(make, fake, store, capsys):
    messages = [repr(make())]
    # A proxy that echoes the key back in its error message must not leak it either.
    fake.push(fa.status(400, "invalid_request_error", f"bad header x-api-key: {KEY}"))
    for behaviour in (None, fa.status(401, "authentication_error", "no"), fa.reset(), fa.break_off()):
        if behaviour is not None:
            fake.default = behaviour
        lines: list[str] = []
        try:
            make(max_retries=0, use_cache=False).design(TEXT, progress=lines.append)
        except AgentError as err:
            messages.append(str(err))
        messages += lines
    out = capsys.readouterr()
    assert len(store.failures()) == 4
    store.close()
    assert "[API key]" in messages[1]
    everything = "\n".join(messages) + out.out + out.err + store.path.read_bytes().decode("utf-8", "replace")
    assert KEY not in everything


# -- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        ({"temperature": 0.2}, "unknown option(s) for the anthropic backend: temperature"),
        ({"fallback": "cloud"}, "fallback must be 'offline' or None, not 'cloud'"),
        ({"max_retries": -1}, "max_retries must be a whole number of at least 0, not -1"),
        ({"timeout": 0}, "timeout must be a positive number of seconds, not 0"),
        ({"timeout": float("nan")}, "timeout must be a positive number of seconds, not nan"),
        ({"timeout": float("inf")}, "timeout must be a positive number of seconds, not inf"),
    ],
)
def test_bad_options_are_input_errors(options, message):
    with pytest.raises(InputError) as info:
        ClaudeAgent(**options)
    assert str(info.value) == message


def test_a_name_that_is_not_a_slug_is_refused_before_any_request(make, fake):
    with pytest.raises(InputError, match="must be a slug"):
        make().design(TEXT, name="My Shop!")
    assert fake.requests == []


# -- errors that tell the truth -------------------------------------------------------------
@pytest.mark.parametrize("behaviour", [
    fa.spend_limit(),
    fa.status(400, "invalid_request_error", "You have reached your specified API usage limits. Access resumes on 2027-01-01."),
    fa.status(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API."),
], ids=["429-spend-limit", "400-usage-limit", "400-credit"])
def test_a_used_up_spend_limit_is_not_retried_nor_hidden_by_the_fallback(make, fake, store, behaviour):
    fake.default = behaviour
    with pytest.raises(AgentError) as info:
        make(max_retries=2, fallback="offline").design(TEXT)
    message = str(info.value)
    assert "spend limit or credit is used up" in message and "Claude Console" in message
    assert message.endswith("[request id req_fake]") and KEY not in message
    assert len(fake.requests) == 1  # no retry: it cannot help
    assert store.failures()[0]["requirements"] == TEXT


def test_an_ordinary_rate_limit_is_still_retried(make, fake):
    fake.push(fa.status(429, "rate_limit_error", "Too many requests", headers={"retry-after-ms": "10"}))
    assert make(max_retries=1).design(TEXT).backend == "anthropic"
    assert len(fake.requests) == 2


@pytest.mark.parametrize("behaviour", [
    fa.status(401, "authentication_error", "invalid x-api-key"),
    fa.status(404, "not_found_error", "model: nope"),
    fa.status(500, "api_error", "Internal server error"),
])
def test_every_api_error_names_its_request_id(make, fake, behaviour):
    fake.default = behaviour
    with pytest.raises(AgentError, match=r"\[request id req_fake\]$"):
        make(max_retries=0).design(TEXT)


@pytest.mark.parametrize("url", ["ht!tp://x", "http://[::1", "localhost:8080", "://", "ftp://example.com"])
def test_a_malformed_base_url_is_one_line_without_the_key(fake, store, url):
    with pytest.raises(InputError) as info:
        ClaudeAgent(api_key=KEY, base_url=url, store=store).design(TEXT)
    message = str(info.value)
    assert message.startswith("base_url ") and "cannot be used for the Anthropic API" in message
    assert "\n" not in message and KEY not in message and fake.requests == []


def test_credentials_in_a_base_url_are_never_printed(store, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://me:hunter2@127.0.0.1:9/")
    with pytest.raises(AgentError) as info:
        ClaudeAgent(api_key=KEY, store=store, max_retries=0, timeout=1).design(TEXT)
    message = str(info.value)
    assert "hunter2" not in message and "[credentials]@127.0.0.1" in message
    assert "hunter2" not in store.failures()[0]["error"]


def test_the_model_comes_from_the_option_then_the_environment_then_the_agent_file(make, fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_MODEL", "claude-haiku-4-5")
    assert make().model == "claude-haiku-4-5"
    assert make(model="opus").model == "claude-opus-4-6"
    make(use_cache=False).design(TEXT)
    assert fake.requests[-1]["body"]["model"] == "claude-haiku-4-5"
    monkeypatch.delenv("ANTHROPIC_MODEL")
    assert make().model == "claude-sonnet-4-6"  # the bundled agent file's 'sonnet'


# -- usage where the user looks -------------------------------------------------------------
def test_the_design_carries_its_usage_and_shows_it_first(make, fake):
    from dwarf_nb.views.display import mimebundle

    d = make().design(TEXT)
    assert d.usage is not None and d.usage.input_tokens > 0 and d.usage.attempts == 1
    bundle = mimebundle(d)
    assert bundle["text/plain"].splitlines()[0] == d.usage.line()
    assert 'class="dwarf-usage"' in bundle["text/html"] and "output tokens" in bundle["text/html"]
    again = make().design(TEXT)  # from the response cache
    assert again.usage.from_response_cache and "no tokens, $0" in again.usage.line()
    assert get_agent("offline").design(TEXT).usage is None


def test_a_broken_attempt_is_counted_in_the_usage(make, fake):
    fake.push(fa.break_off())
    d = make(max_retries=1).design(TEXT)
    assert d.usage.attempts == 2 and "2 calls" in d.usage.line()
    assert d.usage.output_tokens > 1  # the broken attempt's streamed output is billed too


def test_a_call_that_used_no_prompt_cache_says_so():
    from dwarf_nb.agents.usage import Usage

    assert "the prompt cache was not used" in Usage("claude-sonnet-4-6", input_tokens=900, output_tokens=10).line()
    cached = Usage("claude-sonnet-4-6", input_tokens=900, cache_read_tokens=4000, output_tokens=10).line()
    assert "prompt cache was not used" not in cached


def test_the_store_keeps_the_usage_with_the_version_and_reads_older_stores(make, fake, tmp_path):
    import sqlite3

    old = tmp_path / "old.db"  # a store written before usage was kept
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE designs (name TEXT NOT NULL, version INTEGER NOT NULL, created REAL NOT NULL, "
                   "backend TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, PRIMARY KEY (name, version))")
    db.close()
    import dwarf_nb as dw

    store = Store(old)
    try:
        store.save(dw.design(TEXT, name="studio"))
        d = make().design(TEXT, name="studio")
        assert store.save(d) == 2
        first, second = store.history("studio")
        assert first.usage == "" and second.usage == d.usage.line()
    finally:
        store.close()



def test_a_refine_sends_the_earlier_change_requests_oldest_first(make, fake, store):
    import dwarf_nb as dw

    first = make().design(TEXT)
    dw.refine(first, "add a waitlist for full classes", backend="anthropic", api_key=KEY, base_url=fake.url, store=store,
              history=["switch the broker to RabbitMQ", "add a cache in front of the database"])
    prompt = fake.requests[-1]["body"]["messages"][0]["content"]
    earlier = prompt.split("<earlier_requests>")[1].split("</earlier_requests>")[0]
    assert earlier.index("switch the broker") < earlier.index("add a cache")
    assert "add a waitlist" in prompt.split("<change_request>")[1]
    make().refine(first, "add a waitlist for full classes")  # without history: no earlier block
    assert "<earlier_requests>" not in fake.requests[-1]["body"]["messages"][0]["content"]


def test_the_tool_schema_describes_its_fields_and_lists_the_topics():
    from dwarf_nb.agents.claude import design_tool

    defs = design_tool()["input_schema"]["$defs"]
    assert defs["Decision"]["properties"]["topic"]["enum"] == ["style", "language", "database", "broker", "api_style", "other"]
    for model, field in [("Service", "language"), ("Service", "kind"), ("Component", "technology"), ("Edge", "mode"),
                         ("Decision", "chosen"), ("Decision", "weights")]:
        assert len(defs[model]["properties"][field].get("description", "")) > 10, (model, field)


def test_a_claude_design_works_in_the_tradeoff_tables_like_an_offline_one(make, fake):
    payload = fa.valid_design(decisions=[{
        "title": "Language for api", "topic": "language", "subject": "api", "chosen": "go",
        "weights": {"performance": 2, "dev_speed": 1},
        "options": [{"name": "go", "scores": {"performance": 5, "dev_speed": 3}},
                    {"name": "python", "scores": {"performance": 2, "dev_speed": 5}}]}])
    fake.push(fa.design(payload))
    frame = make().design(TEXT).tradeoffs("languages")
    assert list(frame.index)[:2] == [("api", "go"), ("api", "python")]  # ranked by the weighted total


def test_a_stored_design_with_a_topic_outside_the_list_still_loads():
    d = Design.model_validate({"name": "old", "decisions": [{"title": "Cache", "topic": "caching", "chosen": "redis"}]})
    assert d.decisions[0].topic == "other"



def test_a_short_agent_file_is_below_the_cacheable_length_and_the_usage_says_so(make, fake, tmp_path, monkeypatch):
    short = tmp_path / "short.md"
    short.write_text("---\nname: short\n---\nBe brief.\n")
    # The kit's own schema alone is long enough to cache: a stub tool leaves only the short persona.
    real_tool = claude.design_tool
    monkeypatch.setattr(claude, "design_tool", lambda: {"name": TOOL_NAME, "description": "d",
                                                        "input_schema": {"type": "object"}})
    d = make(agent_file=short).design(TEXT)
    assert d.usage.cache_write_tokens == 0 and "the prompt cache was not used" in d.usage.line()
    monkeypatch.setattr(claude, "design_tool", real_tool)
    assert "prompt cache was not used" not in make().design(TEXT).usage.line()  # the kit's own prefix is cached


def test_the_repair_round_is_a_conversation_the_api_accepts(make, fake):
    fake.push(fa.design(fa.valid_design(edges=[{"source": "nowhere", "target": "db"}])))  # invalid, then valid
    assert make().design(TEXT).backend == "anthropic"
    assert len(fake.requests) == 2  # the second request passed the fake's tool_use/tool_result check
