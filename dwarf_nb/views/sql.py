"""schema.sql: PostgreSQL DDL for the entities kept in the design's relational stores.

`plan(design)` decides tables, keys, indexes and partitions (the document describes the same
plan); `schema_sql(design)` writes it. Every identifier is double-quoted with
`escape.sql_identifier`, so reserved words and odd field names are safe, and every reference is
checked before it becomes a foreign key: one the schema cannot honour (a missing entity or
field, another store, a partitioned target) stays a comment instead of breaking the script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..design import Design, Entity
from .artifacts import RELATIONAL_KINDS, field_type, snake, unique
from .escape import one_line, sql_identifier, sql_literal

MAX_IDENTIFIER_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1; longer names are silently cut
HASH_PARTITIONS = 4
TIME_TYPES = ("timestamptz", "date", "time")
DEFAULT_SCHEMA = "app"


@dataclass
class Column:
    name: str
    source: str  # the field name in the design
    sql: str
    nullable: bool
    unique: bool
    indexed: bool
    default: str = ""
    references: Optional[str] = None


@dataclass
class ForeignKey:
    table: "Table"
    column: str
    target: "Table"
    target_column: str


@dataclass
class Table:
    schema: str
    name: str
    entity: Entity
    columns: list[Column]
    primary_key: list[str]
    partition_column: Optional[str] = None
    partition_method: str = ""
    partitions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def qualified(self) -> str:
        return f"{sql_identifier(self.schema)}.{sql_identifier(self.name)}"

    def column(self, name: str) -> Optional[Column]:
        for col in self.columns:
            if col.name == name or col.source == name:
                return col
        return None

    def indexes(self) -> list[list[str]]:
        """Column lists needing their own index: flagged fields and foreign keys not led by a key."""
        covered = {self.primary_key[0]} if self.primary_key else set()
        out = []
        for col in self.columns:
            if col.name in covered or (col.unique and not self.partition_column):
                continue
            if col.indexed or col.references:
                out.append([col.name])
                covered.add(col.name)
        return out


@dataclass
class SchemaPlan:
    tables: list[Table]
    foreign_keys: list[ForeignKey]
    elsewhere: list[tuple[Entity, str]]  # entities kept in a non-relational store, and where
    notes: list[str]


def pg_name(text: object, default: str) -> str:
    """A name PostgreSQL keeps as written: no control characters, at most 63 bytes."""
    name = one_line(text).replace("\x00", "")
    encoded = name.encode("utf-8")[:MAX_IDENTIFIER_BYTES]
    name = encoded.decode("utf-8", "ignore").strip()
    return name or default


def _schema_of(design: Design, ent: Entity) -> Optional[str]:
    """The relational store (schema name) holding an entity, or None when it lives elsewhere."""
    relational = [c for c in design.components if c.kind == "relational_db"]
    if ent.store is None:
        owned = {e.store for e in design.entities if e.owner and e.owner == ent.owner and e.store}
        for comp in relational:
            if comp.name in owned:
                return comp.name
        return relational[0].name if relational else DEFAULT_SCHEMA
    comp = design.component(ent.store)
    if comp.kind == "read_replica" and comp.replica_of:
        comp = design.component(comp.replica_of)
    return comp.name if comp.kind in RELATIONAL_KINDS else None


def _find_entity(design: Design, text: str) -> Optional[Entity]:
    key = snake(text, "")
    candidates = [key, key[:-1] if key.endswith("s") else key, key[:-3] + "y" if key.endswith("ies") else key]
    by_key = {snake(e.name, ""): e for e in design.entities}
    for cand in candidates:
        if cand in by_key:
            return by_key[cand]
    return None


def _split_reference(text: str) -> tuple[str, Optional[str]]:
    """'user.id', 'users(id)', 'user' -> (entity text, column text or None)."""
    match = re.match(r"^\s*([^.(]+?)\s*(?:[.(]\s*([^)]*?)\s*\)?)?\s*$", text or "")
    if not match:
        return text, None
    return match.group(1), (match.group(2) or None)


def _table(design: Design, ent: Entity, schema: str, taken: set[str]) -> Table:
    table = Table(schema, unique(pg_name(ent.name, "entity"), taken, MAX_IDENTIFIER_BYTES), ent, [], [])
    names: set[str] = set()
    for index, fld in enumerate(ent.fields, start=1):
        name = pg_name(fld.name, f"field_{index}")
        if name in names:
            table.notes.append(f"field {one_line(fld.name)!r} appears twice; the first one is kept")
            continue
        names.add(name)
        kind = field_type(fld.type)
        table.columns.append(
            Column(name, fld.name, kind["sql"], fld.nullable and not fld.primary_key, fld.unique, fld.indexed,
                   references=fld.references)
        )
    keys = [c.name for c in table.columns if any(f.primary_key and pg_name(f.name, "") == c.name for f in ent.fields)]
    if not keys:
        id_col = table.column("id")
        if id_col is None:
            table.columns.insert(0, Column("id", "id", "uuid", False, False, False, "gen_random_uuid()"))
            table.notes.append("no primary key in the design: a surrogate uuid key \"id\" was added")
        keys = ["id"]
    for col in table.columns:
        if col.name in keys:
            col.nullable = False
            if len(keys) == 1 and not col.references:
                col.default = {"uuid": "gen_random_uuid()"}.get(col.sql, col.default)
    table.primary_key = keys
    _partition(design, table)
    return table


def _partition(design: Design, table: Table) -> None:
    wanted = table.entity.partition_by
    if not wanted:
        return
    col = table.column(wanted) or table.column(snake(wanted, ""))
    if col is None:
        table.notes.append(f"partition key {one_line(wanted)!r} is not a field of this entity: table left unpartitioned")
        return
    table.partition_column = col.name
    table.partition_method = "RANGE" if col.sql.startswith(TIME_TYPES) else "HASH"
    col.nullable = False
    # PostgreSQL requires every unique constraint of a partitioned table to contain the partition key.
    if col.name not in table.primary_key:
        table.primary_key = table.primary_key + [col.name]
    if table.partition_method == "RANGE":
        table.partitions = [table.name[: MAX_IDENTIFIER_BYTES - 8] + "_default"]
    else:
        table.partitions = [f"{table.name[: MAX_IDENTIFIER_BYTES - 3]}_p{i}" for i in range(HASH_PARTITIONS)]


def plan(design: Design) -> SchemaPlan:
    """Tables, foreign keys and notes for the design's relational entities."""
    taken: dict[str, set[str]] = {}
    tables: dict[str, Table] = {}
    elsewhere = []
    for ent in design.entities:
        schema = _schema_of(design, ent)
        if schema is None:
            comp = design.component(ent.store)
            elsewhere.append((ent, f"{comp.name} ({comp.technology or comp.kind})"))
            continue
        tables[ent.name] = _table(design, ent, schema, taken.setdefault(schema, set()))
    for table in tables.values():  # child partitions take names last, never an entity's name
        names = taken[table.schema]
        table.partitions = [unique(p, names, MAX_IDENTIFIER_BYTES) for p in table.partitions]
    foreign_keys = []
    for table in tables.values():
        for col in table.columns:
            if col.references:
                fk = _foreign_key(design, tables, table, col)
                if fk:
                    foreign_keys.append(fk)
    notes = []
    if any(t.schema == DEFAULT_SCHEMA for t in tables.values()) and not any(
        c.kind == "relational_db" for c in design.components
    ):
        notes.append(f"the design names no relational store: tables are placed in schema {DEFAULT_SCHEMA!r}")
    return SchemaPlan(list(tables.values()), foreign_keys, elsewhere, notes)


