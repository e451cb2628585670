"""An export replaces the previous one whole or not at all: kills, full disks, read-only
folders and concurrent writers never leave a mix of two exports."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import dwarf_nb as dw
from dwarf_nb import journal
from dwarf_nb.errors import ExportConflict

ROOT = Path(__file__).resolve().parent.parent
DWARF_NB = Path(sys.executable).parent / "dwarf-nb"
SHOP = (ROOT / "examples" / "shop.txt").read_text()
CHAT = (
    "A team chat app for 40,000 people: channels, direct messages, file uploads and search across "
    "old messages. Messages must appear for everyone in the channel within a second. Eight "
    "engineers who write Go; we run on GCP."
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> dict[str, Path]:
    """Two different designs as design.json files, outside any export folder."""
    where = tmp_path_factory.mktemp("designs")
    paths = {}
    for name, text in (("shop", SHOP), ("chat", CHAT)):
        paths[name] = where / f"{name}.json"
        paths[name].write_text(dw.design(text, name=name).to_json())
    where.chmod(0o755)
    return paths


def export_cli(design: Path, folder: Path, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DWARF_NB), "export", str(design), str(folder)], capture_output=True, text=True, timeout=120, **popen
    )


def assert_whole(folder: Path, expected: dict[str, bytes]) -> None:
    assert snapshot(folder) == expected
    assert not list(folder.glob(f"{journal.STAGE_PREFIX}*")) and not (folder / journal.JOURNAL).exists()


@pytest.fixture(scope="module")
def exports(designs, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """What a finished export of each design looks like, byte for byte."""
    out = {}
    for name, path in designs.items():
        folder = tmp_path_factory.mktemp(f"whole-{name}")
        assert export_cli(path, folder).returncode == 0
        out[name] = snapshot(folder)
    return out


def test_an_export_leaves_no_lock_stage_or_journal_behind(designs, exports, tmp_path):
    assert export_cli(designs["shop"], tmp_path).returncode == 0
    assert_whole(tmp_path, exports["shop"])


def test_temporary_files_an_earlier_version_left_are_cleaned(designs, exports, tmp_path):
    # The per-file writer of earlier versions named its temporary files `.NAME.XXXXXXXX.tmp`.
    (tmp_path / "adr").mkdir()
    left = [tmp_path / ".BACKEND_DESIGN.md.k3j_x9a1.tmp", tmp_path / ".design.json.abcd1234.tmp",
            tmp_path / "adr" / ".0001-architecture-style.md.zz99zz99.tmp"]
    mine = [tmp_path / ".notes.md.abcd1234.tmp", tmp_path / ".design.json.tmp", tmp_path / "draft.tmp"]
    for path in left + mine:
        path.write_text("half written")
    assert export_cli(designs["shop"], tmp_path).returncode == 0
    assert not any(p.exists() for p in left)
    assert all(p.read_text() == "half written" for p in mine)  # not the kit's: never touched


KILL_AT_RENAME = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import dwarf_nb as dw
    from dwarf_nb.design import Design

    import shutil

    stop_at, calls, real = int(sys.argv[3]), [0], os.replace

    def replace(src, dst):
        calls[0] += 1
        if calls[0] == stop_at:
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst)

    def rmtree(*args, **kwargs):  # only reached once the swap is committed
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace
    if stop_at < 0:
        shutil.rmtree = rmtree
    design = Design.model_validate_json(Path(sys.argv[1]).read_text())
    design.export(sys.argv[2])
    print(calls[0])
    """
)


def renames_of_one_export(designs, exports, tmp_path) -> int:
    folder = tmp_path / "count"
    shutil.copytree(tmp_path / "previous", folder)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_AT_RENAME, str(designs["chat"]), str(folder), "0"], capture_output=True, text=True
    )  # stop at no rename: counts them
    assert proc.returncode == 0, proc.stderr
    assert_whole(folder, exports["chat"])
    return int(proc.stdout)


def test_a_kill_at_any_step_of_the_swap_leaves_the_previous_export_exactly(designs, exports, tmp_path):
    previous = tmp_path / "previous"
    assert export_cli(designs["shop"], previous).returncode == 0
    total = renames_of_one_export(designs, exports, tmp_path)
    assert total > 20  # the swap moves every changed file aside and its successor in
    for stop_at in sorted({-1, 1, 2, 3, total // 3, total // 2, total - 2, total - 1, total}):
        folder = tmp_path / f"killed-{stop_at}"
        shutil.copytree(previous, folder)
        proc = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, str(designs["chat"]), str(folder), str(stop_at)])
        assert proc.returncode == -signal.SIGKILL
        with journal.locked(folder):  # what every next writer does first
            pass
        # The last rename commits the journal; a kill after it (-1) keeps the new export instead.
        assert_whole(folder, exports["chat"] if stop_at < 0 else exports["shop"])
        if stop_at == total // 2:  # and the next export takes nothing it finds for a user's edit
            assert export_cli(designs["chat"], folder).returncode == 0
            assert_whole(folder, exports["chat"])


