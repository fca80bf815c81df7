"""The playground as people use it, in a real browser (Debian's chromium
driven by Playwright, against the real server): pages that each keep their
own upload, live edits, a trace that stays true, failed uploads that change
nothing, the column list, a layout that fits 800 px, and Ctrl-C."""

import json
import re
import signal

import numpy as np
import pandas as pd
import pytest

from playground_helpers import require_browser_tools  # noqa: E402

require_browser_tools()

from cli_helpers import FRUIT  # noqa: E402
from playground_helpers import (Server, applied, choose, download_history, epoch, loaded,  # noqa: E402
                                penguins_csv, shoot, step, upload, wait_for_frame)

# what Python prints for a warning it was not told otherwise about: "file.py:12: SomeWarning: ..."
RAW_WARNING = re.compile(r"\.py:\d+: \w+(Warning|Note)\b")


@pytest.fixture(scope="module")
def fruit_server():
    """A server started on a file: every new page's starting point."""
    running = Server(FRUIT, "--target", "fruit")
    yield running
    assert running.stop() == 0


def open_page(context, url, errors, width=1400):
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    wait_for_frame(page)
    return page


def dataset_options(page) -> list[str]:
    return page.locator("#dataset option").all_text_contents()


def running(page) -> bool:
    return page.get_by_test_id("play").text_content() == "Pause"


def reload(page):
    page.reload()
    wait_for_frame(page)


# --- 1. sessions ---------------------------------------------------------------------------------
def test_each_page_keeps_its_own_upload_and_a_reload_restores_its_own_state(context, fruit_server, tmp_path):
    errors = []
    first = open_page(context, fruit_server.url, errors)
    second = open_page(context, fruit_server.url, errors)
    for page in (first, second):
        # the file the server started with is where every page starts
        assert page.get_by_test_id("dataset").input_value() == "file"
        assert page.get_by_test_id("target").input_value() == "fruit"
    upload(first, penguins_csv(tmp_path / "penguins.csv"))
    assert first.get_by_test_id("dataset").input_value() == "upload"
    assert first.get_by_test_id("target").input_value() == "species"
    assert "your file: penguins.csv" in dataset_options(first)
    # the other page saw nothing of it
    assert second.get_by_test_id("target").input_value() == "fruit"
    assert not any("penguins" in option for option in dataset_options(second))
    choose(second, "dataset", "xor")
    # a reload of each page restores that page's own state from its link
    reload(first)
    reload(second)
    assert first.get_by_test_id("dataset").input_value() == "upload"
    assert first.get_by_test_id("target").input_value() == "species"
    assert "penguins.csv" in first.get_by_test_id("data-summary").text_content()
    assert second.get_by_test_id("dataset").input_value() == "xor"
    assert not any("penguins" in option for option in dataset_options(second))
    # a new page starts where the server started
    third = open_page(context, fruit_server.url, errors)
    assert third.get_by_test_id("dataset").input_value() == "file"
    assert third.get_by_test_id("target").input_value() == "fruit"
    assert errors == []


@pytest.mark.parametrize("link, missing", [
    ("dataset=upload&upload=0123456789abcdef&target=species", "no longer on the server"),
    ("dataset=file&target=colour_name", "lacks the Target column(s) 'colour_name'"),
])
def test_a_link_naming_data_no_longer_there_falls_back_to_the_start(context, fruit_server, link, missing):
    errors = []
    page = open_page(context, f"{fruit_server.url}#{link}", errors)
    notice = page.get_by_test_id("notice")
    notice.wait_for(state="visible")
    assert "could not be used" in notice.text_content() and missing in notice.text_content()
    # the start, never an empty list
    assert page.get_by_test_id("dataset").input_value() == "file"
    assert page.get_by_test_id("target").input_value() == "fruit"
    assert page.locator("#target option").count() >= 3
    assert "dataset=file" in page.url and "target=fruit" in page.url
    assert errors == []


