"""``python -m benchmarks.playground``: the playground's speed, in a real browser.

* epochs per second with a page connected and playing, against
  ``NeuralNetwork.train`` headless on the same network and rows (2-8-8-1,
  tanh, sgd with batches of 10, on 500 training points of the circle set),
  in interleaved rounds (headless while the page is paused, then the page
  playing), both with one BLAS thread as the server uses;
* frames per second reaching the page while it trains;
* server start-up to the first page: from starting ``glassnet playground``
  to the page holding its first frame;
* Ctrl-C to exit, with the page still connected and training;
* with ``--uploads``: the server's peak memory, and another page's frames,
  on the uploads of :mod:`benchmarks.playground_uploads` (0.5 MB of 20,000
  rows with an identifier-like column, 1.3 MB of 80,000 such rows, 2.6 MB
  of 10,000 columns × 40 rows); ``--uploads-only`` skips the speed.

Needs chromium (Debian's package) and pytest-playwright's ``playwright``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

SETTINGS = "dataset=circle&points=1000&test_ratio=0.5&hidden=8,8&activations=tanh,tanh&learning_rate=0.03&batch_size=10"


def headless_run():
    """A ``train(k)`` function and the rows: the playground's own model and data, without a page."""
    from glassnet.playground.session import Session

    session = Session()
    session.apply({"dataset": "circle", "points": 1000, "test_ratio": 0.5, "hidden": [8, 8],
                   "activations": ["tanh", "tanh"], "learning_rate": 0.03, "batch_size": 10})
    model, X = session.model, session.data.X_train
    Y = session.Y_train
    assert X.shape == (500, 2)
    model.train(X, Y, 5)  # warm-up
    return lambda epochs: model.train(X, Y, epochs)


def headless(train, seconds: float) -> float:
    """Epochs per second of NeuralNetwork.train for ``seconds``."""
    epochs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train(20)
        epochs += 20
    return epochs / (time.perf_counter() - start)


def measure(seconds: float, rounds: int) -> dict:
    """Interleaved rounds: headless for ``seconds`` (the page paused), then the page
    playing for ``seconds``; medians, so that a busy machine's swings hit both alike."""
    from playwright.sync_api import sync_playwright
    from threadpoolctl import threadpool_limits

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    train = headless_run()
    alone, connected, frame_rates = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page()
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", "0"],
                                  stdout=subprocess.PIPE, text=True, env=env)
        url = re.search(r"http://\S+", server.stdout.readline()).group(0)
        printed = time.perf_counter() - started
        page.goto(f"{url}#{SETTINGS}")
        page.wait_for_function("window.playground && window.playground.state.frames > 0")
        first_page = time.perf_counter() - started
        state = "window.playground.state"
        play = page.locator("[data-testid=play]")
        for _ in range(rounds):
            # the server trains with one BLAS thread; so does the headless run
            with threadpool_limits(1):
                alone.append(headless(train, seconds))
            epoch = page.evaluate(f"{state}.lastHeader.epoch")
            play.click()
            page.wait_for_function(f"{state}.lastHeader.epoch > {epoch + 20}")
            epoch0, frames0, t0 = page.evaluate(f"[{state}.lastHeader.epoch, {state}.frames, performance.now()]")
            page.wait_for_timeout(seconds * 1000)
            epoch1, frames1, t1 = page.evaluate(f"[{state}.lastHeader.epoch, {state}.frames, performance.now()]")
            play.click()
            page.wait_for_function("document.querySelector('[data-testid=play]').textContent === 'Play'")
            connected.append((epoch1 - epoch0) / ((t1 - t0) / 1000))
            frame_rates.append((frames1 - frames0) / ((t1 - t0) / 1000))
        play.click()  # Ctrl-C with the page training
        page.wait_for_timeout(500)
        stop_started = time.perf_counter()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        stopped = time.perf_counter() - stop_started
        browser.close()
    median = statistics.median
    return {"headless_epochs_per_second": median(alone), "epochs_per_second": median(connected),
            "frames_per_second": median(frame_rates), "url_printed_seconds": printed, "first_page_seconds": first_page,
            "ctrl_c_seconds": stopped, "rounds": {"headless": alone, "connected": connected, "frames": frame_rates}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement (default: 3)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default: 5)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--uploads", nargs="*", metavar="NAME", default=None,
                        help="also measure the server's peak memory on these uploads (none named: all of "
                             "ids-20k, ids-80k, wide-10k)")
    parser.add_argument("--uploads-only", action="store_true", help="measure the uploads only, not the speed")
    parser.add_argument("--upload-seconds", type=float, default=300.0,
                        help="how long to wait for an upload's data before noting that none came (default: 300)")
    args = parser.parse_args(argv)
    from .playground_uploads import UPLOADS, measure_uploads, print_uploads

    uploads = None
    if args.uploads is not None or args.uploads_only:
        names = args.uploads or list(UPLOADS)
        unknown = [name for name in names if name not in UPLOADS]
        if unknown:
            parser.error(f"unknown upload {unknown[0]!r}; expected one of: {', '.join(UPLOADS)}")
        uploads = measure_uploads(names, args.upload_seconds)
    if args.uploads_only:
        print_uploads(uploads)
        if args.json:
            Path(args.json).write_text(json.dumps({"machine": platform.platform(), "uploads": uploads}, indent=1))
        return 0
    if shutil.which("chromium") is None:
        print("error: needs Debian's chromium: apt-get install -y chromium", file=sys.stderr)
        return 1
    page = measure(args.seconds, args.rounds)
    alone = page["headless_epochs_per_second"]
    results = {"machine": platform.platform(), "cpus": os.cpu_count(), "load_average": os.getloadavg(), **page,
               "connected_vs_headless": page["epochs_per_second"] / alone}
    print(f"medians of {args.rounds} interleaved rounds of {args.seconds:g} s; load average {os.getloadavg()[0]:.1f}")
    print(f"NeuralNetwork.train headless:   {alone:8.1f} epochs/s (2-8-8-1, 500 rows, batches of 10)")
    print(f"with a page connected, playing: {page['epochs_per_second']:8.1f} epochs/s "
          f"({results['connected_vs_headless']:.0%} of headless)")
    print(f"frames reaching the page:       {page['frames_per_second']:8.1f} /s")
    print(f"start-up: URL printed after {page['url_printed_seconds']:.2f} s, first page drawn after "
          f"{page['first_page_seconds']:.2f} s")
    print(f"Ctrl-C with the page training: stopped after {page['ctrl_c_seconds']:.2f} s")
    if uploads is not None:
        results["uploads"] = uploads
        print_uploads(uploads)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
