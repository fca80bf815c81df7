"""The playground under heavy tables, in a real browser (Debian's chromium
through Playwright): a page preparing a large table never stops another
page's frames, and a table of thousands of columns trains and draws. The
server's peak memory on the uploads that used to exhaust it is stated by
``python -m benchmarks.playground --uploads``, not asserted here."""


import numpy as np
import pandas as pd

from playground_helpers import require_browser_tools  # noqa: E402

require_browser_tools()

from playground_helpers import epoch, frames, shoot, step, upload, wait_for_frame  # noqa: E402


def open_page(context, server, errors, width=1400):
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(server.url)
    wait_for_frame(page)
    return page


def test_other_pages_keep_getting_frames_while_one_prepares_a_large_table(context, server, tmp_path):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.normal(size=(150_000, 4)).round(3), columns=["a", "b", "c", "d"])
    table["label"] = np.where(table["a"] + table["b"] > 0, "yes", "no")
    path = tmp_path / "large.csv"
    table.to_csv(path, index=False)
    errors = []
    training = open_page(context, server, errors)
    uploading = open_page(context, server, errors)
    training.get_by_test_id("play").click()
    training.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 5")
    before_frames, before_epoch = frames(training), epoch(training)
    # reading, splitting and encoding 150,000 rows takes the server seconds
    upload(uploading, path)
    assert uploading.evaluate("window.playground.state.data.train.total") == 75_000
    # meanwhile the other page's frames kept coming, and its training went on
    assert frames(training) - before_frames >= 3 and epoch(training) > before_epoch
    training.get_by_test_id("play").click()
    step(uploading)
    assert epoch(uploading) == 1
    assert errors == []


def test_a_table_of_thousands_of_columns_trains_and_draws(context, server, tmp_path):
    rng = np.random.default_rng(1)
    values = rng.random((40, 2000)).round(3)
    table = pd.DataFrame(values, columns=[f"pixel_{j}" for j in range(2000)])
    table["label"] = np.where(values[:, 0] > 0.5, "a", "b")
    path = tmp_path / "wide.csv"
    table.to_csv(path, index=False)
    errors = []
    page = open_page(context, server, errors, width=800)
    upload(page, path)
    assert len(page.evaluate("window.playground.state.data.inputs")) == 2000
    # one block for the inputs, named, and every hidden and output unit drawn
    assert page.locator("#network .input").count() == 1
    assert "2000 inputs" in page.locator("#network").text_content()
    assert page.get_by_test_id("neuron").count() == 4 + 2 + 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    step(page, 2)
    assert epoch(page) == 2
    shoot(page, tmp_path, "wide")
    assert errors == []
