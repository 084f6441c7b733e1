"""Two small explorers for chapters 1 and 3: activations and loss functions.

Each explorer is a pure render function (``params -> Figure``, testable
without widgets) wrapped by :class:`explorers._machinery.Explorer`, so the
same sliders work with a kernel and in the static web page.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from mathlib.activations import get_activation
from mathlib.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    huber,
    huber_grad,
    mse,
    mse_grad,
)

from ._machinery import Explorer, SliderSpec

__all__ = [
    "ACTIVATION_DEFAULTS",
    "ACTIVATION_SPECS",
    "LOSS_DEFAULTS",
    "LOSS_SPECS",
    "activation_explorer",
    "activation_curves",
    "loss_curves",
    "loss_explorer",
    "render_activation",
    "render_loss",
]

# --------------------------------------------------------------------------
# Activations (chapter 1)
# --------------------------------------------------------------------------

ACTIVATION_SPECS = (
    SliderSpec(
        "activation", ("sigmoid", "tanh", "relu"), "sigmoid", label="activation f",
        kind="toggle", labels=("sigmoid", "tanh", "ReLU"),
    ),
    SliderSpec("weight", (0.5, 1.0, 2.0, 4.0), 1.0, label="weight w"),
    SliderSpec("bias", (-2.0, 0.0, 2.0), 0.0, label="bias b"),
)
ACTIVATION_DEFAULTS = {s.name: s.default for s in ACTIVATION_SPECS}

#: Inputs x shown on the horizontal axis of the activation explorer.
ACTIVATION_X = np.linspace(-6.0, 6.0, 241)

#: A local gradient below this value counts as "saturated" in the figure.
SATURATION_THRESHOLD = 0.01


def activation_curves(activation="sigmoid", weight=1.0, bias=0.0, x=ACTIVATION_X):
    """Pre-activation, activation and derivative of one neuron over inputs x.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu"}, default="sigmoid"
        Name of the activation (looked up in :mod:`mathlib.activations`).
    weight, bias : float
        The neuron's ``w`` and ``b``; the pre-activation is ``z = w x + b``.
    x : ndarray of shape (n_points,)
        Inputs.

    Returns
    -------
    z, a, a_grad : ndarray of shape (n_points,)
        ``z = w x + b``, ``a = f(z)`` and ``f'(z)``.

    Examples
    --------
    >>> z, a, a_grad = activation_curves("relu", 2.0, 0.0, x=np.array([-1.0, 1.0]))
    >>> print(a, a_grad)
    [0. 2.] [0. 1.]
    """
    f, f_grad = get_activation(activation)
    z = weight * np.asarray(x, dtype=float) + bias
    return z, f(z), f_grad(z)


def render_activation(params=None) -> Figure:
    """Figure of ``f(w x + b)`` and of the local gradient ``f'(w x + b)``.

    Parameters
    ----------
    params : dict, optional
        Keys ``activation``, ``weight``, ``bias`` (see
        :data:`ACTIVATION_DEFAULTS`); missing keys take their defaults.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the activation and its derivative, both against the
        input ``x``. The right panel states which fraction of the inputs is
        saturated (``f'(z) < 0.01``: almost no gradient flows back).
    """
    p = {**ACTIVATION_DEFAULTS, **(params or {})}
    name, w, b = p["activation"], float(p["weight"]), float(p["bias"])
    z, a, a_grad = activation_curves(name, w, b)
    _, a_ref, grad_ref = activation_curves(name, 1.0, 0.0)
    label = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}[name]

    fig = Figure(figsize=(7.6, 2.6))
    ax_f, ax_g = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.19, top=0.86, wspace=0.25)

    ax_f.plot(ACTIVATION_X, a_ref, color="0.75", ls="--", lw=1, label="w=1, b=0")
    ax_f.plot(ACTIVATION_X, a, color="C0", lw=2, label=f"w={w:g}, b={b:g}")
    ax_f.set(xlabel="input x", ylabel="a = f(z)", title=f"{label}(w x + b)")
    if name == "relu":
        ax_f.set_ylim(-0.5, 6.5)
    else:
        low = -0.1 if name == "sigmoid" else -1.1
        ax_f.set_ylim(low, 1.1)
    ax_f.legend(loc="upper left", fontsize=8)

    saturated = float(np.mean(a_grad < SATURATION_THRESHOLD))
    ax_g.plot(ACTIVATION_X, grad_ref, color="0.75", ls="--", lw=1)
    ax_g.plot(ACTIVATION_X, a_grad, color="C3", lw=2)
    ax_g.fill_between(
        ACTIVATION_X, -0.05, 1.1, where=a_grad < SATURATION_THRESHOLD,
        color="C3", alpha=0.08, lw=0,
    )
    ax_g.set(
        xlabel="input x", ylabel="f'(z)", ylim=(-0.05, 1.1),
        title=f"local gradient f'(w x + b), max {a_grad.max():.2f}",
    )
    ax_g.text(
        0.02, 0.95, f"{100 * saturated:.0f}% of inputs saturated (f' < 0.01)",
        transform=ax_g.transAxes, va="top", fontsize=8,
    )
    for ax in (ax_f, ax_g):
        ax.axvline(0, color="0.85", lw=0.8, zorder=0)
        ax.grid(alpha=0.3)
    return fig


def activation_explorer(**kwargs) -> Explorer:
    """Explorer of the activations of chapter 1: choose f, w and b.

    Shows ``a = f(w x + b)`` and its derivative side by side. Works live
    (with a kernel) and in the static web page (every combination is
    precomputed). Keyword arguments go to :class:`Explorer`.

    Examples
    --------
    >>> explorer = activation_explorer(precompute=False)
    >>> explorer.set(activation="tanh", weight=2.0)
    >>> explorer.params["activation"]
    'tanh'
    """
    kwargs.setdefault(
        "title",
        "<b>Activation explorer</b>: a neuron computes a = f(w x + b); "
        "the right panel is the factor f'(z) that backpropagation multiplies by.",
    )
    return Explorer(ACTIVATION_SPECS, render_activation, **kwargs)


# --------------------------------------------------------------------------
# Loss functions (chapter 3)
# --------------------------------------------------------------------------

LOSS_SPECS = (
    SliderSpec("target", (0.0, 0.25, 0.5, 0.75, 1.0), 1.0, label="target y"),
    SliderSpec("delta", (0.5, 1.0, 2.0), 1.0, label="Huber delta"),
)
LOSS_DEFAULTS = {s.name: s.default for s in LOSS_SPECS}

#: Predictions shown on the horizontal axis of the loss explorer.
LOSS_PREDICTIONS = np.linspace(-1.0, 2.0, 181)

#: Probabilities used for the cross-entropy curve (it needs 0 < p < 1).
_BCE_EPS = 0.004


def loss_curves(target=1.0, delta=1.0, y_hat=LOSS_PREDICTIONS):
    """Per-sample losses and gradients as functions of one prediction.

    Each value is the mathlib loss of a single sample (``n_samples = 1``)
    with target ``target`` and prediction ``y_hat[i]``.

    Parameters
    ----------
    target : float, default=1.0
        The target ``y``, in [0, 1] (so that cross-entropy is defined).
    delta : float, default=1.0
        Huber's threshold.
    y_hat : ndarray of shape (n_points,)
        Predictions.

    Returns
    -------
    dict
        ``"y_hat"`` -> predictions; for each of ``"mse_half"``,
        ``"mse_mean"``, ``"huber"``, ``"bce"`` a pair ``(loss, grad)`` of
        arrays (gradient with respect to the prediction). Cross-entropy is
        NaN where the prediction is not a probability in (0, 1).

    Examples
    --------
    >>> curves = loss_curves(1.0, 1.0, y_hat=np.array([0.0, 0.5]))
    >>> print(curves["mse_half"][0], curves["mse_mean"][0])
    [0.5   0.125] [1.   0.25]
    """
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.array([float(target)])
    curves = {"y_hat": y_hat}
    pairs = {
        "mse_half": (lambda t, p: mse(t, p), lambda t, p: mse_grad(t, p)),
        "mse_mean": (
            lambda t, p: mse(t, p, convention="mean"),
            lambda t, p: mse_grad(t, p, convention="mean"),
        ),
        "huber": (
            lambda t, p: huber(t, p, delta=delta),
            lambda t, p: huber_grad(t, p, delta=delta),
        ),
        "bce": (binary_cross_entropy, binary_cross_entropy_grad),
    }
    for name, (loss, grad) in pairs.items():
        values = np.full(y_hat.shape, np.nan)
        grads = np.full(y_hat.shape, np.nan)
        for i, prediction in enumerate(y_hat):
            if name == "bce" and not (_BCE_EPS <= prediction <= 1 - _BCE_EPS):
                continue
            p = np.array([prediction])
            values[i] = loss(y, p)
            grads[i] = grad(y, p)[0]
        curves[name] = (values, grads)
    return curves


_LOSS_STYLE = {
    "mse_half": ("MSE, 1/(2n) (the source)", "C0", "-"),
    "mse_mean": ("MSE, 1/n (Keras)", "C1", "--"),
    "huber": ("Huber", "C2", "-"),
    "bce": ("binary cross-entropy", "C3", "-"),
}


def render_loss(params=None) -> Figure:
    """Figure of four losses and their gradients against the prediction.

    Parameters
    ----------
    params : dict, optional
        Keys ``target`` and ``delta`` (see :data:`LOSS_DEFAULTS`).

    Returns
    -------
    matplotlib.figure.Figure
        Left: the loss of one sample; right: its derivative with respect to
        the prediction (the "force" gradient descent applies). Cross-entropy
        is drawn only for predictions in (0, 1).
    """
    p = {**LOSS_DEFAULTS, **(params or {})}
    target, delta = float(p["target"]), float(p["delta"])
    curves = loss_curves(target, delta)
    y_hat = curves["y_hat"]

    fig = Figure(figsize=(7.6, 2.7))
    ax_l, ax_g = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.18, top=0.87, wspace=0.22)
    for name, (label, color, ls) in _LOSS_STYLE.items():
        values, grads = curves[name]
        ax_l.plot(y_hat, values, color=color, ls=ls, lw=1.8, label=label)
        ax_g.plot(y_hat, grads, color=color, ls=ls, lw=1.8)
    for ax in (ax_l, ax_g):
        ax.axvline(target, color="0.5", lw=0.8, ls=":")
        ax.axvspan(-1.0, 0.0, color="0.5", alpha=0.06, lw=0)
        ax.axvspan(1.0, 2.0, color="0.5", alpha=0.06, lw=0)
        ax.set_xlim(y_hat[0], y_hat[-1])
        ax.grid(alpha=0.3)
    ax_l.set(
        xlabel="prediction y_hat", ylabel="loss of one sample", ylim=(-0.1, 4.5),
        title=f"losses, target y = {target:g}, Huber delta = {delta:g}",
    )
    ax_g.set(
        xlabel="prediction y_hat", ylabel="dL / dy_hat", ylim=(-6.0, 6.0),
        title="gradient with respect to the prediction",
    )
    ax_l.legend(loc="upper center", fontsize=7, ncol=2, framealpha=0.9)
    ax_g.text(
        0.02, 0.04, "shaded: outside (0, 1), no cross-entropy",
        transform=ax_g.transAxes, fontsize=7, color="0.35",
    )
    return fig


def loss_explorer(**kwargs) -> Explorer:
    """Explorer of the losses of chapter 3: choose the target and Huber's delta.

    Plots MSE with the source's 1/(2n), MSE with Keras's 1/n, Huber and
    binary cross-entropy against the prediction, with their gradients.
    Keyword arguments go to :class:`Explorer`.

    Examples
    --------
    >>> explorer = loss_explorer(precompute=False)
    >>> explorer.set(target=0.0)
    >>> explorer.params["target"]
    0.0
    """
    kwargs.setdefault(
        "title",
        "<b>Loss explorer</b>: the loss of one sample and its gradient as the "
        "prediction moves; the dotted line is the target.",
    )
    return Explorer(LOSS_SPECS, render_loss, **kwargs)
