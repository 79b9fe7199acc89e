"""The series in a real browser: JupyterLab + Debian's Chromium, driven by Playwright.

Notebook 00 is opened, cleared and run in full. For notebooks 01 and 03 this does what a
learner does: open the notebook in JupyterLab, clear
the saved outputs, Run All, wait for the kernel to be idle, and then checks that no cell shows
an error (no stderr output, no widget that failed to render), moves the explorer's slider with
the keyboard (focus the handle, press ArrowRight) and checks that the displayed maths changed
to the value backprop_lib's plain compute function gives for the new slider value. In 03 it
then switches the stepper to "your turn", types a slip and the right value, and checks the
feedback. In 04 it picks a wrong formula in the dW explorer and moves its batch slider. A
screenshot of each notebook after the move is saved in ``artifacts/``. Last, the instructors'
nbgitpuller link (coursework.links.nbgitpuller_url) is followed through a real nbgitpuller
into JupyterLab.

Marked ``browser``, ``server`` and ``slow``; ``make test-browser`` runs them alone (and installs,
where it can, Debian's chromium). The browser is found at $BACKPROP_CHROMIUM, /usr/bin/chromium
or on PATH; with no browser the tests skip and say so. JupyterLab serves a temporary copy of
notebooks/ (so autosave never touches the committed files) on 127.0.0.1 with a random token.
"""

import re
import shutil
import subprocess
import time

import pytest
from conftest import ROOT

from benchmarks.lab import (
    IDLE_JS,
    LAB_START_TIMEOUT,
    PANEL,
    RUN_ALL_TIMEOUT,
    cell_problems,
    find_chromium,
    jupyterlab_on_copy,
    open_notebook,
    run_all,
)

ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

UPDATE_TIMEOUT = 30  # s: a slider move until the explorer shows the new value


FIND_EXPLORER_JS = """([panel, label, marker]) => {
    // the first slider labelled `label` whose enclosing widget box also shows `marker`
    for (const slider of document.querySelectorAll(panel + ' .widget-slider')) {
        const text = slider.querySelector('.widget-label')?.textContent.trim();
        if (text !== label) continue;
        for (let box = slider.parentElement; box; box = box.parentElement) {
            if (box.classList.contains('jp-OutputArea-output')) break;
            if (box.classList.contains('widget-box') && box.textContent.includes(marker)) {
                return [slider, box];
            }
        }
    }
    return null;
}"""


def find_explorer(page, label, marker, timeout=UPDATE_TIMEOUT):
    """``(slider, box)`` element handles: the slider labelled ``label`` and the nearest widget
    box around it whose text contains ``marker`` (so the right explorer is found even when a
    notebook has several sliders with that label)."""
    handle = page.wait_for_function(
        FIND_EXPLORER_JS, arg=[PANEL, label, marker], timeout=timeout * 1000, polling=250
    )
    slider_el = handle.evaluate_handle("pair => pair[0]").as_element()
    box_el = handle.evaluate_handle("pair => pair[1]").as_element()
    return slider_el, box_el


