"""Slider latency in a real browser: from the key press on a slider's handle until the explorer
shows a changed image or text, painted.

JupyterLab serves a temporary copy of ``notebooks/`` and Debian's Chromium (headless, driven
by Playwright) opens each numbered notebook, clears it and runs it all through JupyterLab's
menus, exactly as the browser test does (``benchmarks.lab``). Then every slider in the
notebook's outputs is moved with the keyboard, as a learner can: its noUiSlider handle is
focused and ArrowRight (or ArrowLeft) pressed, ``moves`` times away from where the notebook
left it (turning back at an end of its range), then the same keys in reverse back to the start.
Before each move the kernel is idle.

Each move is timed inside the page, on the page's clock: from the ``keydown`` event's time stamp
until the first change of the explorer's output (the output area that holds the slider) — an
image whose ``src`` changed or a changed text of an HTML/HTMLMath widget — is on screen: the
changed images decoded, then the next animation frame rendered (the first task after its
``requestAnimationFrame`` callback). "to DOM change" is the time until the change itself; the
difference is decoding and waiting for the frame (at most 16.7 ms at 60 Hz). The slider's own
readout does not count. A move after which nothing changes within ``MOVE_TIMEOUT_S`` is
counted as a move without a change (and fails the budget).

Budgets (the performance issue): median ≤ 100 ms and max ≤ 250 ms per slider.
"""

import tempfile
import time
from pathlib import Path

import numpy as np

from . import lab

MEDIAN_BUDGET_MS = 100.0
MAX_BUDGET_MS = 250.0
MOVES = 6
MOVE_TIMEOUT_S = 10.0
ROOT = Path(__file__).resolve().parent.parent

# Mark every slider in the notebook's outputs with data-bp-slider="k"; return their labels.
FIND_SLIDERS_JS = f"""() => {{
    const sliders = [...document.querySelectorAll('{lab.PANEL} .jp-OutputArea-output .widget-slider')]
        .filter(s => s.querySelector('.noUi-handle'));
    return sliders.map((s, k) => {{
        s.setAttribute('data-bp-slider', String(k));
        return s.querySelector('.widget-label')?.textContent.trim() || `slider ${{k}}`;
    }});
}}"""

# Slider k's position (value, low, high, step) from its noUiSlider (aria values are rounded).
POSITION_JS = """k => {
    const api = document.querySelector(`[data-bp-slider="${k}"] .noUi-target`).noUiSlider;
    return [Number(api.get(true)), api.options.range.min, api.options.range.max, api.options.step || 1];
}"""

# Arm one measurement: the next keydown on the handle starts the clock; the promise resolves
# with {dom, painted} in ms after the explorer's output changed, or {timeout: true}.
ARM_JS = """([k, timeoutMs]) => {
    const slider = document.querySelector(`[data-bp-slider="${k}"]`);
    const scope = slider.closest('.jp-OutputArea-output');
    const handle = slider.querySelector('.noUi-handle');
    const images = () => [...scope.querySelectorAll('img')];
    const texts = () => [...scope.querySelectorAll('.widget-html, .widget-htmlmath')].map(e => e.textContent);
    const snapshot = () => JSON.stringify([images().map(i => i.src), texts()]);
    const before = snapshot();
    const srcBefore = new Map(images().map(i => [i, i.src]));
    window.__bpMove = new Promise(resolve => {
        let t0 = null, done = false;
        const onKey = e => { if (t0 === null) t0 = e.timeStamp; };
        handle.addEventListener('keydown', onKey, {capture: true});
        const finish = result => {
            if (done) return;
            done = true;
            observer.disconnect();
            clearTimeout(timer);
            handle.removeEventListener('keydown', onKey, {capture: true});
            resolve(result);
        };
        const observer = new MutationObserver(() => {
            if (t0 === null || snapshot() === before) return;
            const tDom = performance.now();
            observer.disconnect();
            const changed = images().filter(i => srcBefore.get(i) !== i.src);
            // after the next frame's rendering, the first task: the change is on screen
            const afterPaint = () => {
                const channel = new MessageChannel();
                channel.port1.onmessage = () => finish({dom: tDom - t0, painted: performance.now() - t0});
                channel.port2.postMessage(null);
            };
            Promise.all(changed.map(i => i.decode().catch(() => null)))
                .then(() => requestAnimationFrame(afterPaint));
        });
        observer.observe(scope, {subtree: true, childList: true, characterData: true,
                                 attributes: true, attributeFilter: ['src']});
        const timer = setTimeout(() => finish({timeout: true}), timeoutMs);
    });
    return true;
}"""


