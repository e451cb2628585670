"""Every exported artifact passes the real tool made to check it.

schema.sql: pglast parses it and a throwaway PostgreSQL server applies it with psql, and the
queries the skeletons send prepare against it; openapi/*.yaml: openapi-spec-validator (3.1);
docker-compose.yml: the Compose specification's JSON Schema (vendored by check-jsonschema);
skeletons: ast for Python, tree-sitter grammars for Go, TypeScript, Java, Kotlin, Rust, C#, PHP, Ruby and Elixir,
`node --check` for JavaScript; ADRs: the MADR sections.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess

import pglast
import pytest
import yaml
from export_checks import compose_schema_validator, syntax_errors
from export_designs import DESIGN_IDS, get
from export_samples import HOSTILE_TEXT, hostile_design, rich_design
from pgserver import postgres  # noqa: F401 - the session-wide server fixture

from dwarf_nb.views import adr, compose, openapi, skeletons, sql
from dwarf_nb.views.artifacts import profile

MADR_SECTIONS = ["Status", "Context and Problem Statement", "Decision Drivers", "Considered Options",
                 "Decision Outcome", "Consequences"]


# -- schema.sql -------------------------------------------------------------------------------
@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_schema_parses_with_pglast(design_id):
    text = sql.schema_sql(get(design_id))
    statements = pglast.parse_sql(text)
    design = get(design_id)
    tables = [s for s in statements if type(s.stmt).__name__ == "CreateStmt" and s.stmt.partbound is None]
    assert len(tables) == len(sql.plan(design).tables)


def _psql(postgres, database: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(postgres.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", postgres.dsn(database), *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.postgres
@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_schema_applies_to_postgres(postgres, design_id, tmp_path):  # noqa: F811
    design = get(design_id)
    database = "x_" + re.sub(r"\W", "_", design_id)
    postgres.create_database(database)
    script = tmp_path / "schema.sql"
    script.write_text(sql.schema_sql(design))
    result = _psql(postgres, database, "-f", str(script))
    assert result.returncode == 0, result.stderr
    plan = sql.plan(design)
    listed = _psql(postgres, database, "-A", "-t", "-c",
                   "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')")
    assert int(listed.stdout.strip()) == len(plan.tables)


@pytest.mark.postgres
def test_skeleton_queries_prepare_against_the_schema(postgres, tmp_path):  # noqa: F811
    design = rich_design()
    postgres.create_database("queries")
    script = tmp_path / "schema.sql"
    script.write_text(sql.schema_sql(design))
    assert _psql(postgres, "queries", "-f", str(script)).returncode == 0
    fastapi = profile(design.service("svc-0"))
    statements = []
    for table in sql.plan(design).tables:
        for name, text in skeletons._queries(design, fastapi, table).items():
            statements.append(f"PREPARE q_{len(statements)} AS {text};")
    result = _psql(postgres, "queries", "-c", "\n".join(statements))
    assert result.returncode == 0, result.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("service", ["svc-1", "svc-2", "svc-9", "svc-10"])  # Django, Flask, Spring (Java, Kotlin)
def test_positional_placeholders_bind_the_update_in_the_order_the_skeleton_passes(postgres, tmp_path, service):  # noqa: F811
    design = rich_design()
    db = f"positional_{service.replace('-', '_')}"
    postgres.create_database(db)
    script = tmp_path / "schema.sql"
    script.write_text(sql.schema_sql(design))
    assert _psql(postgres, db, "-f", str(script)).returncode == 0
    sk = skeletons.skeleton(design, design.service(service))
    line = next(line for line in sk.code.splitlines() if "UPDATE" in line)
    statement = next(text for text in skeletons._queries(design, profile(design.service(service)),
                                                        sql.plan(design).tables[0]).values() if text.startswith("UPDATE"))
    marker = "%s" if "%s" in statement else "?"
    args = line.rsplit(marker, 1)[-1]  # what the skeleton passes after the statement, in order
    order = sorted(["body", "id"], key=lambda a: args.find("json" if a == "body" else "id"))
    values = {"body": """'{"order": "changed"}'""", "id": "'00000000-0000-0000-0000-000000000001'"}
    for arg in order:
        statement = statement.replace(marker, values[arg], 1)
    table = sql.plan(design).tables[0].qualified
    result = _psql(postgres, db, "-A", "-t", "-c",
                   f"INSERT INTO {table} (\"id\", \"order\", \"price\", \"created_at\", \"email\") "
                   f"VALUES ({values['id']}, 'first', 1, now(), 'a@b.c'); "
                   f"{statement}; SELECT \"order\" FROM {table};")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "changed"


@pytest.mark.postgres
def test_hostile_field_names_become_exact_columns(postgres, tmp_path):  # noqa: F811
    postgres.create_database("hostile")
    script = tmp_path / "schema.sql"
    script.write_text(sql.schema_sql(hostile_design()))
    assert _psql(postgres, "hostile", "-f", str(script)).returncode == 0, "hostile schema did not apply"
    columns = _psql(postgres, "hostile", "-A", "-t", "-c",
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'user' ORDER BY ordinal_position")
    names = columns.stdout.splitlines()
    assert 'drop table "x"; --' in names
    assert " ".join(HOSTILE_TEXT.split()).encode()[:63].decode("utf-8", "ignore").strip() in names
    assert "x" * 63 in names  # 80 x's cut to PostgreSQL's 63-byte limit; the 70-x twin is dropped


# -- OpenAPI ------------------------------------------------------------------------------------
@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_openapi_documents_validate(design_id):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    design = get(design_id)
    for name, text in openapi.documents(design).items():
        document = yaml.safe_load(text)
        assert document["openapi"].startswith("3.1")
        validate(document, cls=OpenAPIV31SpecValidator)
        service = design.service(name.removeprefix("openapi/").removesuffix(".yaml"))
        assert {"/health", "/ready"} <= set(document["paths"])
        operations = sum(len(methods) for methods in document["paths"].values())
        assert operations >= 2 + len({(e.method, e.path) for e in service.endpoints}) - len(
            [e for e in service.endpoints if e.path in ("/health", "/ready", "/metrics")]) - _merged(service)


def _merged(service) -> int:
    """Endpoints that clean to the same method and path as an earlier one (merged in the spec)."""
    from dwarf_nb.views.artifacts import clean_path

    seen, merged = set(), 0
    for e in service.endpoints:
        key = (e.method, clean_path(e.path)[0])
        merged += key in seen
        seen.add(key)
    return merged


def test_openapi_paths_use_template_syntax():
    spec = openapi.spec(rich_design(), rich_design().service("svc-0"))
    assert "/thing0s/{id}" in spec["paths"] and set(spec["paths"]["/thing0s/{id}"]) == {"get", "patch", "delete"}
    hostile = openapi.spec(hostile_design(), hostile_design().service("table"))
    # A space made safe, '<script>' read as a Flask-style parameter, the keyword parameter renamed
    # (twice, since it repeats), the query string dropped.
    assert "/a-b/{script}/{class_param}/{class_param_2}" in hostile["paths"]


# -- docker-compose.yml ---------------------------------------------------------------------------
@pytest.fixture
def compose_validator():
    return compose_schema_validator()


@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_compose_file_matches_the_compose_specification(compose_validator, design_id):
    design = get(design_id)
    document = yaml.safe_load(compose.compose_yaml(design))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in compose_validator.iter_errors(document)]
    assert errors == []
    containers = set(document["services"])
    managed = set(document.get("x-dwarf-managed", {}))
    assert {s.name for s in design.services} <= containers
    assert {c.name for c in design.components} == (containers | managed) - {s.name for s in design.services}


def test_compose_wires_services_to_their_components():
    document = compose.compose(rich_design())
    svc = document["services"]["svc-0"]
    assert svc["environment"]["MAIN_DB_URL"].startswith("postgresql://app:${POSTGRES_PASSWORD:-app}@main-db:5432/")
    assert svc["environment"]["CACHE_URL"] == "redis://cache:6379"
    assert svc["depends_on"]["main-db"] == {"condition": "service_healthy"}
    assert document["services"]["events"]["environment"]["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://events:9092"
    assert "edge" in document["x-dwarf-managed"]  # a CDN has no local container


def test_compose_schema_catches_a_broken_file(compose_validator):
    broken = compose.compose(rich_design())
    broken["services"]["svc-0"]["depends_on"] = {"main-db": {"condition": "when_ready"}}
    assert list(compose_validator.iter_errors(broken))


# -- skeletons ----------------------------------------------------------------------------------
@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_skeletons_parse_in_their_language(design_id, tmp_path):
    design = get(design_id)
    for service in design.services:
        sk = skeletons.skeleton(design, service)
        if sk is None:
            continue
        if sk.language == "python":
            ast.parse(sk.code, filename=f"{service.name}.py")
        else:
            assert syntax_errors(sk.language, sk.code) == [], f"{service.name} ({sk.framework})"
        if sk.language == "javascript" and shutil.which("node"):
            path = tmp_path / f"{service.name}.js"
            path.write_text(sk.code)
            result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr


def test_the_syntax_check_catches_a_broken_skeleton():
    code = skeletons.skeleton(rich_design(), rich_design().service("svc-11")).code  # Rust
    assert syntax_errors("rust", code) == []
    assert syntax_errors("rust", code.replace(".await?;", ".await?", 1)) != []


def test_skeletons_show_real_routes_and_calls():
    design = rich_design()
    code = {s.name: skeletons.skeleton(design, s).code for s in design.services if skeletons.skeleton(design, s)}
    assert '@GetMapping("/thing9s/{id}")' in code["svc-9"]  # Spring, Java
    assert 'app.MapDelete("/thing12s/{id}"' in code["svc-12"]  # ASP.NET Core
    assert '.route("/thing11s/{id}", get(get_thing11s_by_id).patch(patch_thing11s_by_id)' in code["svc-11"]  # Axum
    assert 'mux.HandleFunc("PATCH "+"/thing8s/{id}"' in code["svc-8"]  # Go 1.22 routing
    assert "@Patch(\"/thing3s/:id\")" in code["svc-3"]  # NestJS
    assert 'path("thing1s/<str:id>/", get_thing1s_by_id)' in code["svc-1"]  # Django
    assert 'await app.state.cache.set(key, json.dumps(result, default=str), ex=300)' in code["svc-0"]
    assert 'publish("thing0.created", {"action": "create"})' in code["svc-0"]
    assert 'Subscribe("order.placed", s.handleOrderPlaced, events.Retry(5), events.DeadLetter("order.placed.dlq"))' in code["order-worker"]


def test_hostile_strings_cannot_break_out_of_a_literal():
    design = hostile_design()
    for service in design.services:
        sk = skeletons.skeleton(design, service)
        if sk.language == "python":
            ast.parse(sk.code)
        else:
            assert syntax_errors(sk.language, sk.code) == [], service.name
    kotlin = skeletons.skeleton(design, design.service("where")).code
    assert '"price.\\$changed"' not in kotlin or "\\$" in kotlin  # `$` never starts a Kotlin template
    assert skeletons.literal("a$b", "kotlin") == '"a\\$b"'
    assert skeletons.literal('say "hi"\\n', "go") == '"say \\"hi\\"\\\\n"'


@pytest.mark.parametrize("language", ["php", "ruby", "elixir"])
def test_hostile_strings_stay_literal_in_php_ruby_and_elixir(language):
    base = hostile_design()
    services = [s.model_copy(update={"language": language, "framework": ""}) for s in base.services]
    design = base.model_copy(update={"services": services})
    for service in design.services:
        sk = skeletons.skeleton(design, service)
        assert sk.language == language
        assert syntax_errors(language, sk.code) == [], service.name
        assert "?>" not in sk.code.split("\n", 1)[1] or language != "php"
    assert skeletons.literal("#{system('x')}", "ruby") == '"\\#{system(\'x\')}"'
    assert skeletons.literal("#{x}", "elixir") == '"\\#{x}"'
    assert skeletons.literal("it's $x {$y}", "php") == "'it\\'s $x {$y}'"
    assert "?>" not in skeletons.comment("ends ?> here")


def test_dockerfiles_for_every_language():
    for language in ("python", "typescript", "go", "java", "kotlin", "rust", "csharp", "php", "ruby", "elixir"):
        text = skeletons.dockerfile(rich_design(), language)
        assert re.search(r"^FROM \S+ AS build$", text, re.M) and "EXPOSE" in text or "ENTRYPOINT" in text


# -- ADRs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("design_id", DESIGN_IDS)
def test_every_adr_has_the_madr_sections(design_id):
    design = get(design_id)
    records = adr.records(design)
    assert len(records) == len(design.decisions)
    for index, (name, text) in enumerate(records.items(), start=1):
        assert re.fullmatch(r"adr/\d{4}-[a-z0-9-]+\.md", name) and name.startswith(f"adr/{index:04d}-")
        front, body = text.split("\n---\n", 1)
        assert yaml.safe_load(front.removeprefix("---\n"))["status"] == design.decisions[index - 1].status
        headings = re.findall(r"^#{2,3} (.+)$", body, re.M)
        assert [h for h in headings if h in MADR_SECTIONS] == MADR_SECTIONS
        for section in MADR_SECTIONS:
            part = body.split(f" {section}\n", 1)[1].split("\n#", 1)[0]
            assert part.strip(), f"{name}: empty {section}"


def test_a_framework_without_template_is_drawn_with_a_sibling_and_said_so():
    from dwarf_nb.design import Design

    design = Design.model_validate({"name": "echo", "services": [{"name": "api", "language": "golang", "framework": "Echo"}]})
    sk = skeletons.skeleton(design, design.service("api"))
    assert (sk.language, sk.framework) == ("go", "Gin")
    assert sk.note == "no template for 'Echo': drawn with Gin"
    assert skeletons.skeleton(design.model_copy(update={"services": [design.services[0].model_copy(update={"language": "COBOL"})]}),
                              design.services[0].model_copy(update={"language": "COBOL"})) is None
