"""The widget in a real JupyterLab: a notebook builds ``glassnet.widget``,
Debian's chromium (through Playwright) presses its buttons, and the next
cell reads the model the view showed. One server and one notebook for the
module; the tests run in order on the same page."""

import os
import re
from pathlib import Path

import pytest

from playground_helpers import require_browser_tools  # noqa: E402

require_browser_tools("anywidget", "jupyterlab")

from notebook_helpers import JupyterLab, write_notebook  # noqa: E402

CELLS = [
    'import glassnet\nw = glassnet.widget(dataset="circle")\nw',
    'print(f"epochs={len(w.model.error_list)} history={len(w.model.history)} epoch={w.epoch}")',
    # training on in a cell continues the widget's run: the same bits as one run of all the epochs
    "import numpy as np\nk = len(w.model.error_list)\nw.model.train(w.X, w.y, 5)\n"
    'once = glassnet.widget(dataset="circle")\nonce.model.train(once.X, once.y, k + 5)\n'
    'print("one run:", np.array_equal(w.model.network.params, once.model.network.params), '
    "w.model.error_list == once.model.error_list)",
    "data = glassnet.load_tutorial()\nnn = glassnet.NeuralNetwork(seed=0)\n"
    "nn.train(data.X_train / 10, data.y_train, 300, live=True)\nnn",
]
WAIT = 120_000  # ms: a kernel's first import of scikit-learn on a busy machine


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("notebooks")
    write_notebook(root / "widget.ipynb", CELLS)
    server = JupyterLab(root, tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def notebook(browser, lab):
    """The notebook open in JupyterLab, its kernel idle, and the page's errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(lab.url("widget.ipynb"))
    page.locator(".jp-Notebook .jp-Cell").nth(len(CELLS) - 1).wait_for()
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    page.errors = errors
    yield page
    context.close()


def run_cell(page, index: int):
    """Run the notebook's cell ``index`` as a user does: click into it, Shift+Enter; again if the
    notebook was not ready to run it (its prompt still says "[ ]")."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    for _ in range(5):
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        try:
            cell.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\*|\d+)\]")).wait_for(timeout=10_000)
            return cell
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"cell {index} never ran")


def widget_epoch(page) -> int:
    return int(page.get_by_test_id("epoch").text_content())


def shoot(page, tmp_path, name):
    """A screenshot, kept in the folder GLASSNET_SCREENSHOTS names, if any."""
    folder = Path(os.environ.get("GLASSNET_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_play_pause_and_the_next_cell_reads_the_epochs_the_page_shows(notebook, tmp_path):
    page = notebook
    cell = run_cell(page, 0)
    view = cell.locator(".glassnet-widget")
    view.locator("[data-testid=play]").wait_for()
    page.wait_for_function("document.querySelector('.glassnet-widget')?.dataset.frames >= '1'")
    for name in ("play", "step", "reset", "epoch", "train-loss", "test-loss", "network", "boundary", "trace"):
        assert view.get_by_test_id(name).count() == 1, name
    assert widget_epoch(view) == 0
    # the page's modules drew the network: a heat map per neuron of the 2-4-2-1 network
    assert view.locator("[data-testid=network] [data-testid=neuron]").count() == 4 + 2 + 1
    loss_at_start = view.get_by_test_id("train-loss").text_content()
    play = view.get_by_test_id("play")
    play.click()
    page.wait_for_function("Number(document.querySelector('.glassnet-widget [data-testid=epoch]').textContent) >= 20")
    assert play.text_content() == "Pause"
    play.click()
    page.wait_for_function("document.querySelector('.glassnet-widget [data-testid=play]').textContent === 'Play'")
    page.wait_for_timeout(500)  # any frame still on its way arrives
    paused = widget_epoch(view)
    assert paused >= 20 and view.get_by_test_id("train-loss").text_content() != loss_at_start
    page.wait_for_timeout(500)
    assert widget_epoch(view) == paused  # paused means paused
    assert view.locator("[data-id=curves] canvas").count() >= 1
    output = run_cell(page, 1).locator(".jp-OutputArea-output")
    output.filter(has_text="epochs=").wait_for()
    assert output.text_content().strip() == f"epochs={paused} history={paused} epoch={paused}"
    output = run_cell(page, 2).locator(".jp-OutputArea-output")
    output.filter(has_text="one run:").wait_for()
    assert output.text_content().strip() == "one run: True True"
    # the view shows what the cell trained once the cell ends
    page.wait_for_function(f"document.querySelector('.glassnet-widget [data-testid=epoch]').textContent === '{paused + 5}'")
    shoot(page, tmp_path, "widget")


def test_step_trains_one_epoch_and_a_click_shows_the_trace(notebook):
    page = notebook
    view = page.locator(".glassnet-widget")
    before = widget_epoch(view)
    view.get_by_test_id("step").click()
    page.wait_for_function(f"document.querySelector('.glassnet-widget [data-testid=epoch]').textContent === '{before + 1}'")
    point = page.evaluate("document.querySelector('.glassnet-widget').glassnet.pointPixel('train', 0)")
    page.mouse.click(point["x"], point["y"])
    trace = view.get_by_test_id("trace")
    trace.locator("table").wait_for()
    assert re.match(r"row \d+ of the file \(train part\), target label = -?1", trace.locator(".summary").text_content())
    # every number of the forward and backward pass: the input, then z, a, delta and gradients per layer
    assert trace.locator("td.values").count() == 2 + 3 * 5
    view.get_by_test_id("reset").click()
    page.wait_for_function("document.querySelector('.glassnet-widget [data-testid=epoch]').textContent === '0'")
    assert trace.locator("table").count() == 0


def test_a_live_curve_under_the_cell_and_the_model_draws_itself(notebook):
    page = notebook
    cell = run_cell(page, 3)
    card = cell.locator(".glassnet-card")
    card.wait_for()
    assert card.locator("td[data-figure=epochs]").text_content() == "300"
    assert card.locator("td[data-figure=parameters]").text_content() == "12"
    assert card.locator("svg.glassnet-layers circle").count() == 3 + 3 + 1
    assert card.locator("svg.glassnet-sparkline polyline").count() == 1
    # the live curve, redrawn in place: one picture, at its last epoch
    live = cell.locator(".glassnet-live")
    assert live.count() == 1
    assert "epoch 300/300" in live.text_content()
    assert notebook.errors == []
