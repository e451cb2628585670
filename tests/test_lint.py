"""The review rules, one at a time, on small hand-made designs.

Every test starts from BASELINE, a small modular monolith that passes every rule, and
changes the least it takes to trigger (or narrowly not trigger) one rule.
"""

from __future__ import annotations

import copy
import json

import pytest
from markdown_it import MarkdownIt

from dwarf_nb.analysis.lint import _CHECKS, lint, rules
from dwarf_nb.design import Design
from dwarf_nb.errors import DwarfError, InputError


def _svc(name, kind="api", **extra):
    return {
        "name": name,
        "kind": kind,
        "language": "python",
        "responsibility": f"does the {name} work",
        "instances": 2,
        **extra,
    }


def _comp(name, kind, **extra):
    return {"name": name, "kind": kind, "technology": "something proven", "purpose": f"holds {name}", **extra}


def _edge(source, target, mode="sync", **extra):
    return {"source": source, "target": target, "mode": mode, **extra}


BASELINE = {
    "name": "shop",
    "style": "modular_monolith",
    "services": [
        _svc("app", context="shop", publishes=["order.created"]),
        _svc("mailer", kind="worker", context="shop", consumes=["order.created"]),
    ],
    "components": [
        _comp("lb", "load_balancer"),
        _comp("db", "relational_db"),
        _comp("cache", "cache"),
        _comp("broker", "message_broker"),
    ],
    "edges": [
        _edge("clients", "lb"),
        _edge("lb", "app"),
        _edge("app", "db"),
        _edge("app", "cache"),
        _edge("app", "broker", "async"),
        _edge("broker", "mailer", "async"),
        _edge("mailer", "db"),
    ],
    "jobs": [
        {
            "name": "send-confirmation",
            "trigger": "order.created",
            "service": "mailer",
            "retries": 3,
            "dead_letter": "order.created.dead",
        }
    ],
    "capacity": {"reads_per_second": 100, "writes_per_second": 5, "peak_rps": 300, "storage_gb_total": 50},
}


def base() -> dict:
    return copy.deepcopy(BASELINE)


def ids(data: dict, **kwargs) -> set[str]:
    return {f.id for f in lint(Design.model_validate(data), **kwargs).findings}


def only(data: dict, rule: str) -> list:
    return [f for f in lint(Design.model_validate(data)).findings if f.rule == rule]


def add_services(data: dict, *names: str, context_per_service=True, **extra) -> None:
    for name in names:
        data["services"].append(_svc(name, context=name if context_per_service else "shop", **extra))


def test_baseline_passes_every_rule():
    report = lint(Design.model_validate(base()))
    assert report.findings == [] and report.accepted == [] and report.errors == []
    assert "no findings" in report.to_text()


# -- DW01 shared database --------------------------------------------------------------------


def test_dw01_store_reached_by_services_of_different_contexts_is_an_error_in_microservices():
    data = base()
    data["style"] = "microservices"
    add_services(data, "billing")
    data["edges"].append(_edge("billing", "db"))
    [finding] = only(data, "DW01")
    assert finding.id == "DW01@db" and finding.severity == "error"
    assert "app, billing, mailer" in finding.message


def test_dw01_is_only_info_in_a_modular_monolith():
    data = base()
    add_services(data, "billing")
    data["edges"].append(_edge("billing", "db"))
    assert [f.severity for f in only(data, "DW01")] == ["info"]


def test_dw01_respects_a_store_marked_shared_and_services_of_one_context():
    data = base()
    data["style"] = "microservices"
    add_services(data, "billing")
    data["edges"].append(_edge("billing", "db"))
    data["components"][1]["shared"] = True
    assert only(data, "DW01") == []
    # app and mailer alone share db, but both belong to the "shop" context: one owner.
    other = base()
    other["style"] = "microservices"
    assert only(other, "DW01") == []


def test_dw01_counts_readers_of_a_read_replica_as_readers_of_its_primary():
    data = base()
    data["style"] = "microservices"
    add_services(data, "reports")
    data["components"].append(_comp("db-replica", "read_replica", replica_of="db"))
    data["edges"].append(_edge("reports", "db-replica"))
    assert {f.id for f in only(data, "DW01")} == {"DW01@db"}