def press_slider(page, slider_el, key="ArrowRight", times=1):
    """Move a slider as a learner can with the keyboard: focus its noUiSlider handle, press."""
    handle = slider_el.query_selector(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def wait_until(predicate, timeout=UPDATE_TIMEOUT, what="condition"):
    """Poll ``predicate()`` until it returns a truthy value; return that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def readout(slider_el):
    """The number the slider displays next to its track."""
    return slider_el.query_selector(".widget-readout").text_content().strip()


def math_text(element):
    """The text of an element with rendered maths: MathJax 3 draws glyphs with CSS, so each
    formula is read from its assistive MathML (e.g. "∂L/∂y=−2(...)=−0.1234"), the rest as text."""
    return element.evaluate(
        """el => {
            const c = el.cloneNode(true);
            c.querySelectorAll('mjx-container').forEach(m => {
                const mml = m.querySelector('mjx-assistive-mml');
                m.replaceWith(document.createTextNode(' ' + (mml ? mml.textContent : '') + ' '));
            });
            return c.textContent.replace(/\\s+/g, ' ').trim();
        }"""
    )


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    return path


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        pytest.skip(
            "no Chromium found (looked at $BACKPROP_CHROMIUM, /usr/bin/chromium, PATH): "
            "install Debian's chromium (`make browser`, needs root) to run the browser tests"
        )
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/ (autosave cannot touch the repo)."""
    with jupyterlab_on_copy(ROOT / "notebooks", tmp_path_factory.mktemp("lab")) as served:
        yield served


@pytest.fixture(scope="module")
def browser(chromium):
    pytest.importorskip("playwright.sync_api", reason="playwright not installed: run `make install-test`")
    from benchmarks.lab import chromium as launch

    with launch(chromium) as b:  # a fresh, temporary user-data-dir for every run
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def notebook_or_skip(lab, name):
    base, token, root = lab
    assert (root / "notebooks" / name).exists(), f"notebooks/{name} is missing"
    return base, token, f"notebooks/{name}"


def run_clean(page, lab, name):
    """Open notebook ``name``, clear it, Run All; assert every cell ran and none shows a problem."""
    base, token, relpath = notebook_or_skip(lab, name)
    open_notebook(page, base, token, relpath)
    prompts = run_all(page)
    problems = cell_problems(page)
    assert not problems, f"{name} in JupyterLab:\n" + "\n".join(problems)
    not_run = [n for n, p in enumerate(prompts, start=1) if not re.search(r"\d", p)]
    assert not not_run, f"{name}: code cells {not_run} did not run (prompts {prompts})"
    return prompts


def normalise_maths(text):
    """Rendered maths as comparable text: no spaces, ASCII minus."""
    return re.sub(r"\s+", "", text).replace("\u2212", "-")


# --- the tests --------------------------------------------------------------------------------


def test_start_here_runs_clean_in_jupyterlab(page, lab):
    run_clean(page, lab, "00_start_here.ipynb")
    screenshot(page, "browser_00_start_here.png")


def test_total_derivatives_slider_updates_the_chain_rule(page, lab):
    """Notebook 01: move x one step right; the sum of the chain-rule terms shows df/dx there."""
    from backprop_course.explorers.nb01_total_derivatives import chain_rule_terms

    run_clean(page, lab, "01_total_derivatives.ipynb")
    slider_el, box = find_explorer(page, "x", "sum = df/dx")
    sum_js = """box => [...box.querySelectorAll('tr')]
        .find(r => r.textContent.includes('sum = df/dx'))?.lastElementChild.textContent.trim()"""
    x0, sum0 = float(readout(slider_el)), box.evaluate(sum_js)
    assert sum0 == f"{chain_rule_terms(x0)['total']:.6f}", f"at x = {x0} the table shows df/dx = {sum0}"

    press_slider(page, slider_el, "ArrowRight")
    x1 = wait_until(lambda: float(readout(slider_el)) != x0 and float(readout(slider_el)), what="x to move")
    assert x1 > x0, f"ArrowRight moved x from {x0} to {x1}"
    expected = f"{chain_rule_terms(x1)['total']:.6f}"
    shown = wait_until(
        lambda: box.evaluate(sum_js) if box.evaluate(sum_js) == expected else None,
        what=f"df/dx = {expected} at x = {x1} (table shows {box.evaluate(sum_js)})",
    )
    assert shown != sum0
    assert f"x = {x1:.3f}" in box.text_content()
    assert not cell_problems(page)
    box.scroll_into_view_if_needed()
    screenshot(page, "browser_01_total_derivatives.png")


def test_backprop_stepper_slider_shows_the_next_equation_and_your_turn_names_the_slip(page, lab):
    """Notebook 03: move the step slider one step; the equation shows that step's value, and the
    slider reads the step number the panel shows. Then the "your turn" mode: the value is
    hidden, a typed slip is named, the right value is accepted and the equation appears."""
    from backprop_course.explorers.nb02_network_equations import example_network
    from backprop_course.explorers.nb03_backprop_by_hand import backward_steps

    run_clean(page, lab, "03_backprop_by_hand.ipynb")
    steps = backward_steps(*example_network())
    slider_el, box = find_explorer(page, "step", f" of {len(steps)}: ")
    equation = box.query_selector(":scope > .widget-html")  # the step's own (HTML, no MathJax), not the check

    def shown(number):
        """Does the explorer show step `number` (counted from 1, as the slider) with its numbers?"""
        step = steps[number - 1]
        text = normalise_maths(math_text(equation))
        header = normalise_maths(f"Step {number} of {len(steps)}: {step.label}")
        return (
            header in text
            and text.endswith(f"={step.value:.4f}")
            and f"{step.value:.6f}" in box.text_content()
        )

    n0 = int(readout(slider_el))
    assert shown(n0), f"step {n0}: the explorer shows {math_text(equation)!r}"
    press_slider(page, slider_el, "ArrowRight")
    wait_until(lambda: int(readout(slider_el)) == n0 + 1, what=f"the step slider to read {n0 + 1}")
    step = steps[n0]
    wait_until(
        lambda: shown(n0 + 1),
        what=f"step {n0 + 1} ({step.label} = {step.value:.4f}); shown: {math_text(equation)!r}",
    )
    assert "✓" in box.text_content()
    assert not cell_problems(page)
    box.scroll_into_view_if_needed()
    screenshot(page, "browser_03_backprop_by_hand.png")

    # your turn: the value disappears until the learner types it
    box.query_selector(".widget-toggle-buttons button:text-is('your turn')").click()
    wait_until(lambda: "= ?" in math_text(equation), what="the step's value to be hidden")
    assert f"{step.value:.6f}" not in box.text_content()
    answer = box.query_selector(".widget-text input")
    feedback = box.query_selector_all(":scope > .widget-vbox .widget-htmlmath")  # the answer box's
    slip_text, slip_value = step.slips[0]

    def feedback_text():
        return " ".join(math_text(el) for el in feedback)

    answer.fill(f"{slip_value:.6f}")
    answer.press("Enter")
    wait_until(
        lambda: "is what you get if you" in feedback_text(), what=f"the slip {slip_text!r} to be named"
    )
    assert slip_text.split(":")[0] in feedback_text()
    answer.fill(f"{step.value:.6f}")
    answer.press("Enter")
    wait_until(lambda: "✓ right" in feedback_text(), what="the right value to be accepted")
    wait_until(lambda: shown(n0 + 1), what="the step's equation to appear once answered")
    assert not cell_problems(page)
    box.scroll_into_view_if_needed()
    screenshot(page, "browser_03_your_turn.png")


def test_dw_explorer_shows_each_wrong_formula_failing(page, lab):
    """Notebook 04: the dW explorer starts with the right formula passing its gradient check;
    choosing erratum 2 shows it cannot be W's gradient; the batch slider changes n."""
    from backprop_course.explorers import nb04_matrix_form as mf

    run_clean(page, lab, "04_matrix_form.ipynb")
    slider_el, box = find_explorer(page, "batch n", "central differences of the mean loss")
    n0 = int(readout(slider_el))
    assert mf.dw_view(2, mf.RIGHT, n0).verdict in box.text_content()
    wrong = "a(k)ᵀ dz  (erratum 2)"
    box.query_selector(
        f".widget-radio-box label:has-text('{wrong.split()[0]}'):has-text('erratum 2')"
    ).click()
    expected = mf.dw_view(2, wrong, n0).verdict
    wait_until(lambda: expected in box.text_content(), what=f"the verdict {expected!r}")
    press_slider(page, slider_el, "ArrowRight")
    wait_until(lambda: int(readout(slider_el)) == n0 + 1, what=f"the batch slider to read {n0 + 1}")
    wait_until(lambda: f"n = {n0 + 1}" in box.text_content(), what=f"a batch of n = {n0 + 1}")
    assert not cell_problems(page)
    box.scroll_into_view_if_needed()
    screenshot(page, "browser_04_matrix_form.png")


def test_nbgitpuller_link_clones_the_series_and_opens_start_here(page, lab, tmp_path):
    """The instructors' link (docs/instructors.md) against a real nbgitpuller: JupyterHub's
    ``/hub/user-redirect/`` sends a student to their own server's ``/git-pull``, which is
    exercised here directly, with the repository served from a local clone instead of GitHub."""
    pytest.importorskip("nbgitpuller", reason="nbgitpuller not installed: run `make install-test`")
    from urllib.parse import parse_qs, urlencode, urlsplit

    from coursework import links

    base, token, root = lab
    folder = links.REPO.split("/")[1]
    upstream = tmp_path / folder  # nbgitpuller names the clone after the repository's last part
    (upstream / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / links.START_HERE, upstream / "notebooks")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for cmd in (["init", "-q", "-b", links.BRANCH], ["add", "."], ["commit", "-q", "-m", "series"]):
        subprocess.run(git + cmd, cwd=upstream, check=True, capture_output=True)

    query = parse_qs(urlsplit(links.nbgitpuller_url(base)).query)
    assert query["repo"] == [f"https://github.com/{links.REPO}"]
    query["repo"] = [str(upstream)]  # the one change: a local repository instead of GitHub
    query["token"] = [token]
    page.goto(f"{base}/git-pull?{urlencode({k: v[0] for k, v in query.items()})}")

    expected_path = f"/lab/tree/{folder}/notebooks/{links.START_HERE}"
    page.wait_for_url(re.compile(re.escape(expected_path)), timeout=RUN_ALL_TIMEOUT * 1000)
    page.wait_for_function(IDLE_JS, timeout=LAB_START_TIMEOUT * 1000, polling=250)
    title = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert title.first.text_content().strip() == links.START_HERE
    assert (root / folder / "notebooks" / links.START_HERE).is_file(), "nbgitpuller did not clone"
    screenshot(page, "browser_nbgitpuller_00_start_here.png")
