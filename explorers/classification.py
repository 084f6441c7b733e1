"""Classification explorer: a small network on moons, circles, XOR or spirals.

Pure functions first (:func:`classification_data`, :func:`train_classifier`,
:func:`weight_summary`, :func:`render_classification`), then the widget
(:func:`ClassificationExplorer`). Data sets, training, prediction and
penalties all come from :mod:`mathlib`; this module chooses settings and draws.
"""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from mathlib import data
from mathlib.training import NetworkHistory, TrainingDivergedWarning, fit_network

from ._machinery import DPI, Explorer, SliderSpec, blit_image

__all__ = [
    "CLASSIFICATION_DEFAULTS",
    "CLASSIFICATION_SPECS",
    "ClassificationExplorer",
    "ClassificationFigure",
    "ClassifierRun",
    "ZERO_THRESHOLD",
    "classification_canonical",
    "classification_data",
    "render_classification",
    "train_classifier",
    "weight_summary",
]

DATASETS = ("moons", "circles", "xor", "spirals")
REG_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}

CLASSIFICATION_SPECS = (
    SliderSpec(
        "dataset", DATASETS, "moons", label="data set", kind="toggle",
        labels=("moons", "circles", "XOR", "spirals"),
    ),
    SliderSpec("learning_rate", (0.1, 1.0, 10.0), 1.0, label="learning rate"),
    SliderSpec(
        "regularization", ("none", "l1", "l2"), "none", label="regularization",
        kind="toggle", labels=("none", "L1", "L2"),
    ),
    SliderSpec("strength", (0.001, 0.01), 0.01, label="strength λ"),
    SliderSpec("noise", (0.0, 0.1, 0.2, 0.3), 0.1, label="noise", static=False),
    SliderSpec("hidden_units", (2, 4, 8, 16, 32, 64), 16, label="hidden units",
               static=False),
    SliderSpec(
        "activation", ("tanh", "sigmoid", "relu"), "tanh", label="activation",
        kind="dropdown", static=False, labels=("tanh", "sigmoid", "ReLU"),
    ),
    SliderSpec("epochs", (50, 100, 300, 1000), 300, label="epochs", static=False),
)
CLASSIFICATION_DEFAULTS = {s.name: s.default for s in CLASSIFICATION_SPECS}

#: A weight with magnitude below this counts as "zeroed" in the figure.
ZERO_THRESHOLD = 1e-2

#: Window of the input plane drawn in the decision-boundary panel.
PLANE = (-1.6, 2.6, -1.4, 1.6)
_GRID_POINTS = 60