def test_dw01_ignores_a_cache_every_service_uses():
    data = base()
    data["style"] = "microservices"
    add_services(data, "billing")
    data["edges"].append(_edge("billing", "cache"))
    assert only(data, "DW01") == []


# -- DW02 synchronous cycle ------------------------------------------------------------------


def test_dw02_synchronous_loop_is_an_error_named_by_its_members():
    data = base()
    add_services(data, "billing")
    data["edges"] += [_edge("app", "billing"), _edge("billing", "app")]
    [finding] = only(data, "DW02")
    assert finding.id == "DW02@app+billing" and finding.severity == "error"
    assert "app -> billing -> app" in finding.message


def test_dw02_an_asynchronous_way_back_is_not_a_loop():
    data = base()
    add_services(data, "billing")
    data["edges"] += [_edge("app", "billing"), _edge("billing", "app", "async")]
    assert only(data, "DW02") == []


def test_dw02_components_reading_through_each_other_are_not_a_service_loop():
    data = base()
    data["edges"] += [_edge("cache", "db"), _edge("db", "cache")]
    assert only(data, "DW02") == []
    data["edges"].append(_edge("db", "app"))  # now app waits on db, which waits on app
    assert [f.id for f in only(data, "DW02")] == ["DW02@app+cache+db"]


def test_dw02_a_push_to_the_clients_is_not_a_loop():
    data = base()
    data["edges"].append(_edge("app", "clients"))
    assert only(data, "DW02") == []


# -- DW03 long synchronous chain -------------------------------------------------------------


def test_dw03_three_service_hops_are_a_warning_starting_at_the_first_caller():
    data = base()
    add_services(data, "b", "c", "d")
    data["edges"] += [_edge("app", "b"), _edge("b", "c"), _edge("c", "d")]
    [finding] = only(data, "DW03")
    assert finding.id == "DW03@app" and finding.severity == "warning"
    assert "3 synchronous service-to-service calls: app -> b -> c -> d" in finding.message


def test_dw03_two_hops_and_gateway_hops_are_fine():
    data = base()
    add_services(data, "b", "c")
    data["services"].append(_svc("edge-gw", kind="gateway"))
    data["edges"] = [e for e in data["edges"] if e["target"] != "app"]
    data["edges"] += [_edge("lb", "edge-gw"), _edge("edge-gw", "app"), _edge("app", "b"), _edge("b", "c")]
    assert only(data, "DW03") == []


def test_dw03_stated_latency_over_the_p95_budget_is_reported_with_its_path():
    data = base()
    data["edges"][2]["latency_ms"] = 250  # app -> db
    [finding] = only(data, "DW03")
    assert finding.id == "DW03@design"
    assert "clients -> lb -> app -> db" in finding.message and "277 ms" in finding.message
    data["slos"] = {"p95_latency_ms": 300}
    assert only(data, "DW03") == []


def test_dw03_default_latency_of_a_slow_kind_counts_when_none_is_stated():
    data = base()
    data["components"].append(_comp("warehouse", "analytics"))
    data["edges"].append(_edge("app", "warehouse"))
    assert [f.id for f in only(data, "DW03")] == ["DW03@design"]


# -- DW04 hub service ------------------------------------------------------------------------


def test_dw04_six_callers_make_a_hub_five_do_not():
    data = base()
    callers = [f"caller{i}" for i in range(6)]
    add_services(data, *callers)
    data["edges"] += [_edge(c, "app", "async") for c in callers[:5]]
    assert only(data, "DW04") == []
    data["edges"].append(_edge(callers[5], "app", "async"))
    [finding] = only(data, "DW04")
    assert finding.id == "DW04@app" and "called directly by 6 services" in finding.message


def test_dw04_fan_out_counts_for_services_but_not_for_gateways():
    data = base()
    callees = [f"callee{i}" for i in range(6)]
    add_services(data, *callees)
    data["services"].append(_svc("edge-gw", kind="gateway"))
    data["edges"] += [_edge("edge-gw", c) for c in callees] + [_edge("app", c, "async") for c in callees]
    assert [f.id for f in only(data, "DW04")] == ["DW04@app"]


