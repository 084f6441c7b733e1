"""Regression and classification explorers, driven from Python.

Each explorer is built once per module (its static grid is precomputed, as
in the book) and then driven like a kernel would: set a slider, check the
state and that the shown PNG changed. Every grid point is checked to hold a
distinct, valid image; every slider extreme renders without raising.
"""

import numpy as np
import pytest
from matplotlib.text import Text

import explorers
from explorers.classification import CLASSIFICATION_SPECS, ZERO_THRESHOLD
from explorers.regression import REGRESSION_SPECS, describe_run


def figure_texts(figure):
    return " ".join(t.get_text() for t in figure.findobj(Text))


def axes_limits_finite(figure):
    return all(
        np.all(np.isfinite(ax.get_xlim())) and np.all(np.isfinite(ax.get_ylim()))
        for ax in figure.axes
    )


# -- regression: pure functions ---------------------------------------------


@pytest.mark.parametrize(
    "learning_rate, kind",
    [(0.01, "crawling"), (0.1, "converged"), (1.0, "converged"), (1.9, "oscillating"),
     (2.1, "diverged"), (3.0, "diverged")],
)
def test_learning_rate_verdicts(learning_rate, kind):
    run = explorers.train_regression({"learning_rate": learning_rate})
    assert run.kind == kind, run.sentence


def test_divergence_message_is_drawn_in_the_figure():
    figure = explorers.render_regression({"learning_rate": 3.0})
    text = figure_texts(figure)
    assert "Diverged at epoch 11: try a smaller learning rate" in text
    assert axes_limits_finite(figure)
    # the loss panel still shows the loss until the run was stopped
    loss_line = figure.axes[1].lines[0]
    assert len(loss_line.get_xdata()) == 12 and np.all(np.isfinite(loss_line.get_ydata()))


def test_slow_growth_is_called_divergence_too():
    # lr = 2.05 grows too slowly for mathlib to stop it within 100 epochs
    run = explorers.train_regression({"learning_rate": 2.05, "epochs": 100})
    assert not run.history.diverged
    assert run.kind == "diverged" and "the loss grew" in run.sentence


def test_regression_uses_mathlib_training():
    from mathlib.training import fit_linear_regression

    settings = {"learning_rate": 0.3, "regularization": "l2", "strength": 0.3, "epochs": 50}
    run = explorers.train_regression(settings)
    x, y = explorers.regression_data()
    reference = fit_linear_regression(x, y, learning_rate=0.3, epochs=50,
                                      regularization="l2", strength=0.3)
    np.testing.assert_array_equal(run.history.w_path, reference.w_path)
    np.testing.assert_array_equal(run.history.loss, reference.loss)


def test_l1_pins_the_slope_and_l2_shrinks_it():
    l1 = explorers.train_regression({"regularization": "l1", "strength": 1.0})
    l2 = explorers.train_regression({"regularization": "l2", "strength": 1.0})
    assert abs(l1.history.w) <= 0.1 and l1.kind == "converged" and "L1 pinned" in l1.sentence
    assert 0.4 < l2.history.w < 0.6


def test_describe_run_requires_a_finished_bowl():
    x, y = explorers.regression_data()
    from mathlib.training import fit_linear_regression

    history = fit_linear_regression(x, y, learning_rate=0.5, epochs=3)
    kind, sentence = describe_run(history, x, y, {"learning_rate": 0.5,
                                                  "regularization": "none"})
    assert kind == "crawling" and "3 epochs" in sentence