def _foreign_key(design: Design, tables: dict[str, Table], table: Table, col: Column) -> Optional[ForeignKey]:
    entity_text, column_text = _split_reference(col.references or "")
    target_entity = _find_entity(design, entity_text)
    ref = one_line(col.references)
    if target_entity is None:
        table.notes.append(f"{col.name} references {ref!r}, which is not an entity of this design")
        return None
    target = tables.get(target_entity.name)
    if target is None:
        table.notes.append(f"{col.name} references {ref!r}, kept in a non-relational store: checked by the application")
        return None
    if target.schema != table.schema:
        table.notes.append(f"{col.name} references {ref!r} in another store: checked by the application")
        return None
    if target.partition_column:
        table.notes.append(f"{col.name} references partitioned {target.name!r}: checked by the application")
        return None
    target_col = target.column(column_text) if column_text else None
    if target_col is None or not (target_col.unique or [target_col.name] == target.primary_key):
        if len(target.primary_key) != 1:
            table.notes.append(f"{col.name} references {ref!r}, which has a composite key: checked by the application")
            return None
        target_col = target.column(target.primary_key[0])
    col.sql = target_col.sql  # a foreign key column must have the type of the key it points to
    col.default = ""
    return ForeignKey(table, col.name, target, target_col.name)


def _column_sql(col: Column, table: Table) -> str:
    parts = [sql_identifier(col.name), col.sql]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default:
        parts.append(f"DEFAULT {col.default}")
    if col.unique and col.name not in table.primary_key:
        if table.partition_column and col.name != table.partition_column:
            return " ".join(parts)  # made unique together with the partition key below
        parts.append("UNIQUE")
    return " ".join(parts)