def test_dw04_a_service_both_called_and_calling_too_much_gets_one_finding_naming_both():
    data = base()
    others = [f"peer{i}" for i in range(6)]
    add_services(data, *others)
    data["edges"] += [_edge(p, "app", "async") for p in others] + [_edge("app", p, "async") for p in others]
    [finding] = only(data, "DW04")
    assert "called directly by 6 services" in finding.message and "calls 6 services directly" in finding.message
    rationale = next(rule.rationale for rule in rules() if rule.id == "DW04")
    assert finding.message.count(rationale) == 1 and finding.message.endswith(rationale)


# -- DW05 availability -----------------------------------------------------------------------


def test_dw05_single_instance_on_the_request_path_is_a_warning():
    data = base()
    data["services"][0]["instances"] = 1
    found = {f.id: f for f in only(data, "DW05")}
    assert "DW05@app" in found and found["DW05@app"].severity == "warning"
    assert "single instance" in found["DW05@app"].message


def test_dw05_single_instance_worker_off_the_request_path_is_fine():
    data = base()
    data["services"][1]["instances"] = 1
    assert only(data, "DW05") == []


def test_dw05_single_instance_is_fine_when_the_target_is_low():
    data = base()
    data["services"][0]["instances"] = 1
    data["slos"] = {"availability": 0.99}
    assert only(data, "DW05") == []


def test_dw05_single_node_database_without_replica_is_a_warning():
    data = base()
    data["components"][1]["technology"] = "SQLite 3"
    found = {f.id: f for f in only(data, "DW05")}
    assert "SQLite 3" in found["DW05@db"].message and "one machine" in found["DW05@db"].message
    # ... and at one instance's availability it drags the whole path under the target.
    assert set(found) == {"DW05@db", "DW05@design"} and "lb -> app -> db" in found["DW05@design"].message
    data["components"].append(_comp("db-copy", "read_replica", replica_of="db"))
    assert only(data, "DW05") == []


def test_dw05_path_availability_below_the_target_names_the_weakest_path():
    data = base()
    data["slos"] = {"availability": 0.9999}
    [finding] = only(data, "DW05")
    assert finding.id == "DW05@design"
    # lb 99.995% x app (two instances, 99.9975%) x relational db 99.98% = 99.9725%
    assert "clients -> lb -> app -> db" in finding.message and "99.973%" in finding.message
    data["slos"] = {"availability": 0.9995}
    assert only(data, "DW05") == []


# -- DW06 unprotected background work --------------------------------------------------------


@pytest.mark.parametrize(
    "change, words",
    [({"retries": 0}, "no retries"), ({"dead_letter": None}, "no dead-letter destination")],
)
def test_dw06_job_without_retries_or_dead_letter_is_an_error(change, words):
    data = base()
    data["jobs"][0].update(change)
    [finding] = only(data, "DW06")
    assert finding.id == "DW06@send-confirmation" and finding.severity == "error"
    assert words in finding.message


def test_dw06_consumer_without_a_job_for_its_topic_is_an_error():
    data = base()
    data["services"][1]["consumes"].append("order.cancelled")
    [finding] = only(data, "DW06")
    assert finding.id == "DW06@mailer" and "order.cancelled" in finding.message
    assert "order.created" not in finding.message.split(" but ")[0]


def test_dw06_a_labelled_trigger_names_the_same_topic():
    data = base()
    data["jobs"][0]["trigger"] = "topic: order.created"
    assert only(data, "DW06") == []
    data["jobs"][0]["service"] = "app"  # a job of another service does not cover mailer's topic
    assert [f.id for f in only(data, "DW06")] == ["DW06@mailer"]


def test_dw06_worker_with_no_declared_work_is_an_error_until_it_runs_a_job():
    data = base()
    data["services"].append(_svc("thumbnails", kind="worker", context="shop"))
    data["edges"].append(_edge("thumbnails", "db"))
    [finding] = only(data, "DW06")
    assert (
        finding.id == "DW06@thumbnails"
        and "neither consumes a topic nor runs a declared job" in finding.message
    )
    data["jobs"].append(
        {
            "name": "resize",
            "trigger": "cron: */5 * * * *",
            "service": "thumbnails",
            "retries": 2,
            "dead_letter": "resize.failed",
        }
    )
    assert only(data, "DW06") == []


