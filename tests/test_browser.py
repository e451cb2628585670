"""The example notebooks in a real JupyterLab, seen through headless Chromium.

A JupyterLab server runs on 127.0.0.1 (a free port, a random token) in a temporary copy
of notebooks/, with its own settings, workspace and runtime folders, so nothing is
written to the checkout or the home folder. Chromium (Debian's /usr/bin/chromium, driven
by Playwright) opens a notebook, runs every cell from the Run menu and checks what a
reader would see. Screenshots land in $DWARF_SCREENSHOTS, or in a temporary folder the
test prints. About 1-2 minutes on two busy cores.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
START_TIMEOUT = 120  # seconds for the server to answer
OPEN_TIMEOUT = 120  # seconds for a notebook and its kernel to be ready
RUN_TIMEOUT = 180  # seconds for Run All Cells on two shared cores
# Lab settings for a quiet, fully rendered page: no news prompt, every cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: install it with scripts/sysdeps.sh test", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server over a copy of the notebooks folder."""

    def __init__(self, base: Path):
        self.root = base / "notebooks"
        shutil.copytree(NOTEBOOKS, self.root, ignore=shutil.ignore_patterns(".dwarf", "out", ".ipynb_checkpoints"))
        self.state = base / "lab-state"
        for relative, values in LAB_SETTINGS.items():
            path = self.state / "settings" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log = self.state / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.state / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.state / "runtime"),
        }
        env.pop("ANTHROPIC_API_KEY", None)  # the examples must not need (or spend) a key
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--ip=127.0.0.1", f"--port={self.port}", "--no-browser", "--allow-root",
            "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.user_settings_dir={self.state / 'settings'}",
            f"--LabApp.workspaces_dir={self.state / 'workspaces'}",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT}s:\n{self.log.read_text()[-3000:]}")
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        # A fresh workspace per notebook, so tabs opened by an earlier test do not come back.
        return f"{self.base}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?reset&token={self.token}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("DWARF_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT * 1000)
    try:
        yield page
    finally:
        context.close()


# Every code cell numbered, or an error shown (Run All stops at the first error).
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
    const errors = document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    return prompts.length > 0 && (prompts.every(p => /\\[\\d+\\]/.test(p.textContent))
        || [...errors].some(e => /Traceback|Error/.test(e.innerText)));
}"""

# The toolbar's execution indicator reads "idle" before any kernel exists; the status bar
# names the kernel and its state only once the kernel is connected.
KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some(e => /\\| Idle$/.test(e.textContent.trim()) && !e.textContent.includes('No Kernel'))"""

ERROR_OUTPUTS = """() => [...document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(e => e.innerText)
    .filter(t => /Traceback|Error/.test(t))"""


PROMPTS = "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"


def run_all(page, lab: Lab, notebook: str, shots: Path) -> None:
    """Open the notebook, run every cell from the Run menu, and wait for the kernel to rest."""
    page.goto(lab.url(notebook))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(KERNEL_IDLE, timeout=OPEN_TIMEOUT * 1000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(ALL_CELLS_RAN, timeout=RUN_TIMEOUT * 1000)
        page.wait_for_function(KERNEL_IDLE, timeout=RUN_TIMEOUT * 1000)
    except sync_api.TimeoutError:
        stuck = shots / f"{Path(notebook).stem}-stuck.png"
        page.screenshot(path=str(stuck))
        pytest.fail(f"{notebook}: cells did not all run in {RUN_TIMEOUT}s: {page.evaluate(PROMPTS)} (see {stuck})")
    errors = page.evaluate(ERROR_OUTPUTS)
    if errors:
        page.screenshot(path=str(shots / f"{Path(notebook).stem}-error.png"))
    assert not errors, f"{notebook}: a cell shows an error:\n" + "\n---\n".join(errors)


# Every icon of every inline service map: the <image> decodes to a picture with a size,
# and each place it is drawn (a <use>, or the <image> itself) takes up room on the page.
MAP_ICONS = """async () => {
    const maps = [...document.querySelectorAll('.jp-OutputArea-output svg')]
        .filter(svg => svg.querySelector('image'));
    const result = [];
    for (const svg of maps) {
        const box = svg.getBoundingClientRect();
        const icons = [];
        for (const image of svg.querySelectorAll('image')) {
            const href = image.getAttribute('href') || image.getAttribute('xlink:href');
            const img = new Image();
            img.src = href;
            let width = 0;
            try { await img.decode(); width = img.naturalWidth; } catch (e) { width = 0; }
            icons.push(width);
        }
        const drawn = [...svg.querySelectorAll('use, g > image')]
            .map(e => e.getBoundingClientRect().width);
        result.push({width: box.width, height: box.height, icons, drawn});
    }
    return result;
}"""


def test_quickstart_shows_map_and_tables(page, lab, shots):
    run_all(page, lab, "01-quickstart.ipynb", shots)
    page.screenshot(path=str(shots / "01-quickstart-end.png"))

    maps = page.evaluate(MAP_ICONS)
    assert maps, "no service map with icons on the page"
    first = maps[0]
    assert first["width"] > 100 and first["height"] > 50, f"service map is not visible: {first}"
    assert first["icons"] and all(w > 0 for w in first["icons"]), f"an icon did not load: {first['icons']}"
    assert first["drawn"] and all(w > 0 for w in first["drawn"]), f"an icon is not drawn: {first['drawn']}"
    service_map = page.locator(".jp-OutputArea-output svg:has(image)").first
    service_map.scroll_into_view_if_needed()
    service_map.screenshot(path=str(shots / "01-quickstart-map.png"))
    page.screenshot(path=str(shots / "01-quickstart-view.png"))  # the map as a reader sees it

    tables = page.locator(".jp-OutputArea-output table")
    assert tables.count() >= 2, "the tradeoff tables are missing"
    texts = page.locator(".jp-OutputArea-output").all_inner_texts()
    assert any("weighted_total" in text for text in texts), "no ranking table in the outputs"


def test_tradeoff_explorer_reacts_to_a_slider(page, lab, shots):
    run_all(page, lab, "03-tradeoff-explorer.ipynb", shots)
    explorer = page.locator(".dwarf-tradeoff-explorer").first
    explorer.wait_for()
    explorer.scroll_into_view_if_needed()
    ranking = explorer.locator(".dwarf-ranking")
    verdict = explorer.locator(".dwarf-sensitivity")
    before = (ranking.inner_text(), verdict.inner_text())
    assert "weighted_total" in before[0]
    explorer.screenshot(path=str(shots / "03-explorer-before.png"))

    # A slider with room to move (the notebook already pushed one to its maximum).
    handles = explorer.locator(".widget-slider .noUi-handle").all()
    handle = next(
        h for h in handles if float(h.get_attribute("aria-valuenow")) < float(h.get_attribute("aria-valuemax"))
    )
    handle.focus()
    handle.press("End")  # the keyboard path a person without a mouse uses

    page.wait_for_function(
        "([el, text]) => el.innerText !== text",
        arg=[ranking.element_handle(), before[0]],
        timeout=30_000,
    )
    after = (ranking.inner_text(), verdict.inner_text())
    assert after[0] != before[0] and after[1] != before[1]
    explorer.screenshot(path=str(shots / "03-explorer-after.png"))