def _create_table(table: Table) -> list[str]:
    lines = [f"-- entity {table.entity.name}" + (f", owned by service {table.entity.owner}" if table.entity.owner else "")]
    lines += [f"-- note: {note}" for note in table.notes]
    body = [_column_sql(col, table) for col in table.columns]
    body.append("PRIMARY KEY (" + ", ".join(sql_identifier(k) for k in table.primary_key) + ")")
    if table.partition_column:
        for col in table.columns:
            if col.unique and col.name not in table.primary_key:
                body.append(f"UNIQUE ({sql_identifier(col.name)}, {sql_identifier(table.partition_column)})")
    lines.append(f"CREATE TABLE {table.qualified} (")
    lines.append(",\n".join("    " + b for b in body))
    tail = ")"
    if table.partition_column:
        tail += f" PARTITION BY {table.partition_method} ({sql_identifier(table.partition_column)})"
    lines.append(tail + ";")
    schema = sql_identifier(table.schema)
    if table.partition_method == "RANGE":
        lines.append("-- time-range partitions are added ahead of time (e.g. monthly, by pg_partman);")
        lines.append("-- the default partition catches rows outside them.")
        lines.append(f"CREATE TABLE {schema}.{sql_identifier(table.partitions[0])} PARTITION OF {table.qualified} DEFAULT;")
    else:
        for i, part in enumerate(table.partitions):
            lines.append(
                f"CREATE TABLE {schema}.{sql_identifier(part)} PARTITION OF {table.qualified} "
                f"FOR VALUES WITH (MODULUS {len(table.partitions)}, REMAINDER {i});"
            )
    for cols in table.indexes():
        lines.append(f"CREATE INDEX ON {table.qualified} (" + ", ".join(sql_identifier(c) for c in cols) + ");")
    lines.append(f"COMMENT ON TABLE {table.qualified} IS {sql_literal(_comment(table))};")
    return lines


def _comment(table: Table) -> str:
    owner = f"owned by service {table.entity.owner}" if table.entity.owner else "shared"
    return f"{table.entity.name}: {owner}"


def schema_sql(design: Design) -> str:
    """The whole schema.sql text: schemas, tables, partitions, indexes, then foreign keys."""
    schema_plan = plan(design)
    out = [
        f"-- PostgreSQL schema for design {design.name}, written by dwarf-nb.",
        "-- One schema per relational store; apply with: psql -v ON_ERROR_STOP=1 -f schema.sql",
        "",
    ]
    out += [f"-- note: {note}" for note in schema_plan.notes]
    for ent, where in schema_plan.elsewhere:
        out.append(f"-- entity {ent.name} lives in {one_line(where)}, outside this schema")
    schemas = list(dict.fromkeys(t.schema for t in schema_plan.tables))
    if not schemas:
        out.append("-- no entity of this design is kept in a relational store")
    if schemas:
        out.append("BEGIN;")
    for schema in schemas:
        out.append(f"CREATE SCHEMA IF NOT EXISTS {sql_identifier(schema)};")
    for table in schema_plan.tables:
        out.append("")
        out += _create_table(table)
    if schema_plan.foreign_keys:
        out.append("")
        out.append("-- foreign keys last, so that tables may refer to each other in any order")
    for fk in schema_plan.foreign_keys:
        out.append(
            f"ALTER TABLE {fk.table.qualified} ADD FOREIGN KEY ({sql_identifier(fk.column)}) "
            f"REFERENCES {fk.target.qualified} ({sql_identifier(fk.target_column)});"
        )
    if schemas:
        out.append("COMMIT;")
    return "\n".join(out) + "\n"
