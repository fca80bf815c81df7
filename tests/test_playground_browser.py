"""The playground in a real browser: Debian's chromium driven by Playwright,
against the real ``glassnet playground`` server in a subprocess."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from playground_helpers import require_browser_tools  # noqa: E402

require_browser_tools()

from cli_helpers import glassnet  # noqa: E402
from playground_helpers import (Server, applied, choose, chromium_or_skip, download_history, epoch,  # noqa: E402
                                loaded, penguins_csv, rich_trace_numbers, shoot, step, upload, wait_for_frame)


def test_play_moves_epoch_and_loss_and_pause_stands_still(app, tmp_path):
    play = app.get_by_test_id("play")
    assert play.text_content() == "Play" and epoch(app) == 0
    loss_at_start = app.get_by_test_id("train-loss").text_content()
    play.click()
    app.wait_for_function("Number(document.querySelector('[data-testid=epoch]').textContent) >= 20")
    assert play.text_content() == "Pause"
    play.click()
    app.wait_for_function("document.querySelector('[data-testid=play]').textContent === 'Play'")
    app.wait_for_timeout(300)  # any frame still on its way arrives
    paused_epoch, paused_loss = epoch(app), app.get_by_test_id("train-loss").text_content()
    assert paused_epoch >= 20 and paused_loss != loss_at_start
    app.wait_for_timeout(700)
    assert epoch(app) == paused_epoch and app.get_by_test_id("train-loss").text_content() == paused_loss
    # the loss curve and the boundary have been drawn
    assert app.locator("#curves canvas").count() >= 1
    shoot(app, tmp_path, "circle")


def test_step_is_exactly_one_epoch_and_reset_starts_again(app):
    first_loss = app.get_by_test_id("train-loss").text_content()
    step(app)
    assert epoch(app) == 1
    step(app, 2)
    assert epoch(app) == 3
    assert app.get_by_test_id("train-loss").text_content() != first_loss
    loaded(app, app.get_by_test_id("reset").click)
    assert epoch(app) == 0
    # the seed gives the same starting weights, so the same loss
    assert app.get_by_test_id("train-loss").text_content() == first_loss


def test_network_controls_and_settings_in_the_link(app, page, server):
    assert app.get_by_test_id("neuron").count() == 4 + 2 + 1
    loaded(app, lambda: app.click("#add-layer"))
    assert app.get_by_test_id("neuron").count() == 4 + 2 + 2 + 1
    loaded(app, app.locator(".layer-editor").nth(0).get_by_role("button", name="+").click)
    assert app.get_by_test_id("neuron").count() == 5 + 2 + 2 + 1
    loaded(app, lambda: app.locator(".layer-editor select").nth(1).select_option("relu"))
    for control, value in (("#learning_rate", "0.1"), ("#batch_size", "25"), ("#l2", "0.001")):
        app.fill(control, value)
        applied(app, lambda: app.press(control, "Enter"))
    app.fill("#seed", "7")
    loaded(app, lambda: app.press("#seed", "Enter"))
    choose(app, "dataset", "xor")
    applied(app, lambda: app.select_option("#optimizer", "adam"))
    link = app.url
    assert "hidden=5,2,2" in link and "activations=tanh,relu,tanh" in link and "dataset=xor" in link
    assert "seed=7" in link and "optimizer=adam" in link and "learning_rate=0.1" in link
    # a new page on the link rebuilds the same run
    other = page.context.new_page()
    other.goto(link)
    wait_for_frame(other)
    assert other.get_by_test_id("neuron").count() == 5 + 2 + 2 + 1
    assert other.input_value("#seed") == "7" and other.input_value("#optimizer") == "adam"
    assert other.get_by_test_id("train-loss").text_content() == app.get_by_test_id("train-loss").text_content()
    other.close()


def test_multiclass_boundary_is_coloured_by_class(app, tmp_path):
    choose(app, "dataset", "blobs")
    app.fill("#learning_rate", "0.1")
    applied(app, lambda: app.press("#learning_rate", "Enter"))
    step(app, 15)
    assert app.locator("#legend i").count() == 3
    assert app.get_by_test_id("neuron").count() == 4 + 2 + 3
    # the plot's pixels: each class's colour covers part of it
    shares = app.evaluate("""() => {
        const c = document.querySelector('[data-testid=boundary]');
        const d = c.getContext('2d').getImageData(54, 8, c.width - 62, c.height - 42).data;
        const palette = [[245,147,34],[8,119,189],[44,160,44]];
        const counts = [0, 0, 0];
        for (let i = 0; i < d.length; i += 4) {
            const hue = [d[i], d[i+1], d[i+2]];
            let best = -1, bestDistance = 1e9;
            palette.forEach((p, k) => {
                // a class colour paled towards white keeps its direction away from white
                const a = p.map((v) => 232 - v), b = hue.map((v, j) => [232, 234, 235][j] - v);
                const norm = Math.hypot(...b);
                if (norm < 25) return;
                const cos = (a[0]*b[0] + a[1]*b[1] + a[2]*b[2]) / (Math.hypot(...a) * norm);
                if (1 - cos < bestDistance) { bestDistance = 1 - cos; best = k; }
            });
            if (best >= 0 && bestDistance < 0.05) counts[best]++;
        }
        const total = d.length / 4;
        return counts.map((n) => n / total);
    }""")
    assert all(share > 0.08 for share in shares), shares
    shoot(app, tmp_path, "blobs")


def test_uploaded_csv_trace_and_model_match_the_command_line(app, tmp_path):
    csv = penguins_csv(tmp_path / "penguins.csv")
    upload(app, csv)
    assert app.locator("#target").input_value() == "species"
    note = app.locator("#data-note").text_content()
    # the empty cells are filled as glassnet train fills them, and the page says how many
    assert "3 classes" in note and "empty cell(s) filled" in note
    # the inputs: 2 numeric columns and island one-hot (3 islands)
    assert app.locator("#feature_x option").count() == 5
    step(app, 5)
    # the page's own upload
    assert app.locator("#dataset").input_value() == "upload"
    # click a training point; the panel shows its trace
    point = app.evaluate("window.playground.pointPixel('train', 3)")
    box = app.get_by_test_id("boundary").bounding_box()
    app.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    summary = app.get_by_test_id("trace").locator("p.summary")
    summary.wait_for()
    row = int(summary.get_attribute("data-row"))
    page_numbers = {cell.get_attribute("data-name"): np.array(json.loads(cell.get_attribute("data-values"))).ravel()
                    for cell in app.get_by_test_id("trace").locator("td.values").all()}
    shoot(app, tmp_path, "penguins-trace")
    with app.expect_download() as download:
        app.get_by_test_id("download-model").click()
    model = tmp_path / "playground.glassnet"
    download.value.save_as(model)

    traced = glassnet("trace", model, csv, "--row", row, env={"COLUMNS": "160"})
    assert traced.returncode == 0, traced.stderr
    cli_numbers = rich_trace_numbers(traced.stdout)
    assert set(cli_numbers) == set(page_numbers), (set(cli_numbers), set(page_numbers))
    for name, values in cli_numbers.items():
        # the terminal shows 4 decimals or 4 significant figures
        np.testing.assert_allclose(page_numbers[name], values, rtol=1e-3, atol=6e-5, err_msg=name)

    predicted = glassnet("predict", model, csv)
    assert predicted.returncode == 0, predicted.stderr
    table = pd.read_csv(io.StringIO(predicted.stdout))
    probabilities = ["probability_Adelie", "probability_Chinstrap", "probability_Gentoo"]
    assert list(table.columns) == ["row", "predicted_species", *probabilities, "note"]
    # one row per input row, each predicted: the page's model fills empty cells as glassnet train does
    assert len(table) == len(pd.read_csv(csv)) and table["note"].isna().all()
    # the clicked row's probabilities are its output layer in the page's trace
    clicked = table.loc[table["row"] == row, probabilities].to_numpy(float)[0]
    np.testing.assert_allclose(clicked, page_numbers["3.a"], rtol=1e-6, atol=1e-9)
    # and the page's accuracies, weighted by part, are the command line's accuracy on every row
    truth = pd.read_csv(csv)["species"].to_numpy()
    accuracy = float(np.mean(table["predicted_species"].to_numpy() == truth))
    train_part = float(app.locator("#train-metric").text_content())
    test_part = float(app.locator("#test-metric").text_content())
    n = len(truth)
    n_test = round(n * 0.5)
    assert accuracy == pytest.approx((train_part * (n - n_test) + test_part * n_test) / n, abs=2e-3)


def test_data_and_view_controls(app):
    data = "window.playground.state.data"
    first = app.evaluate(f"{data}.train.x.slice(0, 5)")
    # noise, points and the test share change the data
    app.locator("#noise").fill("30")
    loaded(app, lambda: app.locator("#noise").dispatch_event("change"))
    assert app.evaluate(f"{data}.settings.noise") == 0.3 and app.evaluate(f"{data}.train.x.slice(0, 5)") != first
    app.fill("#points", "200")
    loaded(app, lambda: app.press("#points", "Enter"))
    assert app.evaluate(f"{data}.train.x.length + {data}.test.x.length") == 200
    app.locator("#test_ratio").fill("20")
    loaded(app, lambda: app.locator("#test_ratio").dispatch_event("change"))
    assert app.evaluate(f"{data}.test.x.length") == 40
    # the loss, from the engine's registry
    loaded(app, lambda: app.select_option("#loss", "squared_error"))
    assert app.evaluate(f"{data}.loss") == "squared_error"
    # a bundled table: the plotted inputs and the target can be chosen
    choose(app, "dataset", "wine")
    loaded(app, lambda: app.select_option("#feature_x", label="proline"))
    assert app.evaluate(f"{data}.axes[0].name") == "proline"
    loaded(app, lambda: app.select_option("#feature_y", label="hue"))
    assert app.evaluate(f"{data}.axes.map((a) => a.name)") == ["proline", "hue"]
    assert app.locator("#network .input text").nth(12).text_content() == "proline"
    loaded(app, lambda: app.get_by_test_id("target").select_option("alcohol"))
    assert app.evaluate(f"{data}.task") == "regress" and app.locator("#metric-name").text_content() == "R²"
    loaded(app, lambda: app.click("#remove-layer"))
    assert app.get_by_test_id("neuron").count() == 4 + 1
    # hiding the test points, and hovering: a neuron, then the plot
    app.uncheck("#show-test")
    assert app.evaluate("document.querySelector('#show-test').checked") is False
    app.get_by_test_id("neuron").first.hover()
    tooltip = app.locator("#tooltip")
    assert tooltip.is_visible() and "bias =" in tooltip.text_content()
    box = app.get_by_test_id("boundary").bounding_box()
    app.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "predicted alcohol" in tooltip.text_content()


def test_history_download_has_one_row_per_epoch(app, tmp_path):
    step(app, 4)
    history = download_history(app, tmp_path)
    assert history["epoch"].tolist() == [1, 2, 3, 4]
    assert {"loss", "accuracy", "test_loss"} <= set(history.columns)
    assert history["test_loss"].notna().sum() >= 1


def test_layer_stats_reach_the_history_download(app, tmp_path):
    applied(app, lambda: app.check("#record_stats"))
    assert "record_stats=true" in app.url
    step(app, 3)
    history = download_history(app, tmp_path)
    # the default network, 2-4-2-1: three weight layers, a column per layer and figure
    columns = {f"layer_{figure}_{layer}" for figure in ("weight_norm", "grad_norm", "update_ratio") for layer in (1, 2, 3)}
    assert columns <= set(history.columns) and len(history) == 3
    assert history[sorted(columns)].notna().all().all() and (history["layer_weight_norm_1"] > 0).all()


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"a,b,target\n1,2,yes\n3,4,yes\n5,6,yes\n7,8,yes\n", "single class"),
    (b'a,b\n1,"2\n', "well-formed"),
])
def test_an_error_shows_and_leaves_the_page_usable(app, tmp_path, content, expected):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    app.get_by_test_id("upload").set_input_files(str(bad))
    error = app.get_by_test_id("error")
    error.wait_for(state="visible")
    assert expected in error.text_content()
    # the controls show the run still on the page, not the file that failed
    assert app.get_by_test_id("dataset").input_value() == "circle"
    if expected == "single class":
        shoot(app, tmp_path, "error")
    # the page still works: another data set, a step
    choose(app, "dataset", "moons")
    assert error.is_hidden()
    step(app)
    assert epoch(app) == 1


def test_a_bad_setting_shows_an_error(app):
    app.fill("#learning_rate", "-1")
    app.press("#learning_rate", "Enter")
    error = app.get_by_test_id("error")
    error.wait_for(state="visible")
    assert "learning_rate" in error.text_content()
    assert app.input_value("#learning_rate") == "0.03"
    step(app)
    assert epoch(app) == 1


def test_a_file_given_on_the_command_line_is_the_first_data(page, tmp_path):
    from cli_helpers import FRUIT

    running = Server(FRUIT, "--target", "fruit")
    try:
        page.goto(running.url)
        wait_for_frame(page)
        assert page.get_by_test_id("dataset").input_value() == "file"
        assert page.get_by_test_id("target").input_value() == "fruit"
        assert page.locator("#legend i").count() == 3  # apple, lemon, orange
        assert "fruit.csv" in page.locator("#data-note").text_content()
    finally:
        assert running.stop() == 0


def test_the_benchmark_runs(tmp_path):
    """``python -m benchmarks.playground`` in its shortest form: it measures, it does not judge."""
    import subprocess
    import sys

    from cli_helpers import ENV, ROOT

    chromium_or_skip()
    path = tmp_path / "playground.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.playground", "--seconds", "0.5", "--rounds", "1", "--json", str(path)],
                            capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(path.read_text())
    for name in ("headless_epochs_per_second", "epochs_per_second", "frames_per_second", "first_page_seconds",
                 "ctrl_c_seconds"):
        assert figures[name] > 0, name
    assert figures["connected_vs_headless"] == figures["epochs_per_second"] / figures["headless_epochs_per_second"]
    assert "of headless" in result.stdout


def test_clicking_a_point_of_a_sampled_plot_traces_that_row(app):
    app.fill("#points", "6000")
    loaded(app, lambda: app.press("#points", "Enter"))
    assert "the plot shows 2000" in app.locator("#data-note").text_content()
    point = app.evaluate("window.playground.pointPixel('test', 500)")
    expected = app.evaluate("window.playground.state.data.test.row[500]")
    box = app.get_by_test_id("boundary").bounding_box()
    app.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    summary = app.get_by_test_id("trace").locator("p.summary")
    summary.wait_for()
    # the nearest point may be another one drawn at the same place; it is a drawn one, traced by its row
    row = int(summary.get_attribute("data-row"))
    rows = app.evaluate("window.playground.state.data.train.row.concat(window.playground.state.data.test.row)")
    assert row in rows
    near = app.evaluate(f"""(() => {{
        const d = window.playground.state.data, p = d.test, r = d.train;
        const all = p.row.map((row, i) => [row, p.x[i], p.y[i]]).concat(r.row.map((row, i) => [row, r.x[i], r.y[i]]));
        const [, x, y] = all.find(([row]) => row === {expected});
        return all.filter(([, a, b]) => Math.hypot(a - x, b - y) < 0.35).map(([row]) => row);
    }})()""")
    assert row in near


def test_wide_data_plots_two_inputs_and_draws_every_unit(app):
    from glassnet.playground.tables import page_table
    from glassnet.tabular.datasets import load_dataset

    choose(app, "dataset", "digits")
    # the inputs glassnet train would keep: the pixels blank in every training image are left out
    inputs = page_table(*load_dataset("digits"), test_ratio=0.5, seed=0)[0].input_names
    assert 50 < len(inputs) < 64
    assert app.locator("#network .input").count() == len(inputs)
    assert app.get_by_test_id("neuron").count() == 4 + 2 + 10
    assert app.locator("#legend i").count() == 10
    step(app)
    # the plot spans the first two inputs (the grid holds the others at their median: see test_playground_session)
    assert app.evaluate("window.playground.state.data.axes.map((a) => a.name)") == inputs[:2]


def test_the_training_rules_are_controls_in_the_link_and_the_history(app, page, tmp_path):
    for control, value in (("#dropout", "0.2"), ("#weight_decay", "0.01"), ("#clip_grad_norm", "0.5"),
                           ("#schedule_epochs", "6"), ("#warmup_epochs", "2"), ("#label_smoothing", "0.1")):
        app.fill(control, value)
        loaded(app, lambda: app.press(control, "Enter"))
    loaded(app, lambda: app.select_option("#normalization", "batch"))
    loaded(app, lambda: app.select_option("#schedule", "cosine"))
    link = app.url
    for setting in ("dropout=0.2", "normalization=batch", "weight_decay=0.01", "clip_grad_norm=0.5",
                    "schedule=cosine", "schedule_epochs=6", "warmup_epochs=2", "label_smoothing=0.1"):
        assert setting in link, setting
    settings = app.evaluate("window.playground.state.data.settings")
    assert settings["normalization"] == "batch" and settings["clip_grad_norm"] == 0.5
    step(app, 4)
    history = download_history(app, tmp_path)
    # the warm-up, then the cosine over the 4 epochs left of a run of 6 (the default rate 0.03)
    np.testing.assert_allclose(history["learning_rate"], [0.015, 0.03, 0.03, 0.03 * 0.5 * (1 + np.cos(np.pi / 4))])
    assert (history["grad_norm"] > 0).all() and history["clipped_share"].between(0, 1).all()
    # a click traces a point through the batch normalisation's running moments
    point = app.evaluate("window.playground.pointPixel('train', 0)")
    box = app.get_by_test_id("boundary").bounding_box()
    app.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    app.get_by_test_id("trace").locator("p.summary").wait_for()
    names = {cell.get_attribute("data-name") for cell in app.get_by_test_id("trace").locator("td.values").all()}
    assert {"1.p", "1.mean", "1.variance", "1.scale", "1.shift", "1.grad_scale"} <= names
    assert "dropout 0.2" in app.get_by_test_id("trace").text_content()
    # a new page on the link rebuilds the same run; an emptied clipping box is no clipping
    other = page.context.new_page()
    other.goto(link)
    wait_for_frame(other)
    assert other.input_value("#normalization") == "batch" and other.input_value("#schedule") == "cosine"
    assert other.input_value("#clip_grad_norm") == "0.5"
    other.fill("#clip_grad_norm", "")
    loaded(other, lambda: other.press("#clip_grad_norm", "Enter"))
    assert other.evaluate("window.playground.state.data.settings.clip_grad_norm") is None
    assert "clip_grad_norm" not in other.url
    other.close()