@pytest.mark.parametrize(
    "make_figure, render, runs",
    [
        ("RegressionFigure", "render_regression",
         [{"learning_rate": 0.3}, {"learning_rate": 1.0},
          {"learning_rate": 0.3, "regularization": "l2"}, {"learning_rate": 3.0}]),
        ("ClassificationFigure", "render_classification",
         [{"learning_rate": 0.3, "epochs": 50}, {"learning_rate": 1.0, "epochs": 50},
          {"regularization": "l1", "epochs": 50}, {"learning_rate": 30.0, "epochs": 50}]),
    ],
    ids=["regression", "classification"],
)
def test_blitted_image_matches_the_full_figure(make_figure, render, runs):
    from io import BytesIO

    from PIL import Image

    figure = getattr(explorers, make_figure)()
    for settings in runs:
        blitted = np.asarray(figure.image(settings).convert("RGB"), dtype=int)
        full_png = explorers.figure_to_png(getattr(explorers, render)(settings), colors=None)
        full = np.asarray(Image.open(BytesIO(full_png)).convert("RGB"), dtype=int)
        assert blitted.shape == full.shape
        # the moving lines are drawn last (above the legend): a few pixels differ
        assert np.mean(np.abs(blitted - full).max(axis=2) > 30) < 0.01
    n_backgrounds = len(figure._backgrounds)
    again = figure.image(runs[0])  # same layout: background reused
    assert len(figure._backgrounds) == n_backgrounds
    assert np.array_equal(np.asarray(again), np.asarray(figure.image(runs[0])))


def test_reused_figure_matches_a_fresh_one():
    figure = explorers.RegressionFigure()
    png = {}
    for settings in ({"learning_rate": 3.0}, {"regularization": "l1", "noise": 0.3},
                     {"learning_rate": 0.01}):
        reused = explorers.figure_to_png(figure.draw(settings))
        fresh = explorers.figure_to_png(explorers.render_regression(settings))
        assert reused == fresh
        png[str(settings)] = reused
    assert len(set(png.values())) == 3


@pytest.mark.parametrize("spec", REGRESSION_SPECS, ids=lambda spec: spec.name)
def test_regression_every_slider_extreme_renders(spec):
    for value in (spec.values[0], spec.values[-1]):
        settings = {spec.name: value}
        if spec.name == "strength":
            settings["regularization"] = "l1"
        figure = explorers.render_regression(settings)
        assert axes_limits_finite(figure)
        assert figure.texts[1].get_text()  # a verdict is always written


def test_regression_extremes_combined():
    worst = {"learning_rate": 3.0, "epochs": 500, "batch_size": 1, "momentum": 0.9,
             "noise": 1.0, "outlier_fraction": 0.2, "regularization": "l2", "strength": 1.0}
    figure = explorers.render_regression(worst)
    assert axes_limits_finite(figure)
    assert "diverged" in figure_texts(figure).lower()


# -- regression: the widget -------------------------------------------------


@pytest.fixture(scope="module")
def regression():
    return explorers.RegressionExplorer(threaded=False)


def test_regression_static_grid(regression):
    assert regression.static_names == ["learning_rate", "regularization", "strength"]
    n_rates = len(regression.specs["learning_rate"].values)
    n_strengths = len(regression.specs["strength"].values)
    # "none" ignores the strength: one image per learning rate
    assert regression.n_static_images == n_rates * (1 + 2 * n_strengths)
    images = set()
    for i in range(n_rates):
        for j in range(3):
            for k in range(n_strengths):
                png = regression.static_image(
                    {"learning_rate": i, "regularization": j, "strength": k}
                )
                assert png.startswith(b"\x89PNG") and 3_000 < len(png) < 40_000
                images.add(png)
    assert len(images) == regression.n_static_images
    for name in ("epochs", "batch_size", "momentum", "noise", "outlier_fraction"):
        assert regression.controls[name].disabled


def test_regression_static_image_follows_the_sliders(regression):
    assert not regression.live
    default = regression.static_image()
    diverging = regression.static_image(
        {"learning_rate": len(regression.specs["learning_rate"].values) - 1,
         "regularization": 0, "strength": 0}
    )
    assert diverging != default
    # the precomputed image is the (blitted) render of those settings
    assert diverging == explorers.figure_to_png(
        explorers.RegressionFigure().image({"learning_rate": 3.0})
    )


def test_regression_live_mode(regression):
    shown = regression.shown_png
    regression.set(learning_rate=3.0)
    assert regression.live and regression.params["learning_rate"] == 3.0
    assert not regression.controls["epochs"].disabled
    assert regression.shown_png != shown
    shown = regression.shown_png
    regression.set(regularization="l2")
    assert regression.shown_png != shown
    shown = regression.shown_png
    regression.set(epochs=20)  # a live-only slider retrains too
    assert regression.shown_png != shown
    assert "retrained" in regression.status.value or "&nbsp;" in regression.status.value
    regression.set(learning_rate=0.1, regularization="none", epochs=100)


