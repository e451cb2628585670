"""Change a set of files in a folder as one step: all of the change or none of it.

An export is dozens of files, and a reader (a person, git, a CI job) must never find half
of one. The new files are first written into a hidden stage folder inside the target (same
file system, so every later move is a rename). Holding a lock on the folder, the swap then
moves each old file into the stage and each new file into place, after a journal naming
every path has been made durable. A process killed part way leaves that journal behind; the
next writer (or `recover`) finds it and moves the old files back, so the folder holds the
previous export byte for byte, or the new one, and never a mix of the two once it is opened.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from .errors import ExportConflict, InputError

JOURNAL = ".dwarf-export.journal"
STAGE_PREFIX = ".dwarf-stage-"
LOCK_WAIT_S = 60.0
FILE_MODE = 0o644


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


@contextmanager
def locked(root: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the export lock of `root` (a lock on the folder itself, so no lock file is left).

    Whatever an interrupted writer left behind is put right before the lock is handed over.
    """
    fd = os.open(root, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ExportConflict(
                        f"another export into {root} has held its lock for {wait_s:g} s: try again when it ends"
                    ) from None
                time.sleep(0.05)
        recover(root)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(root: Path) -> None:
    """Undo an interrupted swap and remove stage folders an interrupted writer left."""
    journal = root / JOURNAL
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            stage = root / entry["stage"]
            done = entry["state"] == "done"
            paths = [str(p) for p in entry["paths"]]
            existed = set(entry["existed"])
            created = [str(d) for d in entry["created"]]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ExportConflict(
                f"the export journal {journal} is damaged ({type(err).__name__}): remove it and the "
                f"{STAGE_PREFIX}* folders beside it to export again"
            ) from None
        if not done:
            _roll_back(root, stage, paths, existed, created)
        shutil.rmtree(stage, ignore_errors=True)
        journal.unlink()
    for leftover in root.glob(f"{STAGE_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _roll_back(root: Path, stage: Path, paths: Sequence[str], existed: set, created: Sequence[str]) -> None:
    for relative in reversed(paths):
        target, old, new = root / relative, stage / "old" / relative, stage / "new" / relative
        if old.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, target)
        elif relative not in existed and not new.exists() and target.is_file():
            target.unlink()  # the new file had been moved in; before the swap there was none
    for folder in reversed(created):
        try:
            (root / folder).rmdir()
        except OSError:
            pass  # not empty: something else lives there now
    _fsync_dir(root)


def _new_folders(root: Path, paths: Sequence[str]) -> list[str]:
    """Folders the swap will create, shallowest first, so a roll-back can remove them."""
    missing: list[str] = []
    for relative in paths:
        for parent in reversed(Path(relative).parents[:-1]):
            if not (root / parent).exists() and str(parent) not in missing:
                missing.append(str(parent))
    return missing


def commit(root: Path, writes: Mapping[str, bytes], removals: Sequence[str] = ()) -> None:
    """Put `writes` ({relative path: bytes}) in place and remove `removals`, as one change.

    Call it holding `locked(root)`. A failure before the swap leaves the folder untouched; a
    failure during it is rolled back at once, and a kill during it at the next `recover`.
    """
    if not writes and not removals:
        return
    first = root / next(iter(writes or removals))
    try:
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=root))
    except OSError as err:
        raise InputError(f"cannot write {first}: {err.strerror}") from None
    try:
        for relative, data in writes.items():
            try:
                _write_durably(stage / "new" / relative, data)
            except OSError as err:  # a full disk, a file-size limit, a quota
                raise InputError(f"cannot write {root / relative}: {err.strerror}") from None
        paths = [*writes, *removals]
        record = {
            "stage": stage.name,
            "state": "swapping",
            "paths": paths,
            "existed": [p for p in paths if (root / p).exists()],
            "created": _new_folders(root, list(writes)),
        }
        _write_durably(stage / "journal", json.dumps(record).encode())
        os.replace(stage / "journal", root / JOURNAL)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    try:
        _swap(root, stage, writes, removals)
    except BaseException as err:
        _roll_back(root, stage, record["paths"], set(record["existed"]), record["created"])
        shutil.rmtree(stage, ignore_errors=True)
        (root / JOURNAL).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise InputError(f"cannot write {err.filename or first}: {err.strerror}") from None
        raise
    record["state"] = "done"
    _write_durably(stage / "journal", json.dumps(record).encode())
    os.replace(stage / "journal", root / JOURNAL)
    shutil.rmtree(stage, ignore_errors=True)
    (root / JOURNAL).unlink()
    _fsync_dir(root)


def _swap(root: Path, stage: Path, writes: Mapping[str, bytes], removals: Sequence[str]) -> None:
    for relative in [*writes, *removals]:
        target = root / relative
        if target.exists():
            aside = stage / "old" / relative
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, aside)
        if relative in writes:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / "new" / relative, target)