def walk(position, moves=MOVES):
    """The keys of one slider's sweep: ``moves`` steps away from ``now`` (turning at the ends of
    ``[low, high]``), then the reverse keys back. ``position = (now, low, high)`` in steps."""
    now, low, high = position
    keys, direction = [], 1 if now < high else -1
    for _ in range(moves):
        if not low <= now + direction <= high:
            direction = -direction
            if not low <= now + direction <= high:
                break  # a slider with a single position
        keys.append("ArrowRight" if direction > 0 else "ArrowLeft")
        now += direction
    back = ["ArrowLeft" if k == "ArrowRight" else "ArrowRight" for k in reversed(keys)]
    return keys + back


def position(page, k):
    """``(now, low, high)`` of slider k, counted in key presses (steps) from the low end."""
    value, low, high, step = page.evaluate(POSITION_JS, k)
    return round((value - low) / step), 0, round((high - low) / step)


def measure_slider(page, k, moves=MOVES):
    """``[{key, value, painted, dom} or {key, value, timeout}]`` for one slider's sweep;
    ``value`` is the slider's position (in steps) after the move."""
    handle = page.locator(f'[data-bp-slider="{k}"] .noUi-handle')
    records = []
    for key in walk(position(page, k), moves):
        page.wait_for_function(lab.IDLE_JS, timeout=60_000, polling=50)
        page.evaluate(ARM_JS, [k, MOVE_TIMEOUT_S * 1000])
        handle.focus()
        page.keyboard.press(key)
        result = page.evaluate("window.__bpMove")
        result.update(key=key, value=position(page, k)[0])
        records.append(result)
    return records


def summarise(notebook, label, records):
    """One row of the table from one slider's records."""
    painted = [r["painted"] for r in records if "painted" in r]
    dom = [r["dom"] for r in records if "dom" in r]
    seen, first = {records[-1]["value"]} if records else set(), []  # a sweep ends where it began
    for r in records:
        if "painted" in r and r["value"] not in seen:
            first.append(r["painted"])
        seen.add(r["value"])
    no_change = sum(1 for r in records if r.get("timeout"))
    worst = [*painted, *([MOVE_TIMEOUT_S * 1000] if no_change else [])]
    return {
        "notebook": notebook,
        "slider": label,
        "moves": len(records),
        "median_ms": float(np.median(painted)) if painted else None,
        "max_ms": float(np.max(worst)) if worst else None,
        "first_visit_max_ms": float(np.max(first)) if first else None,
        "dom_median_ms": float(np.median(dom)) if dom else None,
        "no_change": no_change,
        "error": None,
    }


def numbered(labels):
    """Labels with their order among equal ones, where a notebook has several: "lr (2 of 3)"."""
    counts = {label: labels.count(label) for label in labels}
    seen = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if counts[label] == 1 else f"{label} ({seen[label]} of {counts[label]})")
    return out


def measure_notebook(page, base, token, relpath, moves=MOVES, progress=None):
    """``(status, [slider rows])`` for one notebook: open, clear, Run All, move every slider."""
    name = Path(relpath).name
    lab.open_notebook(page, base, token, relpath)
    t0 = time.perf_counter()
    lab.run_all(page)
    problems = lab.cell_problems(page)
    status = "ok" if not problems else f"{len(problems)} problem output(s): {problems[0][:200]}"
    labels = numbered(page.evaluate(FIND_SLIDERS_JS))
    if progress:
        progress(f"  {name}: ran in {time.perf_counter() - t0:.1f} s; sliders {labels}")
    rows = []
    for k, label in enumerate(labels):
        try:
            rows.append(summarise(name, label, measure_slider(page, k, moves)))
        except Exception as err:  # a broken slider is reported, not fatal to the benchmark
            row = summarise(name, label, [])
            row["error"] = f"{type(err).__name__}: {err}"[:160]
            rows.append(row)
    return status, rows


def measure_in_new_page(browser, base, token, name, moves=MOVES, progress=None):
    """``measure_notebook`` in a fresh browser context; an error becomes the notebook's status."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        return measure_notebook(page, base, token, f"notebooks/{name}", moves, progress)
    except Exception as err:  # one notebook that fails to open or run does not stop the others
        return f"error: {type(err).__name__}: {err}"[:200], []
    finally:
        context.close()


def measure_series(notebooks=None, moves=MOVES, progress=None, folder=ROOT / "notebooks"):
    """``{"sliders": [row], "notebooks": [{notebook, status}]}`` over the numbered notebooks of
    ``folder`` (or the ones named in ``notebooks``)."""
    chromium = lab.find_chromium()
    if chromium is None:
        return {"sliders": [], "notebooks": [{"notebook": "—", "status": "no Chromium found: skipped"}]}
    names = notebooks or sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb"))
    result = {"sliders": [], "notebooks": []}
    with tempfile.TemporaryDirectory() as work, lab.jupyterlab_on_copy(folder, Path(work)) as served:
        base, token, _ = served
        with lab.chromium(chromium) as browser:
            for name in names:
                status, rows = measure_in_new_page(browser, base, token, name, moves, progress)
                result["notebooks"].append({"notebook": name, "status": status})
                result["sliders"] += rows
    return result