# -- DW07 read-heavy without a cache ---------------------------------------------------------


def _without_cache(data: dict) -> dict:
    data["components"] = [c for c in data["components"] if c["kind"] != "cache"]
    data["edges"] = [e for e in data["edges"] if e["target"] != "cache"]
    return data


def test_dw07_read_heavy_store_without_cache_is_a_warning():
    [finding] = only(_without_cache(base()), "DW07")
    assert finding.id == "DW07@db" and finding.severity == "warning"
    assert "20 reads per write" in finding.message and "app" in finding.message


def test_dw07_balanced_workload_needs_no_cache():
    data = _without_cache(base())
    data["capacity"]["writes_per_second"] = 50
    assert only(data, "DW07") == []


def test_dw07_a_light_read_load_needs_no_cache_however_lopsided():
    data = _without_cache(base())
    data["capacity"].update(reads_per_second=20, writes_per_second=0)
    data["traits"] = [{"name": "read_heavy"}]
    assert only(data, "DW07") == []


def test_dw07_read_heavy_trait_counts_when_no_figures_are_known():
    data = _without_cache(base())
    data["capacity"] = {}
    assert only(data, "DW07") == []
    data["traits"] = [{"name": "read-heavy", "evidence": "mostly browsing"}]
    assert [f.id for f in only(data, "DW07")] == ["DW07@db"]


def test_dw07_a_cdn_in_front_of_the_reader_relieves_the_store():
    data = _without_cache(base())
    data["components"].append(_comp("edge-cdn", "cdn"))
    data["edges"] = [e for e in data["edges"] if e["target"] != "lb"] + [
        _edge("clients", "edge-cdn"),
        _edge("edge-cdn", "lb"),
    ]
    assert only(data, "DW07") == []


# -- DW08 exposure ---------------------------------------------------------------------------


def test_dw08_datastore_reached_from_clients_or_marked_public_is_an_error():
    data = base()
    data["edges"].append(_edge("clients", "db"))
    data["components"][2]["public"] = True  # the cache
    found = {f.id: f.severity for f in only(data, "DW08")}
    assert found == {"DW08@db": "error", "DW08@cache": "error"}


def test_dw08_object_storage_behind_signed_urls_may_face_clients():
    data = base()
    data["components"].append(_comp("media", "object_storage"))
    data["edges"].append(_edge("clients", "media"))
    assert only(data, "DW08") == []


def test_dw08_several_exposed_services_need_a_gateway():
    data = base()
    add_services(data, "search")
    data["edges"].append(_edge("lb", "search"))
    [finding] = only(data, "DW08")
    assert finding.id == "DW08@edge" and "app, search" in finding.message
    data["components"].append(_comp("gw", "api_gateway"))
    data["edges"] = [e for e in data["edges"] if e["source"] != "lb"] + [
        _edge("lb", "gw"),
        _edge("gw", "app"),
        _edge("gw", "search"),
    ]
    assert only(data, "DW08") == []


# -- DW09 distributed monolith ---------------------------------------------------------------


def test_dw09_shared_store_plus_synchronous_loop_is_a_distributed_monolith():
    data = base()
    data["style"] = "microservices"
    add_services(data, "billing")
    data["edges"].append(_edge("billing", "db"))
    assert only(data, "DW09") == []  # sharing alone is DW01's business
    data["edges"] += [_edge("app", "billing"), _edge("billing", "app")]
    [finding] = only(data, "DW09")
    assert finding.id == "DW09@design" and finding.severity == "error"
    assert "db" in finding.message and "DW02@app+billing" in finding.message


def test_dw09_does_not_apply_to_a_modular_monolith():
    data = base()
    add_services(data, "billing")
    data["edges"] += [_edge("billing", "db"), _edge("app", "billing"), _edge("billing", "app")]
    assert only(data, "DW09") == []


# -- DW10 incomplete elements ----------------------------------------------------------------


