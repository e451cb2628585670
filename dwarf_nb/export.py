"""Export a Design as BACKEND_DESIGN.md and its artifacts, safely.

Safe means: the same Design always gives the same bytes (no timestamps); the whole export
replaces the previous one as a single change under a folder lock (journal.py), so a reader,
a second writer or a killed process never leaves half of one; a manifest
(`.dwarf-manifest.json`) records the hash of every file written, so a file the user edited
since the last export is never overwritten without `force`; and no path can leave the target
folder (names are sanitised, symlinks are not followed out).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Iterable

from . import journal
from .design import Design
from .errors import ExportConflict, InputError

MANIFEST = ".dwarf-manifest.json"
FORMATS = ("md", "html")
DOCUMENT = "BACKEND_DESIGN"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = (formats,)
    chosen = tuple(dict.fromkeys(str(f).lower() for f in (formats or ("md",))))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise InputError(f"unknown document format {unknown[0]!r}: use {' or '.join(FORMATS)}")
    return chosen if "md" in chosen else ("md", *chosen)


def render_files(design: Design, formats: Iterable[str] = ("md",)) -> dict[str, bytes]:
    """Every exported file as {relative POSIX path: bytes}, in a stable order."""
    from .views import adr, compose, document, openapi, skeletons, sql

    formats = _check_formats(formats)
    # First: a value set on the design after validation (a lone surrogate) fails here in one line.
    design_json = (design.to_json() + "\n").encode()
    svg, png, note = document.draw_map(design)
    files: dict[str, bytes] = {}
    map_image = document.MAP_SVG if svg is not None else None
    files[f"{DOCUMENT}.md"] = document.render_markdown(design, map_image=map_image, map_note=note).encode()
    if "html" in formats:
        files[f"{DOCUMENT}.html"] = document.render_html(design, svg=svg, map_note=note).encode()
    if svg is not None and png is not None:
        files[document.MAP_SVG] = svg.encode()
        files[document.MAP_PNG] = png
    files["schema.sql"] = sql.schema_sql(design).encode()
    for name, text in openapi.documents(design).items():
        files[name] = text.encode()
    files["docker-compose.yml"] = compose.compose_yaml(design).encode()
    for service in design.services:  # the build contexts the compose file names
        sketch = skeletons.skeleton(design, service)
        if sketch is not None:
            files[f"services/{service.name}/{sketch.filename}"] = sketch.code.encode()
            files[f"services/{service.name}/Dockerfile"] = skeletons.dockerfile(design, sketch.language).encode()
    for name, text in adr.records(design).items():
        files[name] = text.encode()
    files["design.json"] = design_json
    return files


def _root(directory) -> Path:
    if not isinstance(directory, (str, os.PathLike)):
        raise InputError(f"export needs a folder path, not {type(directory).__name__}")
    root = Path(directory).expanduser()
    if root.exists() and not root.is_dir():
        raise InputError(f"cannot export into {root}: it is a file, not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create export folder {root}: {err.strerror}") from None
    return root.resolve()


def _target(root: Path, relative: str) -> Path:
    """The path of `relative` under root; refuses anything that would land outside it."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise ExportConflict(f"refusing to write {relative!r}: the path leaves the export folder")
    path = root.joinpath(*parts)
    if path.is_symlink() or not path.resolve().is_relative_to(root):
        raise ExportConflict(f"refusing to write {relative}: it resolves outside the export folder {root}")
    # Checked before anything is written, so a file in the way never leaves half an export.
    for parent in path.relative_to(root).parents:
        if (root / parent).exists() and not (root / parent).is_dir():
            raise ExportConflict(f"cannot write {relative}: {root / parent} is a file, not a folder")
    return path


def _read_manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _conflicts(root: Path, targets: dict[str, Path], files: dict[str, bytes], manifest: dict[str, str]) -> list[str]:
    """Files on disk that the user changed (or dwarf-nb never wrote) and that this export would replace."""
    found = []
    for relative, path in targets.items():
        if not path.exists():
            continue
        if path.is_dir():
            raise ExportConflict(f"cannot write {relative}: a folder of that name is in the way")
        current = path.read_bytes()
        if current == files[relative]:
            continue
        if manifest.get(relative) != _sha256(current):
            found.append(relative)
    return found


def export(design: Design, directory, force: bool = False, formats: Iterable[str] = ("md",)) -> list[Path]:
    """Write BACKEND_DESIGN.md and the artifacts into `directory`; returns the paths written.

    A file edited by hand since the last export (or not written by dwarf-nb at all) stops the
    export with ExportConflict before anything is written, unless force=True.
    """
    if not isinstance(design, Design):
        raise InputError(f"export needs a Design, not {type(design).__name__}")
    files = render_files(design, formats)
    root = _root(directory)
    targets = {relative: _target(root, relative) for relative in files}
    with journal.locked(root):
        manifest = _read_manifest(root)
        if not force:
            _refuse_edits(root, targets, files, manifest)
        writes = {rel: data for rel, data in files.items() if not _holds(targets[rel], data)}
        removals = [rel for rel, digest in manifest.items() if rel not in files and _untouched(root, rel, digest)]
        record = {"generator": "dwarf-nb", "design": design.name, "files": {k: _sha256(v) for k, v in files.items()}}
        text = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()
        if writes or removals or not _holds(root / MANIFEST, text):
            journal.commit(root, {**writes, MANIFEST: text}, removals)
        for stale in _leftovers([*targets.values(), root / MANIFEST]):
            stale.unlink(missing_ok=True)
    return [targets[relative] for relative in files]


def _leftovers(paths: list[Path]) -> list[Path]:
    """Temporary files that earlier versions of the kit (which wrote one file at a time) left
    beside `paths` when they were killed: `.NAME.` + mkstemp's eight characters + `.tmp`."""
    out = []
    for path in paths:
        pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
        out += [p for p in path.parent.glob(f".{glob.escape(path.name)}.*.tmp")
                if pattern.fullmatch(p.name) and p.is_file() and not p.is_symlink()]
    return out


def _holds(path: Path, data: bytes) -> bool:
    return path.is_file() and not path.is_symlink() and path.read_bytes() == data


def _untouched(root: Path, relative: str, digest: str) -> bool:
    """A file an older version of the design produced, left as dwarf-nb wrote it."""
    try:
        stale = _target(root, relative)
    except ExportConflict:
        return False
    return stale.is_file() and _sha256(stale.read_bytes()) == digest


def _refuse_edits(root: Path, targets: dict[str, Path], files: dict[str, bytes], manifest: dict[str, str]) -> None:
    edited = _conflicts(root, targets, files, manifest)
    if edited:
        more = f" (and {len(edited) - 1} more)" if len(edited) > 1 else ""
        how = "was edited since the last export" if edited[0] in manifest else "exists and was not written by dwarf-nb"
        raise ExportConflict(f"{root / edited[0]}{more} {how}: re-run with --force (force=True) to overwrite it")
