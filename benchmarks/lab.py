"""JupyterLab on loopback and Debian's Chromium driven by Playwright, as a learner uses them.

Shared by the browser test (``tests/e2e/test_browser_notebooks.py``) and the slider-latency
benchmark (``benchmarks/browser.py``): start JupyterLab on 127.0.0.1 with a random token over
a temporary copy of ``notebooks/`` (so autosave never touches the committed files), launch
Chromium, open a notebook, clear it, Run All through JupyterLab's own menus, wait until the
kernel is idle, and list the outputs that signal a problem.

The browser is found at $BACKPROP_CHROMIUM, /usr/bin/chromium or on PATH.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LAB_START_TIMEOUT = 90  # s: a cold JupyterLab on a loaded 2-core machine
RUN_ALL_TIMEOUT = 180  # s: the whole notebook, including kernel start


def find_chromium():
    """Path of a Chromium/Chrome binary, or None."""
    candidates = [os.environ.get("BACKPROP_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


@contextmanager
def chromium(path, headless=True):
    """A Playwright ``Browser`` of the Chromium at ``path`` (a fresh temporary profile)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=headless, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# Lab settings for the test user: no news feed or update check (the network is closed and a
# toast would cover the page); everything else is JupyterLab's default, as a learner has it.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _server_info(runtime, pid):
    """The ``jpserver-<pid>.json`` the server writes once it listens (its port), or None."""
    path = runtime / f"jpserver-{pid}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@contextmanager
def jupyterlab(root_dir, workdir):
    """Start JupyterLab serving ``root_dir`` on loopback; yield ``(base_url, token)``.

    The operating system picks a free port (``--port=0``); the server's runtime file says which.
    """
    token = secrets.token_hex(24)
    runtime, settings, workspaces = (workdir / d for d in ("runtime", "settings", "workspaces"))
    for folder in (runtime, settings, workspaces):
        folder.mkdir(parents=True, exist_ok=True)
    for rel, value in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ip=127.0.0.1", "--port=0", "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={root_dir}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI and containers run as root
    log_path = workdir / "jupyterlab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + LAB_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({proc.returncode}):\n{log_path.read_text()}")
            info = _server_info(runtime, proc.pid)
            if info:
                base = f"http://127.0.0.1:{info['port']}"
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterLab did not answer in {LAB_START_TIMEOUT} s:\n{log_path.read_text()}"
                )
            time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def jupyterlab_on_copy(notebooks, workdir):
    """JupyterLab serving a copy of the folder ``notebooks`` at ``<workdir>/root/notebooks``;
    yields ``(base_url, token, root)``."""
    root = Path(workdir) / "root"
    shutil.copytree(notebooks, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with jupyterlab(root, Path(workdir)) as (base, token):
        yield base, token, root


# --- what a learner does, in JupyterLab's own menus --------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim())"""


def menu(page, top, item):
    """Click ``item`` in the menu-bar menu ``top`` (e.g. "Run" -> "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


# Idle means both: the status bar names a kernel and says "Idle" (before a kernel exists the
# toolbar's execution indicator also reads idle), and the toolbar indicator is idle.
IDLE_JS = f"""() => {{
    const texts = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
    const kernel = texts.find(t => / \\| \\S+$/.test(t));
    const indicator = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator');
    return !!kernel && /\\| Idle$/.test(kernel) && indicator?.getAttribute('data-status') === 'idle';
}}"""


def open_notebook(page, base, token, relpath):
    """Open ``relpath`` in JupyterLab and wait until its kernel has started and is idle."""
    # A workspace of its own, so JupyterLab does not restore notebooks opened by earlier tests.
    workspace = f"{Path(relpath).stem}-{secrets.token_hex(4)}"
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{relpath}?token={token}")
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=LAB_START_TIMEOUT * 1000)
    title = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    title = title.first.text_content().strip()
    assert title == Path(relpath).name, f"JupyterLab shows {title!r}, not {Path(relpath).name!r}"
    page.wait_for_function(IDLE_JS, timeout=LAB_START_TIMEOUT * 1000, polling=250)


def run_all(page):
    """Clear every saved output, Run All, and wait until no cell is queued or running and the
    kernel is idle. Returns the code cells' prompts, e.g. ``['[1]:', '[2]:']``; after an error
    JupyterLab stops, and the cells it did not run keep an empty ``[ ]:``."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"({PROMPTS_JS})().every(t => !/\\d/.test(t))", timeout=10_000)
    menu(page, "Run", "Run All Cells")  # marks every code cell queued, [*], at once
    page.wait_for_function(
        f"""() => {{
            const prompts = ({PROMPTS_JS})();
            return prompts.some(t => /\\d/.test(t)) && !prompts.some(t => t.includes('*'))
                && ({IDLE_JS})();
        }}""",
        timeout=RUN_ALL_TIMEOUT * 1000,
        polling=250,
    )
    return page.evaluate(PROMPTS_JS)


def cell_problems(page):
    """Texts of outputs that signal a problem: stderr/tracebacks, widgets that failed to render."""
    stderr = page.locator(f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    problems = [f"stderr/error output: {t[:2000]}" for t in stderr.all_text_contents()]
    outputs = page.locator(f"{PANEL} .jp-OutputArea-output").all_text_contents()
    problems += [f"widget failed: {t[:500]}" for t in outputs if "Error displaying widget" in t]
    return problems