# --- 2. live edits -------------------------------------------------------------------------------
def test_rate_l2_batch_and_optimiser_apply_while_training_and_the_history_records_them(app, tmp_path):
    app.get_by_test_id("play").click()
    app.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 10")
    for control, value in (("learning-rate", "0.1"), ("l2", "0.001"), ("batch-size", "25")):
        before = epoch(app)
        app.get_by_test_id(control).fill(value)
        applied(app, lambda: app.get_by_test_id(control).press("Enter"))
        # no reset: the run goes on from where it was
        assert running(app) and epoch(app) >= before
    assert "applied to the running network" in app.get_by_test_id("notice").text_content()
    # the optimiser too: its own settings come with it
    assert app.get_by_test_id("momentum").is_visible() and not app.get_by_test_id("beta-1").is_visible()
    applied(app, lambda: app.get_by_test_id("optimizer").select_option("adam"))
    assert running(app) and app.get_by_test_id("beta-1").is_visible() and not app.get_by_test_id("momentum").is_visible()
    app.get_by_test_id("play").click()
    app.wait_for_function("document.querySelector('[data-testid=play]').textContent === 'Play'")
    assert "learning_rate=0.1" in app.url and "optimizer=adam" in app.url
    history = download_history(app, tmp_path)
    assert history["epoch"].tolist() == list(range(1, len(history) + 1)) and len(history) >= epoch(app) - 1
    changed = history.dropna(subset=["change"])
    # each edit is recorded once, at the first epoch trained with it, and the settings columns follow
    assert [text.split(" ")[0] for text in changed["change"]] == ["learning_rate", "l2", "batch_size", "optimizer"]
    rate, l2, batch, optimizer = changed["epoch"].tolist()
    assert rate <= l2 <= batch <= optimizer
    assert set(history.loc[history["epoch"] < rate, "learning_rate"]) == {0.03}
    assert set(history.loc[history["epoch"] >= rate, "learning_rate"]) == {0.1}
    assert set(history.loc[history["epoch"] < l2, "l2"]) == {0.0} and set(history.loc[history["epoch"] >= l2, "l2"]) == {0.001}
    assert set(history.loc[history["epoch"] >= batch, "batch_size"]) == {25}
    assert set(history.loc[history["epoch"] < optimizer, "optimizer"]) == {"sgd"}
    assert set(history.loc[history["epoch"] >= optimizer, "optimizer"]) == {"adam"}


def test_layers_activation_loss_data_and_seed_reset_and_say_so(app):
    changes = {
        "hidden layers": lambda: loaded(app, lambda: app.click("#add-layer")),
        "activation": lambda: loaded(app, lambda: app.locator(".layer-editor select").nth(0).select_option("relu")),
        "loss": lambda: loaded(app, lambda: app.select_option("#loss", "squared_error")),
        "data set": lambda: choose(app, "dataset", "xor"),
    }
    for name, change in changes.items():
        app.get_by_test_id("play").click()
        app.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 5")
        change()
        app.wait_for_function("document.querySelector('[data-testid=play]').textContent === 'Play'")
        assert epoch(app) == 0
        notice = app.get_by_test_id("notice").text_content()
        assert notice.startswith("new ") and name in notice and notice.endswith("a new network, from epoch 0")
    app.get_by_test_id("seed").fill("3")
    loaded(app, lambda: app.get_by_test_id("seed").press("Enter"))
    assert app.get_by_test_id("notice").text_content() == "new seed: a new network, from epoch 0" and epoch(app) == 0


# --- 3. a true trace ------------------------------------------------------------------------------
def trace_numbers(page) -> dict:
    return {cell.get_attribute("data-name"): json.loads(cell.get_attribute("data-values"))
            for cell in page.get_by_test_id("trace").locator("td.values").all()}


def click_point(page, part="train", index=3):
    summary = page.get_by_test_id("trace").locator("p.summary")
    point = page.evaluate(f"window.playground.pointPixel('{part}', {index})")
    box = page.get_by_test_id("boundary").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    summary.wait_for()
    return summary


def trace_epoch(page) -> int:
    return int(page.get_by_test_id("trace").locator("p.summary").get_attribute("data-epoch"))