def test_dw10_missing_technology_purpose_or_connection_is_info():
    data = base()
    data["components"][1]["technology"] = ""
    data["components"].append(_comp("orphan", "search_index"))
    found = {f.id: f for f in only(data, "DW10")}
    assert set(found) == {"DW10@db", "DW10@orphan"}
    assert all(f.severity == "info" for f in found.values())
    assert "no technology" in found["DW10@db"].message
    assert "no connection" in found["DW10@orphan"].message


# -- DW12 parts without a reason -------------------------------------------------------------


def _with_brief(data: dict) -> dict:
    data["brief"] = {"needs": [{"id": "need.keyword_search", "name": "keyword_search", "evidence": "search by title"}]}
    for part in [*data["services"], *data["components"], *data.get("jobs", [])]:
        part["because"] = ["need.keyword_search"]
    return data


def test_dw12_a_part_that_cites_nothing_or_an_unknown_fact_is_flagged():
    data = _with_brief(base())
    data["components"][-1]["because"] = []
    data["services"][0]["because"] = ["need.teleportation"]
    found = {f.target: f for f in only(data, "DW12")}
    assert set(found) == {data["components"][-1]["name"], data["services"][0]["name"]}
    assert "no fact of the brief" in found[data["components"][-1]["name"]].message
    assert "facts the brief does not hold" in found[data["services"][0]["name"]].message
    assert all(f.severity == "info" for f in found.values())


def test_dw12_is_quiet_when_every_part_cites_a_fact_and_for_designs_without_a_brief():
    assert only(_with_brief(base()), "DW12") == []
    assert only(base(), "DW12") == []


# -- DW11 over-engineering -------------------------------------------------------------------


def test_dw11_broker_and_many_services_for_a_tiny_load():
    data = base()
    data["capacity"] = {"peak_rps": 5, "storage_gb_total": 2}
    [finding] = only(data, "DW11")
    assert finding.id == "DW11@broker" and "peaks at 5 requests per second" in finding.message
    assert "jobs table" in finding.fix
    add_services(data, "a", "b")
    assert {f.id for f in only(data, "DW11")} == {"DW11@broker", "DW11@services"}


def test_dw11_needs_a_known_small_load():
    data = base()
    data["capacity"] = {}  # no estimate: nothing to judge against
    assert only(data, "DW11") == []
    data["capacity"] = {"peak_rps": 5, "storage_gb_total": 5000}
    assert only(data, "DW11") == []


# -- suppressions ----------------------------------------------------------------------------


def _single_instance() -> Design:
    data = base()
    data["services"][0]["instances"] = 1
    return Design.model_validate(data)


def test_suppressed_finding_moves_to_accepted_with_its_reason():
    report = lint(_single_instance(), suppress={"DW05@app": "one instance until launch"})
    assert "DW05@app" not in {f.id for f in report.findings}
    [accepted] = report.accepted
    assert (accepted.id, accepted.accepted, accepted.reason) == (
        "DW05@app",
        True,
        "one instance until launch",
    )
    assert "one instance until launch" in report.to_text()


def test_a_bare_rule_id_accepts_every_finding_of_that_rule():
    data = base()
    data["services"][0]["instances"] = 1
    data["slos"] = {"availability": 0.9999}
    report = lint(Design.model_validate(data), suppress={"DW05": "availability reviewed separately"})
    assert {f.id for f in report.accepted} == {"DW05@app", "DW05@design"}
    assert not [f for f in report.findings if f.rule == "DW05"]


def test_a_suppression_matching_nothing_is_listed_not_applied():
    report = lint(_single_instance(), suppress={"DW01@nothing": "typo"})
    assert report.unused_suppressions == {"DW01@nothing": "typo"}
    assert "DW05@app" in {f.id for f in report.findings}
    assert "DW01@nothing" in report.to_text()


def test_suppress_must_be_a_mapping_of_ids_to_reasons():
    with pytest.raises(InputError) as err:
        lint(_single_instance(), suppress=["DW05@app"])
    assert isinstance(err.value, DwarfError) and "\n" not in str(err.value)
    assert "DW01@orders-db" in str(err.value)