# -- classification ---------------------------------------------------------


def test_classification_data_split():
    X_train, X_test, y_train, y_test = explorers.classification_data("xor", 0.1)
    assert X_train.shape == (150, 2) and X_test.shape == (50, 2)
    assert set(np.unique(y_train)) == {0, 1}
    with pytest.raises(ValueError, match="dataset must be one of"):
        explorers.classification_data("blobs")


def test_weight_summary_counts_small_weights():
    params = [{"W": np.array([[0.5, -0.001], [0.02, 0.0]]), "b": np.zeros(2)},
              {"W": np.array([[-3.0, 0.009]]), "b": np.zeros(1)}]
    magnitudes, n_zeroed = explorers.weight_summary(params)
    np.testing.assert_array_equal(magnitudes, [3.0, 0.5, 0.02, 0.009, 0.001, 0.0])
    assert n_zeroed == 3 and ZERO_THRESHOLD == 0.01


def test_l1_zeroes_more_weights_than_l2():
    counts = {}
    for kind in ("none", "l1", "l2"):
        run = explorers.train_classifier({"regularization": kind, "strength": 0.01})
        counts[kind] = explorers.weight_summary(run.history.params)
    assert counts["l1"][1] > counts["l2"][1] >= counts["none"][1]
    assert counts["l2"][0].max() < counts["none"][0].max()


def test_classifier_uses_mathlib_training():
    from mathlib.training import fit_network

    run = explorers.train_classifier({"dataset": "circles", "epochs": 50})
    X_train, X_test, y_train, y_test = explorers.classification_data("circles", 0.1)
    reference = fit_network(X_train, y_train, hidden_units=(16,), activation="tanh",
                            learning_rate=1.0, epochs=50, X_val=X_test, y_val=y_test,
                            dtype="float32")
    np.testing.assert_array_equal(run.history.loss, reference.loss)


def test_classification_figure_texts():
    figure = explorers.render_classification({"regularization": "l1"})
    text = figure_texts(figure)
    assert "42 of 48 weights below 0.01" in text
    assert "train acc" in text and "test acc" in text
    unstable = explorers.render_classification({"dataset": "circles", "learning_rate": 10.0})
    assert "try a smaller learning rate" in figure_texts(unstable)
    assert axes_limits_finite(unstable)


@pytest.mark.parametrize("spec", CLASSIFICATION_SPECS, ids=lambda spec: spec.name)
def test_classification_every_slider_extreme_renders(spec):
    figure = explorers.ClassificationFigure()
    for value in (spec.values[0], spec.values[-1]):
        settings = {spec.name: value}
        if spec.name == "strength":
            settings["regularization"] = "l1"
        if spec.name != "epochs":
            settings["epochs"] = 50  # keep the test quick
        assert axes_limits_finite(figure.draw(settings))


@pytest.fixture(scope="module")
def classification():
    return explorers.ClassificationExplorer(threaded=False)


def test_classification_static_grid(classification):
    assert classification.static_names == ["dataset", "learning_rate", "regularization",
                                           "strength"]
    sizes = [len(classification.specs[n].values) for n in classification.static_names]
    assert classification.n_static_images == sizes[0] * sizes[1] * (1 + 2 * sizes[3])
    images = set()
    for d in range(sizes[0]):
        for r in range(sizes[1]):
            for g in range(sizes[2]):
                for s in range(sizes[3]):
                    png = classification.static_image(
                        {"dataset": d, "learning_rate": r, "regularization": g, "strength": s}
                    )
                    assert png.startswith(b"\x89PNG") and len(png) < 40_000
                    images.add(png)
    assert len(images) == classification.n_static_images


def test_classification_live_mode(classification):
    shown = classification.shown_png
    classification.set(regularization="l1")
    assert classification.live and classification.shown_png != shown
    shown = classification.shown_png
    classification.set(learning_rate=10.0)
    assert classification.shown_png != shown
    shown = classification.shown_png
    classification.set(hidden_units=4, epochs=50)
    assert classification.shown_png != shown
    assert not classification.controls["activation"].disabled
