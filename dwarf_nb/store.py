"""Design history and the agent response cache, in one embedded SQLite file.

Every design and refinement is a new version of its name, so a kernel restart loses
nothing. The response cache keeps what a paid model call returned, and failures keep
the requirements text (and any partial output) of a call that did not finish.

Several kernels or processes may share one store (two notebooks in one folder): the file is
in WAL mode, every write is one `BEGIN IMMEDIATE` transaction (so a version number is read
and taken under the same write lock) and a writer waits up to BUSY_S for another.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Iterator, Optional

from .design import Design
from .errors import InputError

DEFAULT_PATH = Path(".dwarf") / "designs.db"
BUSY_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS designs (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created REAL NOT NULL,
    backend TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    created REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    backend TEXT NOT NULL,
    requirements TEXT NOT NULL,
    partial TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL
);
"""

_REF = re.compile(r"^(?P<name>[A-Za-z_][\w-]*)(?:@v?(?P<version>\d+))?$")


@dataclass(frozen=True)
class Version:
    name: str
    version: int
    created: float
    backend: str
    note: str
    usage: str = ""  # the model call's usage line, for designs a model made


def parse_ref(ref: str) -> tuple[str, Optional[int]]:
    """'shop' -> ('shop', None); 'shop@v2' or 'shop@2' -> ('shop', 2)."""
    m = _REF.match(ref.strip())
    if not m:
        raise InputError(f"{ref!r} is not a design reference; write NAME or NAME@vN")
    version = m.group("version")
    return m.group("name"), int(version) if version else None


class Store:
    """A versioned design store in one SQLite file (created on first write)."""

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = Path(path)
        self._conn: Optional[sqlite3.Connection] = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_S, isolation_level=None)
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.executescript(_SCHEMA)
                    columns = {row[1] for row in conn.execute("PRAGMA table_info(designs)")}
                    if "usage" not in columns:  # a store written before usage was kept
                        conn.execute("ALTER TABLE designs ADD COLUMN usage TEXT NOT NULL DEFAULT ''")
                except sqlite3.Error:
                    conn.close()
                    raise
            except (OSError, sqlite3.Error) as err:  # a folder, a file of another kind, no permission
                raise self._explain(err, "open") from None
            self._conn = conn
        return self._conn

    def _explain(self, err: OSError | sqlite3.Error, doing: str = "write to") -> InputError:
        reason = err.strerror if isinstance(err, OSError) else str(err)
        if isinstance(err, sqlite3.OperationalError) and "locked" in reason:
            return InputError(
                f"the design store {self.path} stayed locked by another process for {BUSY_S:g} s: "
                "try again when it has finished"
            )
        return InputError(f"cannot {doing} the design store {self.path}: {reason}")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that holds the write lock from its first statement."""
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise self._explain(err) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as err:
            db.execute("ROLLBACK")
            if isinstance(err, sqlite3.OperationalError):
                raise self._explain(err) from None
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- designs ---------------------------------------------------------------------
    def save(self, design: Design, note: str = "") -> int:
        """Store `design` as the next version of its name; returns that version number."""
        with self._writing() as db:
            (latest,) = db.execute("SELECT COALESCE(MAX(version), 0) FROM designs WHERE name = ?", (design.name,)).fetchone()
            version = latest + 1
            usage = design.usage.line() if design.usage is not None else ""
            db.execute(
                "INSERT INTO designs (name, version, created, backend, note, body, usage) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (design.name, version, time.time(), design.backend, note, design.to_json(indent=None), usage),
            )
        return version

    def load(self, ref: str, version: Optional[int] = None) -> Design:
        """The design `ref` ('shop' for the latest, 'shop@v2' for a version)."""
        name, ref_version = parse_ref(ref)
        version = version if version is not None else ref_version
        db = self._db()
        if version is None:
            row = db.execute("SELECT body FROM designs WHERE name = ? ORDER BY version DESC LIMIT 1", (name,)).fetchone()
        else:
            row = db.execute("SELECT body FROM designs WHERE name = ? AND version = ?", (name, version)).fetchone()
        if row is None:
            versions = [r[0] for r in db.execute("SELECT version FROM designs WHERE name = ? ORDER BY version", (name,))]
            if versions:  # the name is known, the version is not: say which exist
                have = f"v{versions[0]}" if len(versions) == 1 else f"v{versions[0]} to v{versions[-1]}"
                raise InputError(f"{name} has no v{version}: its versions are {have}")
            known = ", ".join(self.names()) or "none yet"
            what = f"{name}@v{version}" if version is not None else name
            raise InputError(f"no design named {what!r} (known: {known})")
        return Design.model_validate_json(row[0])

    def names(self) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT DISTINCT name FROM designs ORDER BY name")]

    def history(self, name: str) -> list[Version]:
        rows = self._db().execute(
            "SELECT name, version, created, backend, note, usage FROM designs WHERE name = ? ORDER BY version", (name,)
        ).fetchall()
        if not rows:
            raise InputError(f"no design named {name!r} (known: {', '.join(self.names()) or 'none yet'})")
        return [Version(*r) for r in rows]

    def latest_version(self, name: str) -> int:
        return self.history(name)[-1].version

    # -- agent response cache ---------------------------------------------------------
    def cache_get(self, key: str) -> Optional[str]:
        row = self._db().execute("SELECT body FROM responses WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def cache_put(self, key: str, body: str) -> None:
        with self._writing() as db:
            db.execute("INSERT OR REPLACE INTO responses (key, created, body) VALUES (?, ?, ?)", (key, time.time(), body))

    # -- failed calls: nothing the user wrote or paid for is lost ---------------------
    def record_failure(self, backend: str, requirements: str, error: str, partial: str = "") -> int:
        with self._writing() as db:
            cur = db.execute(
                "INSERT INTO failures (created, backend, requirements, partial, error) VALUES (?, ?, ?, ?, ?)",
                (time.time(), backend, requirements, partial, error),
            )
        return int(cur.lastrowid)

    def failures(self) -> list[dict]:
        cur = self._db().execute("SELECT id, created, backend, requirements, partial, error FROM failures ORDER BY id")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
