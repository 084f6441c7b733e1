"""Benchmark: the source text's Keras example against mathlib.

Run with ``.venv/bin/python bench/seed_example.py`` (not a test). It

1. fits the source's data (100 points of y = 2x + 1) with
   :func:`mathlib.keras_equivalent.fit_like_keras`, which performs the same
   4000 mini-batch SGD steps as the Keras code (median time of 7 runs);
2. times plain full-batch gradient descent,
   :func:`mathlib.training.fit_linear_regression` with 1000 epochs;
3. times :func:`mathlib.training.fit_network` on the explorer's typical
   problem (200 samples, 16 hidden units, 300 epochs);
4. if ``import tensorflow`` works, runs the source's own Keras code on the
   same data and times ``model.fit``; then, as a check that
   ``fit_like_keras`` has Keras's semantics (batches of 32, 32, 32, 4; SGD
   with learning rate 0.01; MSE without the 1/2; the epoch loss), runs
   Keras for 20 epochs without shuffling from a fixed weight and compares
   it with the same steps done in numpy.

The last lines are ``key=value`` pairs for scripts. TensorFlow is not a
dependency of the book; a separate virtualenv works, for example::

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install tensorflow-cpu==2.21.0 numpy
    .venv-bench/bin/pip install -e .
    .venv-bench/bin/python bench/seed_example.py
"""

import os
import statistics
import time
import warnings

import numpy as np

from mathlib.data import make_moons, seed_line
from mathlib.keras_equivalent import fit_like_keras
from mathlib.training import fit_linear_regression, fit_network

REPEATS = 7


def timed(function, repeats=REPEATS):
    """Return (last result, median wall seconds, median CPU seconds)."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def keras_fit(x, y):
    """The source text's code; returns (w, b, seconds of model.fit)."""
    import tensorflow as tf

    model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mse")
    start = time.perf_counter()
    model.fit(x.reshape(-1, 1), y, epochs=1000, verbose=0)
    seconds = time.perf_counter() - start
    kernel, bias = model.layers[0].get_weights()
    return float(kernel[0, 0]), float(bias[0]), seconds


def keras_semantics_check(x, y, epochs=20, w0=0.5):
    """Max difference between Keras and numpy doing the same unshuffled steps."""
    import tensorflow as tf

    model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].set_weights([np.array([[w0]], np.float32), np.zeros(1, np.float32)])
    history = model.fit(x.reshape(-1, 1), y, epochs=epochs, shuffle=False, verbose=0)
    kernel, bias = model.layers[0].get_weights()

    w, b, losses = w0, 0.0, []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, x.size, 32):
            xb, yb = x[start : start + 32], y[start : start + 32]
            r = w * xb + b - yb
            total += np.sum(r * r)  # sum of m * batch MSE
            w, b = w - 0.01 * 2 * np.mean(r * xb), b - 0.01 * 2 * np.mean(r)
        losses.append(total / x.size)
    return max(
        abs(float(kernel[0, 0]) - w),
        abs(float(bias[0]) - b),
        float(np.max(np.abs(np.array(history.history["loss"]) - losses))),
    )


def main():
    x, y = seed_line()
    results = {}

    keras_like, wall, cpu = timed(lambda: fit_like_keras(x.reshape(-1, 1), y))
    print(f"mathlib fit_like_keras : w = {keras_like.w:.12f}, b = {keras_like.b:.12f}, "
          f"{wall * 1e3:.2f} ms (CPU {cpu * 1e3:.2f} ms), median of {REPEATS}")
    results.update(mathlib_w=f"{keras_like.w:.12f}", mathlib_b=f"{keras_like.b:.12f}",
                   mathlib_fit_s=f"{wall:.6f}", mathlib_cpu_s=f"{cpu:.6f}")

    gd, wall, cpu = timed(lambda: fit_linear_regression(x, y, epochs=1000))
    print(f"full-batch GD (1000 ep) : w = {gd.w:.12f}, b = {gd.b:.12f}, "
          f"{wall * 1e3:.2f} ms (CPU {cpu * 1e3:.2f} ms)")
    results.update(gd_w=f"{gd.w:.12f}", gd_b=f"{gd.b:.12f}", gd_fit_s=f"{wall:.6f}")

    X, labels = make_moons(200, noise=0.1, seed=0)
    for dtype in ("float64", "float32"):
        net, wall, cpu = timed(lambda: fit_network(X, labels, hidden_units=(16,),
                                                   learning_rate=1.0, epochs=300,
                                                   dtype=dtype))
        print(f"fit_network {dtype} (200 x 2, 16 tanh, 300 ep): accuracy "
              f"{net.accuracy[-1]:.3f}, {wall * 1e3:.1f} ms (CPU {cpu * 1e3:.1f} ms)")
        suffix = "" if dtype == "float64" else "_float32"
        results[f"network_fit_s{suffix}"] = f"{wall:.6f}"
        results[f"network_cpu_s{suffix}"] = f"{cpu:.6f}"

    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf  # noqa: F401
    except ImportError:
        print("tensorflow is not installed: Keras comparison skipped")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras 3 dislikes input_shape=...
            keras_w, keras_b, keras_s = keras_fit(x, y)
            semantics = keras_semantics_check(x, y)
        speedup = keras_s / float(results["mathlib_fit_s"])
        print(f"Keras (source code)     : w = {keras_w:.6f}, b = {keras_b:.6f}, "
              f"{keras_s:.2f} s; mathlib is {speedup:.0f} times faster")
        print(f"Keras vs numpy, same unshuffled steps, 20 epochs: max difference "
              f"{semantics:.2e} (float32 rounding)")
        results.update(keras_w=f"{keras_w:.8f}", keras_b=f"{keras_b:.8f}",
                       keras_fit_s=f"{keras_s:.3f}", speedup=f"{speedup:.0f}",
                       keras_semantics_max_diff=f"{semantics:.3e}",
                       tensorflow=tf.__version__)

    results["loadavg_1min"] = f"{os.getloadavg()[0]:.2f}"
    for key, value in results.items():
        print(f"{key}={value}")


if __name__ == "__main__":
    main()