def test_ids_survive_regeneration_in_another_order():
    data = base()
    data["style"] = "microservices"
    add_services(data, "billing")
    data["edges"] += [_edge("billing", "db"), _edge("app", "billing"), _edge("billing", "app")]
    first = ids(data)
    for key in ("services", "components", "edges"):
        data[key].reverse()
    assert ids(data) == first and {"DW01@db", "DW02@app+billing", "DW09@design"} <= first


# -- renderings ------------------------------------------------------------------------------


def test_json_lists_every_finding_with_its_fields():
    report = lint(_single_instance(), suppress={"DW05@app": "later"})
    data = json.loads(report.to_json())
    assert data["design"] == "shop" and data["counts"]["accepted"] == 1
    [entry] = [f for f in data["findings"] if f["id"] == "DW05@app"]
    assert entry == {
        "id": "DW05@app",
        "rule": "DW05",
        "target": "app",
        "severity": "warning",
        "title": "Availability risk",
        "message": entry["message"],
        "fix": entry["fix"],
        "accepted": True,
        "reason": "later",
    }
    assert entry["message"] and entry["fix"].startswith("Run app with at least two instances")


def test_html_and_markdown_escape_what_the_user_wrote():
    reason = "<script>alert(1)</script> | *not bold*"
    report = lint(_single_instance(), suppress={"DW05@app": reason})
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    markdown = report.to_markdown()
    assert "\\| \\*not bold\\*" in markdown
    assert "<script>" not in MarkdownIt("commonmark").enable("table").render(markdown)
    row = next(line for line in markdown.splitlines() if "DW05@app" in line)
    assert row.count(" | ") == 2  # the reason's own bar does not open a fourth column


def test_design_text_quoted_in_a_message_is_escaped():
    data = base()
    data["components"][1]["technology"] = '<img src=x onerror="alert(1)"> | SQLite'
    report = lint(Design.model_validate(data))
    assert any("<img" in f.message for f in report.findings)  # the plain message quotes it as written
    assert (
        "<img" not in report._repr_html_()
        and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in report._repr_html_()
    )
    rendered = MarkdownIt("commonmark").enable("table").render(report.to_markdown())
    assert "<img" not in rendered and "&lt;img src=x" in rendered
    # Every row keeps its four cells: the technology's own bar does not open a fifth.
    assert {row.count("<td>") for row in rendered.split("<tr>")[2:]} == {4}


def test_markdown_table_has_one_row_per_active_finding():
    data = _without_cache(base())
    data["jobs"][0]["retries"] = 0
    report = lint(Design.model_validate(data))
    rows = [
        line
        for line in report.to_markdown().splitlines()
        if line.startswith("| error") or line.startswith("| warning")
    ]
    assert len(rows) == len(report.findings) == 2
    assert rows[0].startswith("| error | DW06@send-confirmation")


def test_clean_design_renders_a_clear_pass_everywhere():
    report = lint(Design.model_validate(base()))
    assert "no findings" in report.to_text()
    assert "passes every review rule" in report.to_markdown()
    assert json.loads(report.to_json())["findings"] == []


# -- the catalog -----------------------------------------------------------------------------


def test_catalog_has_every_rule_with_its_words():
    catalog = {rule.id: rule for rule in rules()}
    assert set(catalog) == set(_CHECKS) == {f"DW{i:02d}" for i in range(1, 13)}
    for rule in catalog.values():
        assert rule.severity in ("error", "warning", "info")
        assert rule.title and rule.rationale.endswith(".") and rule.fix


def test_a_loop_with_two_equally_short_ways_back_is_reported_the_same_in_any_edge_order():
    services = [{"name": n, "kind": "api"} for n in ("s0", "s1", "s2")]
    edges = [{"source": "s0", "target": "c0"}, {"source": "s1", "target": "c0"}, {"source": "s2", "target": "s0"},
             {"source": "s2", "target": "s1"}, {"source": "c0", "target": "s2"}]
    data = {"name": "loop", "services": services, "components": [{"name": "c0", "kind": "relational_db"}], "edges": edges}
    forward = only(data, "DW02")
    backward = only({**data, "edges": edges[::-1]}, "DW02")
    assert forward == backward and "c0 -> s2 -> s0 -> c0" in forward[0].message
