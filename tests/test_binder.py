"""The Binder configuration: what mybinder.org would build, checked without a container engine.

The quick tests read `binder/` against pyproject.toml. The `binder`-marked tests rebuild
what repo2docker would in throwaway virtual environments (they need PyPI, through pip's
cache when warm): repo2docker's own parser prints the Dockerfile it would build, and a
fresh venv installs binder/requirements.txt, runs binder/postBuild on a copy of the
repository and designs a backend with the result. Together about 2-3 minutes on a warm
pip cache; skip them with `-m "not binder"`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from dwarf_nb.knowledge import tomllib  # the stdlib module, or tomli on Python 3.10

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def pinned() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"binder/requirements.txt: pin {line!r} exactly"
            pins[req.name.lower()] = spec.version
    return pins


def test_requirements_pin_every_dependency_of_the_kit():
    pins = pinned()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    binder_python = {"python_version": "3.11", "python_full_version": "3.11.0"}
    for line in project["dependencies"]:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate(binder_python):
            continue
        name = req.name.lower()
        assert name in pins, f"binder/requirements.txt does not pin {req.name}"
        assert req.specifier.contains(pins[name]), f"{name}=={pins[name]} does not satisfy pyproject's {line!r}"


def test_requirements_hold_the_map_and_widget_stack():
    pins = pinned()
    assert pins["diagrams"] == "0.25.1"
    assert Version(pins["graphviz"]) < Version("0.21")  # 0.21 renamed what diagrams 0.25.1 uses
    assert pins["ipywidgets"].startswith("8.")
    assert pins["jupyterlab"].startswith("4.")


def test_runtime_is_a_python_the_pins_install_on():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def apt_packages() -> list[str]:
    return [line.strip() for line in (BINDER / "apt.txt").read_text().splitlines() if line.strip()]


def test_apt_names_graphviz_and_a_font():
    # repo2docker installs without recommends, and graphviz only recommends its fonts.
    packages = apt_packages()
    assert "graphviz" in packages
    assert any(p.startswith("fonts-") for p in packages)


@pytest.mark.skipif(shutil.which("apt-cache") is None, reason="no apt-cache on this system to look packages up")
def test_apt_names_are_real_packages():
    listed = subprocess.run(["apt-cache", "show", "graphviz"], capture_output=True)
    if listed.returncode != 0:
        pytest.skip("apt package lists are empty here (run apt-get update)")
    for package in apt_packages():
        shown = subprocess.run(["apt-cache", "show", package], capture_output=True, text=True)
        assert shown.returncode == 0 and f"Package: {package}" in shown.stdout, f"apt.txt: no package {package!r}"


def test_postbuild_is_an_executable_script_installing_the_repo():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!")
    assert "pip install" in text and "--no-deps" in text  # keep requirements.txt's pins


# -- what repo2docker would do, in throwaway environments ------------------------------------


def repo_copy(target: Path) -> Path:
    """The files Binder sees that matter for the build (the checkout itself is not touched)."""
    for name in ("binder", "dwarf_nb"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, target / name)
    return target


def make_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin"


def run(cmd: list, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.binder
def test_repo2docker_builds_the_expected_image(tmp_path):
    bin_dir = make_venv(tmp_path / "r2d")
    run([bin_dir / "pip", "install", "-q", "jupyter-repo2docker"], timeout=600)
    repo = repo_copy(tmp_path / "repo")
    done = run([bin_dir / "repo2docker", "--no-build", "--no-run", "--debug", repo], timeout=300, cwd=tmp_path)
    dockerfile = done.stdout
    assert "conda environment for python=3.11" in done.stderr  # runtime.txt was read
    assert "apt-get install --yes --no-install-recommends fonts-dejavu-core graphviz" in dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "./binder/postBuild" in dockerfile


@pytest.mark.binder
def test_binder_environment_designs_a_backend(tmp_path):
    bin_dir = make_venv(tmp_path / "env")
    run([bin_dir / "pip", "install", "-q", "-r", BINDER / "requirements.txt"], timeout=900)
    repo = repo_copy(tmp_path / "repo")
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    run([repo / "binder" / "postBuild"], timeout=300, cwd=repo, env={**os.environ, "PATH": path})

    check = """
import json, dwarf_nb, ipywidgets
d = dwarf_nb.design("An online shop for 20k daily users with catalog, cart, orders and card payments.")
svg = d.service_map("svg")
print(json.dumps({"file": dwarf_nb.__file__, "services": len(d.services), "svg": svg.lstrip()[:5],
                  "widgets": ipywidgets.__version__}))
"""
    out = json.loads(run([bin_dir / "python", "-c", check], timeout=300, cwd=tmp_path).stdout.splitlines()[-1])
    assert out["file"].startswith(str(repo)), "postBuild did not install the repository's dwarf_nb"
    assert out["services"] >= 1
    assert out["svg"] in ("<?xml", "<svg ")
    assert out["widgets"].startswith("8.")

    extensions = run([bin_dir / "jupyter", "labextension", "list"], timeout=120, cwd=tmp_path)
    assert "@jupyter-widgets/jupyterlab-manager" in extensions.stdout + extensions.stderr
    kernels = run([bin_dir / "jupyter", "kernelspec", "list"], timeout=120, cwd=tmp_path)
    assert "python3" in kernels.stdout