def test_a_kill_at_a_random_moment_leaves_one_export_or_the_other(designs, exports, tmp_path):
    assert export_cli(designs["shop"], tmp_path / "timing").returncode == 0
    started = time.monotonic()
    assert export_cli(designs["chat"], tmp_path / "timing").returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(16)
    for attempt in range(4):
        folder = tmp_path / f"random-{attempt}"
        assert export_cli(designs["shop"], folder).returncode == 0
        proc = subprocess.Popen([str(DWARF_NB), "export", str(designs["chat"]), str(folder)], stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with journal.locked(folder):
            pass
        assert snapshot(folder) in (exports["shop"], exports["chat"])


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))


def test_a_full_disk_leaves_the_previous_export_and_says_which_file(designs, exports, tmp_path):
    assert export_cli(designs["shop"], tmp_path).returncode == 0
    proc = export_cli(designs["chat"], tmp_path, preexec_fn=_limit_file_size)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"dwarf-nb: cannot write {tmp_path}/") and line.endswith(": File too large"), line
    assert ".tmp" not in line and journal.STAGE_PREFIX not in line
    assert_whole(tmp_path, exports["shop"])
    assert export_cli(designs["chat"], tmp_path).returncode == 0  # with room again, it goes through
    assert_whole(tmp_path, exports["chat"])


def _read_only_mount_works() -> bool:
    probe = "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp && ! touch /tmp/.dwarf-probe"
    return subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True).returncode == 0


@pytest.fixture
def read_only(designs, tmp_path):
    """A folder holding the shop export, and a way to run an export that cannot write into it.

    Root writes through permission bits, so as root the folder is a read-only mount in a
    private mount namespace (the case of a read-only volume); otherwise its modes say so.
    """
    assert export_cli(designs["shop"], tmp_path).returncode == 0
    if os.geteuid() != 0:
        for path in [tmp_path, *tmp_path.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        yield tmp_path, lambda design: export_cli(design, tmp_path)
        for path in [tmp_path, *tmp_path.rglob("*")]:
            path.chmod(0o755)
        return
    if shutil.which("unshare") is None or not _read_only_mount_works():
        pytest.skip("root without a way to mount a folder read-only (no CAP_SYS_ADMIN)")
    mount = f"mount --bind '{tmp_path}' '{tmp_path}' && mount -o remount,ro,bind '{tmp_path}' && exec \"$0\" \"$@\""

    def run(design: Path) -> subprocess.CompletedProcess:
        command = ["unshare", "-m", "sh", "-c", mount, str(DWARF_NB), "export", str(design), str(tmp_path)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    yield tmp_path, run


def test_a_read_only_folder_names_the_file_it_cannot_write(designs, exports, read_only):
    folder, run = read_only
    proc = run(designs["chat"])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line in (
        f"dwarf-nb: cannot write {folder}/BACKEND_DESIGN.md: Permission denied",
        f"dwarf-nb: cannot write {folder}/BACKEND_DESIGN.md: Read-only file system",
    )
    assert snapshot(folder) == exports["shop"]


def test_a_read_only_folder_that_already_holds_the_export_is_fine(designs, exports, read_only):
    folder, run = read_only
    proc = run(designs["shop"])
    assert proc.returncode == 0, proc.stderr
    assert snapshot(folder) == exports["shop"]


def test_concurrent_exports_into_one_folder_end_as_one_whole_export(designs, exports, tmp_path):
    writers = [
        subprocess.Popen(
            [str(DWARF_NB), "export", str(designs["shop" if i % 2 else "chat"]), str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
        writer.stderr.close()
    final = snapshot(tmp_path)
    assert final in (exports["shop"], exports["chat"])
    manifest = json.loads(final[".dwarf-manifest.json"])
    assert json.loads(final["design.json"])["name"] == manifest["design"]
    assert_whole(tmp_path, final)


def test_a_held_lock_is_reported_in_one_line(designs, tmp_path):
    with journal.locked(tmp_path):
        with pytest.raises(ExportConflict, match=r"^another export into .* has held its lock for 0\.2 s"):
            with journal.locked(tmp_path, wait_s=0.2):
                pass


def test_a_damaged_journal_stops_the_export_with_a_way_out(designs, tmp_path):
    (tmp_path / journal.JOURNAL).write_text("{not json")
    proc = export_cli(designs["shop"], tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert f"the export journal {tmp_path / journal.JOURNAL} is damaged" in line and "remove it" in line