def test_the_trace_follows_the_weights_and_goes_with_the_data(app):
    summary = click_point(app)
    row = summary.get_attribute("data-row")
    start = trace_numbers(app)
    assert trace_epoch(app) == 0
    step(app)
    app.wait_for_function("document.querySelector('#trace p.summary').dataset.epoch === '1'")
    after_step = trace_numbers(app)
    assert summary.get_attribute("data-row") == row and after_step["1.a"] != start["1.a"]
    # playing, then pausing: the trace is the one of the weights on show
    app.get_by_test_id("play").click()
    app.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 30")
    app.get_by_test_id("play").click()
    app.wait_for_function("document.querySelector('[data-testid=play]').textContent === 'Play'")
    app.wait_for_function("document.querySelector('#trace p.summary').dataset.epoch === "
                          "document.querySelector('[data-testid=epoch]').textContent")
    # a live edit of L2 changes the gradients: recomputed
    app.get_by_test_id("l2").fill("0.5")
    applied(app, lambda: app.get_by_test_id("l2").press("Enter"))
    app.wait_for_function("document.querySelector('#trace p.summary').textContent.includes('L2 penalty included')")
    # reset: the same row, the starting weights again
    loaded(app, app.get_by_test_id("reset").click)
    app.wait_for_function("document.querySelector('#trace p.summary').dataset.epoch === '0'")
    app.wait_for_function("document.querySelector('#trace p.summary').textContent.includes('L2 penalty included')")
    assert trace_numbers(app)["1.a"] == start["1.a"] and summary.get_attribute("data-row") == row
    # other data: the row is gone, and so is its trace
    choose(app, "dataset", "xor")
    app.wait_for_function("!document.querySelector('#trace p.summary')")
    assert "The data changed" in app.get_by_test_id("trace").text_content()
    assert app.evaluate("window.playground.boundary.selected") is None


# --- 4. a failed upload -----------------------------------------------------------------------------
@pytest.mark.parametrize("content, expected", [
    (b"\x00\x01\x02binary", "binary"),
    (b"a\n1\n2\n3\n4\n5\n6\n", "no column besides the target"),
    (b"a,b,target\n1,2,yes\n3,4,yes\n5,6,yes\n7,8,yes\n", "single class"),
])
def test_a_failed_upload_changes_nothing_on_the_page(app, tmp_path, content, expected):
    app.get_by_test_id("play").click()
    app.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 5")
    options, link = dataset_options(app), app.url
    summary = app.get_by_test_id("data-summary").text_content()
    loads = app.evaluate("window.playground.state.loads")
    before = epoch(app)
    bad = tmp_path / "onecol.csv"
    bad.write_bytes(content)
    app.get_by_test_id("upload").set_input_files(str(bad))
    error = app.get_by_test_id("error")
    error.wait_for(state="visible")
    assert expected in error.text_content()
    # nothing changed: the list of data sets, the data, the link, and the run goes on
    assert dataset_options(app) == options and app.get_by_test_id("dataset").input_value() == "circle"
    assert app.get_by_test_id("data-summary").text_content() == summary and app.url == link
    assert app.evaluate("window.playground.state.loads") == loads
    assert running(app) and epoch(app) >= before
    app.get_by_test_id("play").click()


# --- 5. your data, your choice ---------------------------------------------------------------------
def test_the_summary_counts_what_is_used_and_columns_can_be_left_out(app, tmp_path):
    from glassnet.playground.tables import page_table
    from glassnet.tabular.reading import read_table

    csv = noted_penguins(tmp_path)
    upload(app, csv)
    prepared, notes = page_table(read_table(csv), "species", 0.5, 0, "'penguins.csv'")
    filled = sum(sum(counts.values()) for counts in prepared.filled.values())
    text = app.get_by_test_id("data-summary").text_content()
    assert (f"{len(prepared.X_train)} training and {len(prepared.X_test)} test rows, 5 inputs from 3 columns; "
            f"3 classes; {filled} empty cell(s) filled") in text
    # the pipeline's notes, as it says them
    assert notes and app.get_by_test_id("data-notes").locator("li").all_text_contents() == notes
    columns = app.get_by_test_id("columns")
    # a box per column: the target and the column the pipeline left out cannot be ticked
    assert columns.locator("input").count() == 5
    assert columns.locator("input:checked").count() == 4 and columns.locator("input:disabled").count() == 2
    loaded(app, lambda: columns.locator("input[value=island]").uncheck())
    assert app.evaluate("window.playground.state.data.inputs") == ["bill_length_mm", "flipper_length_mm"]
    assert "2 inputs; 3 classes" in app.get_by_test_id("data-summary").text_content()
    assert "ignore=island" in app.url
    shoot(app, tmp_path, "penguins-columns")
    # the choice survives a reload, and the column comes back when ticked
    reload(app)
    assert not app.get_by_test_id("columns").locator("input[value=island]").is_checked()
    loaded(app, lambda: app.get_by_test_id("columns").locator("input[value=island]").check())
    assert len(app.evaluate("window.playground.state.data.inputs")) == 5