@lru_cache(maxsize=32)
def classification_data(dataset="moons", noise=0.1, seed=0):
    """Training and test points of a data set of :mod:`mathlib.data`.

    Parameters
    ----------
    dataset : {"moons", "circles", "xor", "spirals"}, default="moons"
        Generator ``mathlib.data.make_<dataset>`` (200 points, 2 features).
    noise : float, default=0.1
        Noise of the generator.
    seed : int, default=0
        Seed of the generator and of the 75% / 25% train/test split.

    Returns
    -------
    X_train, X_test : ndarray of shape (150, 2) and (50, 2)
    y_train, y_test : ndarray of shape (150,) and (50,), labels 0/1
        Read-only (cached).
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}, got {dataset!r}")
    make = getattr(data, f"make_{dataset}")
    X, y = make(200, noise=noise, seed=seed)
    arrays = data.train_test_split(X, y, test_fraction=0.25, seed=seed)
    for array in arrays:
        array.setflags(write=False)
    return arrays


@dataclass
class ClassifierRun:
    """A trained network of the explorer with its data.

    Attributes
    ----------
    params : dict
        The explorer settings used.
    X_train, X_test, y_train, y_test : ndarray
        The data (see :func:`classification_data`).
    history : NetworkHistory
        What :func:`mathlib.training.fit_network` returned.
    """

    params: dict
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    history: NetworkHistory


def classification_canonical(params):
    """Settings that give the same run map to one (strength unused without penalty)."""
    params = {**CLASSIFICATION_DEFAULTS, **params}
    if params["regularization"] == "none":
        params["strength"] = CLASSIFICATION_DEFAULTS["strength"]
    return params


def train_classifier(params=None):
    """Train the explorer's network for the given settings (quietly).

    Parameters
    ----------
    params : dict, optional
        Keys of :data:`CLASSIFICATION_DEFAULTS`; missing keys take defaults.

    Returns
    -------
    ClassifierRun
        Data and history; a divergence is reported in ``history`` (the
        warning is absorbed), never raised.

    Examples
    --------
    >>> run = train_classifier({"dataset": "moons", "epochs": 300})
    >>> bool(run.history.val_accuracy[-1] > 0.9)
    True
    """
    params = {**CLASSIFICATION_DEFAULTS, **(params or {})}
    X_train, X_test, y_train, y_test = classification_data(
        params["dataset"], params["noise"]
    )
    penalty = (
        {"regularization": "none", "strength": 0.0}
        if params["regularization"] == "none"
        else {"regularization": params["regularization"], "strength": params["strength"]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDivergedWarning)
        history = fit_network(
            X_train, y_train,
            hidden_units=(int(params["hidden_units"]),),
            activation=params["activation"],
            task="binary",
            learning_rate=float(params["learning_rate"]),
            epochs=int(params["epochs"]),
            X_val=X_test, y_val=y_test,
            dtype="float32",
            **penalty,
        )
    return ClassifierRun(params, X_train, X_test, y_train, y_test, history)


def weight_summary(params):
    """Magnitudes of all weights W (not biases) of a trained network.

    Parameters
    ----------
    params : list of dict
        Network parameters (``history.params``).

    Returns
    -------
    magnitudes : ndarray of shape (n_weights,)
        ``|W|`` of every layer, concatenated and sorted in decreasing order.
    n_zeroed : int
        How many are below :data:`ZERO_THRESHOLD` (0.01).

    Examples
    --------
    >>> magnitudes, n_zeroed = weight_summary([{"W": np.array([[0.5, -0.001]]),
    ...                                         "b": np.zeros(1)}])
    >>> magnitudes, n_zeroed
    (array([0.5  , 0.001]), 1)
    """
    magnitudes = np.sort(np.concatenate([np.abs(p["W"]).ravel() for p in params]))[::-1]
    return magnitudes, int(np.sum(magnitudes < ZERO_THRESHOLD))


def _nice_ceiling(value):
    """Smallest of 1, 2, 5 times a power of ten that is >= ``value`` > 0."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _plain_log_axis(ax):
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))
    ax.yaxis.set_minor_locator(NullLocator())  # 50 minor ticks cost more than the bars


