"""Latency of the live explorers: key press to updated figure, in Voila + Chromium.

Serves a two-cell notebook (one explorer) with Voila on 127.0.0.1, opens it
in Debian's Chromium (playwright), and presses arrow keys on slider handles.
For each key press it measures, in the page, the time from just before the
press to the moment the explorer's image element changes. The render cache
is disabled (``cache_size=0``) so every press retrains and redraws.

Then, without a browser, it times the retraining alone (``train_*``) and the
drawing alone (``draw_*``) for the same settings.

Targets (median): regression < 150 ms, classification < 300 ms. This is a
measurement, not a test: it prints figures and the last lines are
``key=value`` pairs. The machine load is printed too (the timings scale with
it on a shared machine).

Usage: .venv/bin/python bench/explorer_latency.py [--presses 12]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

NOTEBOOK_CODE = {
    "regression": "from explorers import RegressionExplorer\n"
                  "RegressionExplorer(cache_size=0)",
    "classification": "from explorers import ClassificationExplorer\n"
                      "ClassificationExplorer(cache_size=0)",
}

#: (slider label, key) presses; each gives settings not seen before.
PRESSES = {
    # Sweep the learning rate over its 7 values and back, then the penalty.
    "regression": [("learning rate", "ArrowLeft")] + [("learning rate", "ArrowRight")] * 6
    + [("learning rate", "ArrowLeft")] * 6 + [("epochs", "ArrowLeft")]
    + [("learning rate", "ArrowRight")] * 3,
    "classification": [("learning rate", "ArrowLeft"), ("epochs", "ArrowLeft"),
                       ("hidden units", "ArrowLeft"), ("learning rate", "ArrowRight"),
                       ("hidden units", "ArrowLeft"), ("epochs", "ArrowRight"),
                       ("noise", "ArrowRight"), ("learning rate", "ArrowRight"),
                       ("noise", "ArrowRight"), ("hidden units", "ArrowRight"),
                       ("learning rate", "ArrowLeft"), ("noise", "ArrowLeft")],
}

# Only a new image counts (an <img> src change or an <img> inserted), not the
# slider readout or the status line, which change at once.
WATCH_IMAGE = """() => {
    window.__imageChanged = 0;
    const root = document.querySelector('.dlmath-explorer');
    const hasImage = (node) => node.nodeType === 1
        && (node.tagName === 'IMG' || node.querySelector('img'));
    new MutationObserver((mutations) => {
        for (const m of mutations) {
            if ((m.type === 'attributes' && m.target.tagName === 'IMG')
                || (m.type === 'childList' && Array.from(m.addedNodes).some(hasImage))) {
                window.__imageChanged = performance.now();
            }
        }
    }).observe(root, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['src']});
}"""


def write_notebook(folder: Path, name: str) -> Path:
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": NOTEBOOK_CODE[name]}]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}}}
    path = folder / f"bench_{name}.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def start_voila(notebook: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    voila = Path(sys.executable).with_name("voila")
    process = subprocess.Popen(
        [str(voila), str(notebook), "--no-browser", f"--Voila.port={port}",
         "--Voila.ip=127.0.0.1"],
        cwd=notebook.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise TimeoutError("voila did not start")


def stop(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def browser_latencies(browser, name: str, folder: Path, n_presses: int) -> list[float]:
    process, url = start_voila(write_notebook(folder, name))
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, timeout=180_000)
        page.wait_for_function(
            "() => { const e = document.querySelector('.dlmath-explorer');"
            " return e && e.querySelector('img') && e.querySelectorAll('.widget-slider').length"
            " && !e.querySelector('.widget-slider [disabled]'); }",
            timeout=180_000,
        )
        page.evaluate(WATCH_IMAGE)
        sliders = page.locator(".dlmath-explorer .widget-slider")
        handles = {
            sliders.nth(i).locator(".widget-label").first.inner_text():
            sliders.nth(i).locator(".noUi-handle")
            for i in range(sliders.count())
        }
        latencies = []
        presses = (PRESSES[name] * 2)[:n_presses]
        for label, key in presses:
            handle = handles[label]
            handle.focus()
            time.sleep(0.3)  # let the previous redraw settle
            start = page.evaluate("() => performance.now()")
            handle.press(key)
            try:
                page.wait_for_function("(t) => window.__imageChanged > t", arg=start,
                                       timeout=30_000)
            except Exception:  # noqa: BLE001 - report and go on
                print(f"  {name}: no new figure 30 s after {key} on {label!r}")
                continue
            time.sleep(0.05)  # a late second mutation would belong to this press
            latencies.append(page.evaluate("() => window.__imageChanged") - start)
        page.close()
        return latencies
    finally:
        stop(process)


def python_timings(name: str, n: int = 14) -> tuple[list[float], list[float]]:
    """Training alone and drawing alone (ms) for distinct settings."""
    import explorers
    from explorers import figure_to_png

    if name == "regression":
        settings = [{"learning_rate": lr}
                    for sweep in range(2) for lr in (0.01, 0.1, 0.3, 1.0, 1.9, 2.1, 3.0)]
        train, figure = explorers.train_regression, explorers.RegressionFigure()  # blits
    else:
        settings = [{"learning_rate": lr, "hidden_units": units}
                    for units in (16, 8, 4) for lr in (0.1, 1.0, 10.0)]
        settings += [{"regularization": "l1"}, {"regularization": "l2"}, {"noise": 0.2}]
        train, figure = explorers.train_classifier, explorers.ClassificationFigure()
    train_ms, draw_ms = [], []
    figure_to_png(figure(settings[-1]), colors=None, compress_level=1)  # warm up
    for params in settings[:n]:
        start = time.perf_counter()
        run = train(params)
        middle = time.perf_counter()
        figure_to_png(figure(params, run=run), colors=None, compress_level=1)
        end = time.perf_counter()
        train_ms.append(1000 * (middle - start))
        draw_ms.append(1000 * (end - middle))
    return train_ms, draw_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=16, help="key presses per explorer")
    args = parser.parse_args()

    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    results = {}
    for name in ("regression", "classification"):
        train_ms, draw_ms = python_timings(name)
        results[f"{name}_train_ms"] = statistics.median(train_ms)
        results[f"{name}_draw_ms"] = statistics.median(draw_ms)
        print(f"{name}: train median {results[f'{name}_train_ms']:.1f} ms, "
              f"draw median {results[f'{name}_draw_ms']:.1f} ms")

    if not os.path.exists(CHROMIUM):
        print(f"chromium missing at {CHROMIUM}: browser latency not measured")
    else:
        from playwright.sync_api import sync_playwright

        with tempfile.TemporaryDirectory(prefix="explorer_bench_") as folder, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                for name in ("regression", "classification"):
                    latencies = browser_latencies(browser, name, Path(folder), args.presses)
                    results[f"{name}_latency_ms"] = statistics.median(latencies)
                    print(f"{name}: key press to new figure, {len(latencies)} presses: "
                          + ", ".join(f"{v:.0f}" for v in latencies) + " ms")
            finally:
                browser.close()

    print(f"load average after: {os.getloadavg()[0]:.2f}")
    targets = {"regression_latency_ms": 150, "classification_latency_ms": 300}
    for key, target in targets.items():
        if key in results:
            verdict = "meets" if results[key] < target else "MISSES"
            print(f"{key.split('_')[0]}: median {results[key]:.0f} ms {verdict} target {target} ms")
    for key in ("regression_latency_ms", "classification_latency_ms",
                "regression_train_ms", "classification_train_ms",
                "regression_draw_ms", "classification_draw_ms"):
        value = results.get(key)
        print(f"{key}={value:.1f}" if value is not None else f"{key}=nan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