def noted_penguins(tmp_path):
    """Palmer penguins with empty cells, a text column and a column of one value (which the pipeline leaves out, noted)."""
    path = penguins_csv(tmp_path / "penguins.csv")
    table = pd.read_csv(path)
    table.insert(2, "study", "PAL0708")
    table.to_csv(path, index=False)
    return path


def test_a_column_the_pipeline_leaves_out_is_shown_and_cannot_be_ticked(app, tmp_path):
    table = pd.DataFrame({"x": np.arange(40) % 7, "same": 1, "y": np.arange(40) % 2})
    path = tmp_path / "constant.csv"
    table.to_csv(path, index=False)
    upload(app, path)
    same = app.get_by_test_id("columns").locator("input[value=same]")
    assert same.is_disabled() and not same.is_checked()
    assert any("'same' left out" in note for note in app.get_by_test_id("data-notes").locator("li").all_text_contents())


# --- 6. layout -------------------------------------------------------------------------------------
def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def inside_its_panel(page, locator) -> bool:
    box = locator.bounding_box()
    holder = page.locator(".network-holder").bounding_box()
    return box["x"] >= holder["x"] - 1 and box["x"] + box["width"] <= holder["x"] + holder["width"] + 1 \
        and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("width", [800, 1400])
def test_the_page_fits_its_window_and_names_every_input(context, server, width, tmp_path):
    errors = []
    page = open_page(context, server.url, errors, width=width)
    assert page.get_by_test_id("learning-rate").input_value() == "0.03"
    assert no_sideways_scroll(page)
    output = page.locator("[data-testid=neuron][data-layer='3']")
    assert inside_its_panel(page, output)
    shoot(page, tmp_path, f"circle-{width}")
    # 30 inputs: each named (shortened to fit), the full name on hover
    choose(page, "dataset", "breast_cancer")
    assert no_sideways_scroll(page)
    inputs = page.locator("#network .input")
    names = page.evaluate("window.playground.state.data.inputs")
    assert inputs.count() == len(names) == 30
    labels = inputs.locator("text").all_text_contents()
    assert len(labels) == 30 and all(len(label) <= 17 for label in labels)
    for label, name in zip(labels, names):
        assert label == name or (label.endswith("…") and name.startswith(label[:-1]))
    assert inputs.locator("title").all_text_contents() == names
    longest = max(range(30), key=lambda i: len(names[i]))
    inputs.nth(longest).hover()
    assert names[longest] in page.locator("#tooltip").text_content()
    assert inside_its_panel(page, page.locator("[data-testid=neuron][data-layer='3']"))
    # the labels do not overlap
    tops = [box["y"] for box in (inputs.nth(i).locator("text").bounding_box() for i in range(30))]
    assert min(np.diff(tops)) >= 10
    shoot(page, tmp_path, f"breast-cancer-{width}")
    assert errors == []


def test_axes_print_distinct_ticks_at_every_epoch(app):
    def check():
        curves = app.evaluate("window.playground.curves.printed")
        boundary = app.evaluate("window.playground.boundary.printed")
        for labels in curves + boundary:
            assert len(labels) >= 2 and len(set(labels)) == len(labels), (curves, boundary)
        # whole epochs across
        assert all(float(label).is_integer() for label in curves[0])

    check()  # epoch 0: one point
    for _ in range(3):
        step(app)
        check()
    # a table whose inputs are large numbers on a small range
    choose(app, "dataset", "wine")
    loaded(app, lambda: app.select_option("#feature_x", label="proline"))
    check()


# --- 7. Ctrl-C and words, not warnings ------------------------------------------------------------
def test_ctrl_c_stops_the_server_with_pages_training_and_notes_are_words(page, tmp_path):
    running_server = Server()
    try:
        page.goto(running_server.url)
        wait_for_frame(page)
        upload(page, noted_penguins(tmp_path))
        # the pipeline's notes reach the page, in words
        assert any("'study' left out" in note for note in page.get_by_test_id("data-notes").locator("li").all_text_contents())
        page.get_by_test_id("play").click()
        page.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 20")
        running_server.process.send_signal(signal.SIGINT)
        # a hang guard, not a timing: the benchmark measures how fast it stops (under a second)
        assert running_server.process.wait(timeout=20) == 0
        errors = running_server.process.stderr.read()
        assert "Traceback" not in errors and not RAW_WARNING.search(errors), errors
    finally:
        running_server.stop()