def _fast_labels(ax, *, title, xlabel, ylabel, ylabel_x=-0.13):
    """Title and axis labels at fixed positions (skips costly layout passes)."""
    ax.set_title(title, y=1.0, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_label_coords(0.5, -0.12)
    ax.yaxis.set_label_coords(ylabel_x, 0.5)


def _settings_text(params):
    reg = params["regularization"]
    penalty = "no penalty" if reg == "none" else f"{REG_LABELS[reg]}, λ = {params['strength']:g}"
    return (
        f"{params['dataset']} (noise {params['noise']:g}), {params['hidden_units']} "
        f"{params['activation']} units, learning rate {params['learning_rate']:g}, "
        f"{params['epochs']} epochs, {penalty}"
    )


class ClassificationFigure:
    """Reusable figure of the classification explorer (fast redraws).

    ``draw(params)`` returns the same figure object each time, fully
    redrawn for ``params`` (so the image depends on ``params`` only);
    calling the object returns the image, redrawn by blitting. Use
    :func:`render_classification` for a fresh, independent figure.
    """

    def __init__(self):
        fig = Figure(figsize=(10.5, 3.4), dpi=DPI)
        self.figure = fig
        self.canvas = FigureCanvasAgg(fig)
        self._backgrounds = OrderedDict()
        self.ax_plane, self.ax_loss, self.ax_weights = fig.subplots(1, 3)
        fig.subplots_adjust(left=0.055, right=0.99, bottom=0.15, top=0.77, wspace=0.25)

        x0, x1, y0, y1 = PLANE
        gx, gy = np.meshgrid(np.linspace(x0, x1, _GRID_POINTS),
                             np.linspace(y0, y1, _GRID_POINTS))
        self.grid = (gx, gy)
        self.grid_points = np.column_stack([gx.ravel(), gy.ravel()])
        ax = self.ax_plane
        self.fill = None
        cmap = "coolwarm"
        self.train_points = ax.scatter([0], [0], c=[0], s=10, cmap=cmap, vmin=0, vmax=1,
                                       edgecolors="k", linewidths=0.3, label="train")
        self.test_points = ax.scatter([0], [0], c=[0], s=22, cmap=cmap, vmin=0, vmax=1,
                                      marker="^", edgecolors="k", linewidths=0.6,
                                      label="test")
        self.plane_legend = ax.legend(loc="lower left", fontsize=7, framealpha=0.8)
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        _fast_labels(ax, title="", xlabel="x1", ylabel="x2", ylabel_x=-0.12)

        ax = self.ax_loss
        (self.train_loss,) = ax.plot([0, 1], [1, 1], color="C0", lw=1.5, label="train")
        (self.test_loss,) = ax.plot([0, 1], [1, 1], color="C1", lw=1.5, ls="--",
                                    label="test")
        ax.legend(loc="upper right", fontsize=7)
        ax.grid(alpha=0.3)
        _fast_labels(ax, title="", xlabel="epoch", ylabel="cross-entropy",
                     ylabel_x=-0.12)

        ax = self.ax_weights
        _plain_log_axis(ax)
        self.bars = None
        ax.axhline(ZERO_THRESHOLD, color="0.3", ls=":", lw=1)
        _fast_labels(ax, title="", xlabel="weights, sorted by size",
                     ylabel="|w| (log)", ylabel_x=-0.14)
        for ax in (self.ax_plane, self.ax_loss, self.ax_weights):
            ax.tick_params(labelsize=8)
            ax.xaxis.set_major_locator(MaxNLocator(5))
        self.ax_plane.yaxis.set_major_locator(MaxNLocator(5))

        self.settings = fig.text(0.5, 0.985, "", ha="center", va="top", fontsize=9,
                                 color="0.3")
        self.verdict = fig.text(0.5, 0.885, "", ha="center", va="center", fontsize=9.5)

    def draw(self, params=None, run=None) -> Figure:
        """Redraw for ``params`` (and an optional precomputed ``run``)."""
        params = {**CLASSIFICATION_DEFAULTS, **(params or {})}
        run = run or train_classifier(params)
        history = run.history

        # 1. Probability of class 1 over the plane, points on top.
        ax = self.ax_plane
        if self.fill is not None:
            self.fill.remove()
            self.boundary.remove()
        with np.errstate(all="ignore"):
            p = history.predict(self.grid_points).reshape(self.grid[0].shape)
        p = np.nan_to_num(p, nan=0.5)
        self.fill = ax.contourf(*self.grid, p, levels=[0, 0.2, 0.4, 0.5, 0.6, 0.8, 1],
                                cmap="coolwarm", vmin=-0.1, vmax=1.1, alpha=0.55,
                                zorder=0)
        self.boundary = ax.contour(*self.grid, p, levels=[0.5], colors="k",
                                   linewidths=1.2, zorder=1)
        self.train_points.set_offsets(run.X_train)
        self.train_points.set_array(run.y_train.astype(float))
        self.test_points.set_offsets(run.X_test)
        self.test_points.set_array(run.y_test.astype(float))
        acc, val_acc = history.accuracy[-1], history.val_accuracy[-1]
        ax.set_title(f"boundary: train acc {acc:.2f}, test acc {val_acc:.2f}",
                     y=1.0, fontsize=10)

        # 2. Train and test loss per epoch (data loss, finite values only).
        for line, values in ((self.train_loss, history.data_loss),
                             (self.test_loss, history.val_loss)):
            ok = np.isfinite(values)
            line.set_data(np.arange(values.size)[ok], np.maximum(values[ok], 1e-6))
        both = np.concatenate([history.data_loss, history.val_loss])
        both = both[np.isfinite(both)]
        self.ax_loss.set_xlim(0, max(1, history.data_loss.size - 1))
        # Linear scale; a spike far above the start is cut (the text says so).
        # The top is rounded up to 1, 2 or 5 times a power of ten, so that
        # many runs share one background (see ``image``).
        high = min(float(both.max()), 3.0 * float(history.data_loss[0]))
        self.ax_loss.set_ylim(0, _nice_ceiling(max(high, 1e-3) * 1.05))
        self.ax_loss.set_title(
            f"loss: train {history.data_loss[-1]:.3g}, test {history.val_loss[-1]:.3g}",
            y=1.0, fontsize=10,
        )

        # 3. Weight magnitudes, sorted; zeroed ones in a second colour.
        magnitudes, n_zeroed = weight_summary(history.params)
        if self.bars is not None:
            self.bars.remove()
        shown = np.maximum(magnitudes, 1e-5)
        colors = np.where(magnitudes < ZERO_THRESHOLD, "#cf222e", "#0969da")
        # One LineCollection of thick vertical bars: much faster than bar().
        width = max(1.0, 180.0 / shown.size)
        self.bars = self.ax_weights.vlines(np.arange(shown.size), 1e-5, shown,
                                           colors=colors, linewidth=width)
        self.ax_weights.set_xlim(-0.5, shown.size - 0.5)
        top = max(10.0, float(shown.max()) * 2)
        self.ax_weights.set_ylim(5e-6, 10.0 ** math.ceil(math.log10(top)))
        self.ax_weights.set_title(
            f"{n_zeroed} of {magnitudes.size} weights below 0.01 (dotted)", y=1.0,
            fontsize=10
        )

        self.settings.set_text(_settings_text(params))
        if history.diverged:
            verdict, color = (
                f"Diverged at epoch {history.diverged_epoch}: try a smaller learning "
                f"rate (now {params['learning_rate']:g})", "#cf222e")
        elif history.data_loss[-1] > history.data_loss[0]:
            verdict, color = (
                "Unstable: the training loss ended above where it started; try a "
                "smaller learning rate", "#cf222e")
        elif val_acc < acc - 0.1:
            verdict, color = (
                "Overfitting: test accuracy is well below train accuracy; try "
                "regularization or fewer units", "#9a6700")
        elif acc < 0.8:
            verdict, color = (
                "Underfitting: the boundary cannot separate the classes yet; try more "
                "units, epochs, a larger learning rate or a weaker penalty", "#9a6700")
        else:
            verdict, color = (f"Fits: test accuracy {val_acc:.2f}", "#1a7f37")
        self.verdict.set_text(verdict)
        self.verdict.set_color(color)
        self.verdict.set_fontweight("bold" if color == "#cf222e" else "normal")
        self._layout_key = (
            tuple(self.ax_loss.get_xlim()), tuple(self.ax_loss.get_ylim()),
            tuple(self.ax_weights.get_xlim()), tuple(self.ax_weights.get_ylim()),
        )
        return self.figure

    def _dynamic_artists(self):
        plane = self.ax_plane
        return [self.fill, self.boundary, self.train_points, self.test_points,
                self.plane_legend, *plane.spines.values(), self.train_loss,
                self.test_loss, self.bars, plane.title, self.ax_loss.title,
                self.ax_weights.title, self.settings, self.verdict]

    def image(self, params=None, run=None):
        """The figure for ``params`` as a PIL image, redrawn by blitting.

        Axes, ticks and labels are drawn once per layout and kept; a new run
        draws the probability map, the points, the curves, the bars and the
        texts on top (the loss curves lie above that panel's legend).
        """
        self.draw(params, run)
        return blit_image(self.canvas, self._backgrounds, self._layout_key,
                          self._dynamic_artists())

    __call__ = image


def render_classification(params=None, run=None) -> Figure:
    """Three panels: decision boundary, train/test loss, weight magnitudes.

    Parameters
    ----------
    params : dict, optional
        Keys of :data:`CLASSIFICATION_DEFAULTS`; missing keys take defaults.
    run : ClassifierRun, optional
        A run already computed for these params (else it is trained).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure. The weight panel shows every ``|w|`` sorted on a log
        scale: L1 pushes many of them below 0.01 (red), L2 shrinks all of
        them a little.
    """
    return ClassificationFigure().draw(params, run)


def ClassificationExplorer(**kwargs) -> Explorer:
    """Sliders over a one-hidden-layer network on four 2-D data sets.

    The static web page has every combination of data set, learning rate,
    regularization and strength precomputed; noise, hidden units,
    activation and epochs retrain live when a kernel runs. Keyword
    arguments go to :class:`explorers.Explorer`.

    Examples
    --------
    >>> explorer = ClassificationExplorer(precompute=False)
    >>> explorer.set(dataset="xor", regularization="l1")
    >>> explorer.params["dataset"], explorer.params["regularization"]
    ('xor', 'l1')
    """
    kwargs.setdefault(
        "title",
        "<b>A small network, four data sets</b>: move a slider and the network "
        "is retrained from the same random start (seed 0).",
    )
    return Explorer(
        CLASSIFICATION_SPECS, ClassificationFigure(), canonical=classification_canonical,
        **kwargs,
    )
