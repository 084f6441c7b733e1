"""Regression explorer: gradient descent on the source's line y = 2x + 1.

Pure functions first (:func:`train_regression`, :func:`describe_run`,
:func:`render_regression`), then the widget (:func:`RegressionExplorer`).
Every formula comes from :mod:`mathlib` (data, training loop, loss surface);
this module only chooses settings and draws.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from mathlib.data import noisy_line
from mathlib.training import (
    LinearHistory,
    TrainingDivergedWarning,
    fit_linear_regression,
    loss_surface,
)

from ._machinery import DPI, Explorer, SliderSpec, blit_image

__all__ = [
    "REGRESSION_DEFAULTS",
    "REGRESSION_SPECS",
    "RegressionExplorer",
    "RegressionFigure",
    "RegressionRun",
    "describe_run",
    "regression_canonical",
    "regression_data",
    "render_regression",
    "train_regression",
]

REG_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}

REGRESSION_SPECS = (
    SliderSpec(
        "learning_rate", (0.01, 0.1, 0.3, 1.0, 1.9, 2.1, 3.0), 0.1,
        label="learning rate",
    ),
    SliderSpec(
        "regularization", ("none", "l1", "l2"), "none", label="regularization",
        kind="toggle", labels=("none", "L1", "L2"),
    ),
    SliderSpec("strength", (0.1, 0.3, 1.0), 0.3, label="strength λ"),
    SliderSpec("epochs", (10, 20, 50, 100, 200, 500), 100, label="epochs", static=False),
    SliderSpec(
        "batch_size", (None, 50, 10, 1), None, label="batch size", static=False,
        labels=("full (100)", "50", "10", "1"),
    ),
    SliderSpec("momentum", (0.0, 0.5, 0.9), 0.0, label="momentum", static=False),
    SliderSpec("noise", (0.0, 0.1, 0.3, 1.0), 0.0, label="noise (std)", static=False),
    SliderSpec(
        "outlier_fraction", (0.0, 0.05, 0.1, 0.2), 0.0, label="outliers", static=False,
        labels=("0%", "5%", "10%", "20%"),
    ),
)
REGRESSION_DEFAULTS = {s.name: s.default for s in REGRESSION_SPECS}

#: Window of the (w, b) plane drawn under the path (the optimum of the
#: source's line is w = 2, b = 1).
W_RANGE = (-1.0, 4.0)
B_RANGE = (-1.5, 3.5)
#: Loss values are drawn on a log scale, floored here (an exact fit has loss 0).
LOSS_FLOOR = 1e-12


@lru_cache(maxsize=32)
def regression_data(noise=0.0, outlier_fraction=0.0, seed=0):
    """The data of the explorer: 100 points on y = 2x + 1, noise and outliers.

    Parameters
    ----------
    noise : float, default=0.0
        Standard deviation of the Gaussian noise (0 gives the source's data).
    outlier_fraction : float, default=0.0
        Fraction of the points shifted up by 5.
    seed : int, default=0
        Seed of the noise and outliers.

    Returns
    -------
    x, y : ndarray of shape (100,)
        From :func:`mathlib.data.noisy_line` (read-only, cached).
    """
    x, y = noisy_line(100, noise=noise, outlier_fraction=outlier_fraction, seed=seed)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


@dataclass
class RegressionRun:
    """A training run of the explorer and its verdict.

    Attributes
    ----------
    params : dict
        The explorer settings used.
    x, y : ndarray of shape (100,)
        The data.
    history : LinearHistory
        What :func:`mathlib.training.fit_linear_regression` returned.
    kind : str
        One of "converged", "crawling", "oscillating", "diverged" (see
        :func:`describe_run`).
    sentence : str
        One line for a reader, e.g. "diverged at epoch 11: try a smaller
        learning rate".
    """

    params: dict
    x: np.ndarray
    y: np.ndarray
    history: LinearHistory
    kind: str
    sentence: str


def _penalty_args(params):
    if params["regularization"] == "none":
        return {"regularization": "none", "strength": 0.0}
    return {"regularization": params["regularization"], "strength": float(params["strength"])}


def _best_loss(x, y, params):
    """Smallest objective on a fine grid around the optimum (for verdicts)."""
    w = np.linspace(-1.0, 5.0, 241)
    b = np.linspace(-2.0, 8.0, 241)
    W, B = np.meshgrid(w, b)
    surface = loss_surface(x, y, W, B, **_penalty_args(params))
    return float(surface.min())


def describe_run(history, x, y, params):
    """Classify a run as converged, crawling, oscillating or diverged.

    Parameters
    ----------
    history : LinearHistory
        Result of :func:`mathlib.training.fit_linear_regression`.
    x, y : ndarray of shape (n_samples,)
        The data it was trained on.
    params : dict
        Explorer settings (``learning_rate``, ``regularization``,
        ``strength``, ``epochs``).

    Returns
    -------
    kind : str
        ``"diverged"`` if mathlib stopped the run or the loss ended above
        its start; ``"oscillating"`` if most steps of w or b reverse the
        previous one (the iterates jump across the valley); ``"crawling"``
        if the loss still lies more than 1% of the way from its start to
        the best value; else ``"converged"``.
    sentence : str
        A one-line explanation with advice.
    """
    lr = params["learning_rate"]
    loss = history.loss
    if history.diverged:
        return "diverged", (
            f"diverged at epoch {history.diverged_epoch}: try a smaller learning rate "
            f"(now {lr:g})"
        )
    if loss[-1] > loss[0]:
        return "diverged", (
            f"diverging: the loss grew from {loss[0]:.3g} to {loss[-1]:.3g} in "
            f"{history.epochs_run} epochs; try a smaller learning rate (now {lr:g})"
        )
    reversals = []
    for path in (history.w_path, history.b_path):
        steps = np.diff(path)
        steps = steps[np.abs(steps) > 1e-12]
        if steps.size >= 4:
            reversals.append(np.mean(steps[1:] * steps[:-1] < 0))
    best = min(_best_loss(x, y, params), float(loss.min()))
    gap = (loss[-1] - best) / max(loss[0] - best, 1e-300)
    if reversals and max(reversals) > 0.5 and history.steps_per_epoch == 1:
        state = "converged" if gap < 1e-2 else "not there yet"
        return "oscillating", (
            f"oscillating: each step overshoots the valley ({state} after "
            f"{history.epochs_run} epochs); a smaller learning rate takes calmer steps"
        )
    hop = lr * float(params.get("strength", 0.0))
    if params.get("regularization") == "l1" and abs(history.w) <= hop:
        return "converged", (
            f"converged: L1 pinned w at 0 up to its hops (|w| = {abs(history.w):.2f} "
            f"<= learning rate x λ = {hop:.2g}), b = {history.b:.3f}"
        )
    if gap > 1e-2:
        return "crawling", (
            f"crawling: after {history.epochs_run} epochs the loss is still "
            f"{100 * gap:.0f}% of the way from its start to the minimum; "
            f"try a larger learning rate or more epochs"
        )
    return "converged", (
        f"converged: w = {history.w:.3f}, b = {history.b:.3f} after "
        f"{history.epochs_run} epochs"
    )


def regression_canonical(params):
    """Settings that give the same run map to one (strength unused without penalty)."""
    params = {**REGRESSION_DEFAULTS, **params}
    if params["regularization"] == "none":
        params["strength"] = REGRESSION_DEFAULTS["strength"]
    return params


def train_regression(params=None):
    """Train the line for explorer settings (quietly) and judge the run.

    Parameters
    ----------
    params : dict, optional
        Keys of :data:`REGRESSION_DEFAULTS`; missing keys take defaults.

    Returns
    -------
    RegressionRun
        The data, the mathlib history, and its verdict. Divergence is not
        an error: the verdict says so (the TrainingDivergedWarning is
        absorbed, its message is in ``history.message``).

    Examples
    --------
    >>> run = train_regression({"learning_rate": 3.0})
    >>> run.kind, run.history.diverged_epoch
    ('diverged', 11)
    >>> train_regression({"learning_rate": 1.0}).kind
    'converged'
    """
    params = {**REGRESSION_DEFAULTS, **(params or {})}
    x, y = regression_data(params["noise"], params["outlier_fraction"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDivergedWarning)
        history = fit_linear_regression(
            x, y,
            learning_rate=float(params["learning_rate"]),
            epochs=int(params["epochs"]),
            batch_size=params["batch_size"],
            momentum=float(params["momentum"]),
            **_penalty_args(params),
        )
    kind, sentence = describe_run(history, x, y, params)
    return RegressionRun(params, x, y, history, kind, sentence)


@lru_cache(maxsize=64)
def _surface(noise, outlier_fraction, regularization, strength):
    w = np.linspace(*W_RANGE, 81)
    b = np.linspace(*B_RANGE, 81)
    W, B = np.meshgrid(w, b)
    x, y = regression_data(noise, outlier_fraction)
    surface = loss_surface(x, y, W, B, regularization=regularization, strength=strength)
    return W, B, surface


def _settings_text(params):
    batch = "full batch" if params["batch_size"] is None else f"batch {params['batch_size']}"
    reg = params["regularization"]
    penalty = "no penalty" if reg == "none" else f"{REG_LABELS[reg]}, λ = {params['strength']:g}"
    extra = ""
    if params["momentum"]:
        extra += f", momentum {params['momentum']:g}"
    if params["noise"] or params["outlier_fraction"]:
        extra += f", noise {params['noise']:g}, outliers {100 * params['outlier_fraction']:.0f}%"
    return (
        f"learning rate {params['learning_rate']:g}, {params['epochs']} epochs, "
        f"{batch}, {penalty}{extra}"
    )


_KIND_COLORS = {
    "converged": "#1a7f37",
    "crawling": "#9a6700",
    "oscillating": "#8250df",
    "diverged": "#cf222e",
}


def _fast_labels(ax, *, title, xlabel, ylabel, ylabel_x=-0.13):
    """Title and axis labels at fixed positions (skips costly layout passes)."""
    ax.set_title(title, y=1.0, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_label_coords(0.5, -0.12)
    ax.yaxis.set_label_coords(ylabel_x, 0.5)


class RegressionFigure:
    """Reusable figure of the regression explorer (fast redraws).

    Building a matplotlib figure (axes, ticks, fonts) costs more than
    training the line, so the explorer keeps one figure and only updates
    its artists. ``draw(params)`` returns the same figure object each time,
    redrawn for ``params``; everything that depends on ``params`` is reset
    on every call, so the image depends on ``params`` only. Use
    :func:`render_regression` for a fresh, independent figure.
    """

    def __init__(self, dpi=DPI):
        fig = Figure(figsize=(10.5, 3.3), dpi=dpi)
        self.figure = fig
        self.canvas = FigureCanvasAgg(fig)
        self._backgrounds = OrderedDict()
        self.ax_fit, self.ax_loss, self.ax_path = fig.subplots(1, 3)
        fig.subplots_adjust(left=0.05, right=0.99, bottom=0.15, top=0.76, wspace=0.25)
        line = np.array([-1.0, 1.0])

        ax = self.ax_fit
        self.scatter = ax.scatter([0.0], [0.0], s=6, color="0.45", label="data")
        ax.plot(line, 2 * line + 1, color="0.6", ls="--", lw=1, label="y = 2x + 1")
        ax.legend(loc="upper left", fontsize=7)
        (self.fit_line,) = ax.plot(line, line, lw=2)
        self.fit_text = ax.text(0.97, 0.04, "", transform=ax.transAxes, ha="right",
                                fontsize=8)
        ax.set_xlim(-1.05, 1.05)
        _fast_labels(ax, title="data and fitted line", xlabel="x", ylabel="y",
                     ylabel_x=-0.1)

        ax = self.ax_loss
        ax.set_yscale("log")
        (self.loss_line,) = ax.plot([0, 1], [1, 1], lw=1.6)
        self.loss_mark = ax.axvline(0, ls=":", lw=1)
        ax.grid(alpha=0.3, which="major")
        # Plain-text tick labels: mathtext (10^k) costs more than the training.
        ax.yaxis.set_major_locator(LogLocator(numticks=6))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))
        ax.yaxis.set_minor_locator(NullLocator())
        _fast_labels(ax, title="training loss per epoch", xlabel="epoch",
                     ylabel="loss (log scale)", ylabel_x=-0.16)

        ax = self.ax_path
        self.contour = None
        self.contour_key = None
        (self.minimum,) = ax.plot([2.0], [1.0], marker="*", color="k", ms=9, ls="none",
                                  label="minimum (grid)")
        (self.path_line,) = ax.plot([0.0], [0.0], lw=1, marker=".", ms=3,
                                    label="path of (w, b)")
        ax.plot([0.0], [0.0], "o", color="k", ms=4, label="start")
        ax.legend(loc="lower right", fontsize=7)
        ax.set(xlim=W_RANGE, ylim=B_RANGE)
        _fast_labels(ax, title="path on the loss surface", xlabel="w", ylabel="b",
                     ylabel_x=-0.1)

        for ax in (self.ax_fit, self.ax_loss, self.ax_path):
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.tick_params(labelsize=8)
        for ax in (self.ax_fit, self.ax_path):
            ax.yaxis.set_major_locator(MaxNLocator(5))

        self.settings = fig.text(0.5, 0.985, "", ha="center", va="top", fontsize=9,
                                 color="0.3")
        self.verdict = fig.text(0.5, 0.875, "", ha="center", va="center")

    def draw(self, params=None, run=None) -> Figure:
        """Redraw for ``params`` (and an optional precomputed ``run``)."""
        params = {**REGRESSION_DEFAULTS, **(params or {})}
        run = run or train_regression(params)
        history, x, y = run.history, run.x, run.y
        color = _KIND_COLORS[run.kind]

        # 1. Data and the line of the last finite parameters.
        finite = np.isfinite(history.w_path) & np.isfinite(history.b_path)
        w_last = float(history.w_path[finite][-1])
        b_last = float(history.b_path[finite][-1])
        self.scatter.set_offsets(np.column_stack([x, y]))
        with np.errstate(over="ignore", invalid="ignore"):
            self.fit_line.set_ydata(w_last * np.array([-1.0, 1.0]) + b_last)
        self.fit_line.set_color(color)
        self.fit_text.set_text(f"fitted line: w = {w_last:.3g}, b = {b_last:.3g}")
        self.fit_text.set_color(color)
        low = min(-1.5, float(y.min()) - 0.5)
        high = max(3.5, float(y.max()) + 0.5)
        self.ax_fit.set_ylim(low, high)

        # 2. Loss per epoch, finite values only, floored for the log scale.
        loss = history.loss
        epochs = np.arange(loss.size)
        ok = np.isfinite(loss)
        shown = np.maximum(loss[ok], LOSS_FLOOR)
        self.loss_line.set_data(epochs[ok], shown)
        self.loss_line.set_color(color)
        self.loss_mark.set_visible(history.diverged)
        self.loss_mark.set_color(color)
        if history.diverged:
            self.loss_mark.set_xdata([history.diverged_epoch] * 2)
        # Limits: the planned epochs and whole decades, so that many runs share
        # one background (see ``image``).
        self.ax_loss.set_xlim(0, max(1, int(params["epochs"])))
        # The bottom is always the floor, so runs are compared on one scale
        # (crawling stays near the top, converging falls to the floor).
        top = float(np.ceil(np.log10(shown.max()) + 1e-9))
        bottom = float(np.log10(LOSS_FLOOR))
        self.ax_loss.set_ylim(10.0**bottom, 10.0**max(top, 1.0))

        # 3. Contours of the loss surface (redrawn only when it changes).
        key = (params["noise"], params["outlier_fraction"], *_penalty_args(params).values())
        if key != self.contour_key:
            W, B, surface = _surface(*key)
            if self.contour is not None:
                self.contour.remove()
            levels = np.geomspace(max(surface.min(), 1e-3) * 1.05, surface.max(), 12)
            self.contour = self.ax_path.contour(W, B, surface, levels=levels,
                                                cmap="viridis", linewidths=0.8)
            i_min = np.unravel_index(np.argmin(surface), surface.shape)
            self.minimum.set_data([W[i_min]], [B[i_min]])
            self.contour_key = key
        with np.errstate(over="ignore", invalid="ignore"):
            self.path_line.set_data(history.w_path[finite], history.b_path[finite])
        self.path_line.set_color(color)
        self.ax_path.set(xlim=W_RANGE, ylim=B_RANGE)

        self.settings.set_text(_settings_text(params))
        self.verdict.set_text(run.sentence[:1].upper() + run.sentence[1:])
        self.verdict.set_color(color)
        diverged = run.kind == "diverged"
        self.verdict.set_fontsize(10.5 if diverged else 9.5)
        self.verdict.set_fontweight("bold" if diverged else "normal")
        self._layout_key = (
            key, tuple(self.ax_fit.get_ylim()), tuple(self.ax_loss.get_xlim()),
            tuple(self.ax_loss.get_ylim()),
        )
        return self.figure

    def _dynamic_artists(self):
        return [self.fit_line, self.fit_text, self.loss_line, self.loss_mark,
                self.path_line, self.settings, self.verdict]

    def image(self, params=None, run=None):
        """The figure for ``params`` as a PIL image, redrawn by blitting.

        Everything that does not change between runs with the same layout
        (axes, ticks, labels, contours, data points) is drawn once and kept
        as a background; a new run only draws its lines and texts on top.
        The result looks like the full figure of :meth:`draw` (the moving
        lines are drawn last, so they lie above the legends).
        """
        self.draw(params, run)
        return blit_image(self.canvas, self._backgrounds, self._layout_key,
                          self._dynamic_artists())

    __call__ = image


def render_regression(params=None, run=None) -> Figure:
    """Three panels: the fitted line, the loss per epoch, the path of (w, b).

    Parameters
    ----------
    params : dict, optional
        Keys of :data:`REGRESSION_DEFAULTS`; missing keys take defaults.
    run : RegressionRun, optional
        A run already computed for these params (else it is trained).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure. Never empty and never with NaN axes: a diverged run
        shows the data, the loss until it exploded and the path leaving the
        window, and its verdict ("Diverged at epoch 11: try a smaller
        learning rate") in red across the top.

    Examples
    --------
    >>> fig = render_regression({"learning_rate": 3.0})
    >>> [t.get_text() for t in fig.texts][1][:40]
    'Diverged at epoch 11: try a smaller lear'
    """
    return RegressionFigure().draw(params, run)


def RegressionExplorer(**kwargs) -> Explorer:
    """Sliders over gradient descent on y = 2x + 1 (static and live).

    The static web page has every combination of learning rate,
    regularization and strength precomputed; epochs, batch size, momentum,
    noise and outliers retrain live when a kernel runs. Keyword arguments
    go to :class:`explorers.Explorer` (e.g. ``precompute=False``).

    Examples
    --------
    >>> explorer = RegressionExplorer(precompute=False)
    >>> explorer.set(learning_rate=3.0)
    >>> explorer.params["learning_rate"]
    3.0
    """
    kwargs.setdefault(
        "title",
        "<b>Gradient descent on y = 2x + 1</b>: move a slider and the line is "
        "retrained from w = 0, b = 0.",
    )
    return Explorer(
        REGRESSION_SPECS, RegressionFigure(), canonical=regression_canonical, **kwargs
    )
