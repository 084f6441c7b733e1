"""Training loops: a line by gradient descent, and a small neural network.

:func:`fit_linear_regression` fits the source text's model
``y_hat = w x + b`` and records the whole path of ``(w, b)``, so a chapter
can draw it on the contour plot of :func:`loss_surface`.
:func:`fit_network` trains a multilayer perceptron for binary or multiclass
classification or for regression. Both return a history dataclass and
never print.

Both stop early when training diverges: when the loss stops being a
finite number or grows more than ``DIVERGENCE_FACTOR`` (a million) times
above ``max(initial loss, 1e-12)``. They then set ``diverged``,
``diverged_epoch`` and ``message`` in the history and emit a
:class:`TrainingDivergedWarning` with the same message, which says what to
try. Numpy's overflow warnings never escape: the loops run under
``numpy.errstate`` and stop long before numbers overflow.

Speed matters because sliders retrain on every move: the line is fitted
from a few moments of the data with plain Python floats (no array work per
step), and the network loop validates every argument once and then runs
in-place, unchecked copies of the formulas of :mod:`mathlib.activations`,
:mod:`mathlib.losses` and :mod:`mathlib.network` (the tests check that they
agree).
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_same_length,
    check_same_shape,
)
from mathlib.activations import ACTIVATIONS, sigmoid, softmax
from mathlib.network import forward, init_params
from mathlib.regularization import PENALTY_KINDS

TASKS = ("binary", "multiclass", "regression")
"""tuple of str: the accepted values of ``task`` in :func:`fit_network`."""

CONVENTIONS = ("half", "mean")
"""tuple of str: MSE conventions, as in :func:`mathlib.losses.mse`."""

DIVERGENCE_FACTOR = 1e6
"""float: training stops when the loss exceeds this times the initial loss."""


class TrainingDivergedWarning(UserWarning):
    """Training was stopped because the loss exploded or stopped being finite.

    A ``UserWarning`` (not a ``RuntimeWarning``): divergence is a property
    of the chosen hyperparameters, not a numerical accident, and the
    message says what to change (usually a smaller learning rate).
    """


# ---------------------------------------------------------------------------
# Shared checks and messages
# ---------------------------------------------------------------------------


def _check_batch_size(batch_size):
    """Return None or an int >= 1."""
    if batch_size is None:
        return None
    return check_int("batch_size", batch_size, minimum=1)


def _check_common(learning_rate, epochs, batch_size, regularization, strength,
                  momentum, seed):
    """Validate the hyperparameters shared by both training loops."""
    learning_rate = check_positive("learning_rate", learning_rate)
    epochs = check_int("epochs", epochs, minimum=0)
    batch_size = _check_batch_size(batch_size)
    check_choice("regularization", regularization, PENALTY_KINDS)
    strength = check_nonnegative("strength", strength)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    seed = check_int("seed", seed, minimum=0)
    return learning_rate, epochs, batch_size, strength, momentum, seed


def _divergence_message(epoch, first_loss, last_loss, learning_rate, momentum):
    """The text of the history's message and of the warning."""
    advice = f"try a smaller learning rate (now {learning_rate:g})"
    if momentum > 0:
        advice += f" or less momentum (now {momentum:g})"
    return (
        f"diverged at epoch {epoch}: the loss grew from {first_loss:.3g} to "
        f"{last_loss:.3g}; {advice}"
    )


def _report_divergence(run, learning_rate, momentum):
    """Warn the caller of a public fit function if ``run`` diverged.

    Returns the message for the history ("" when training went fine).
    """
    epoch = run["diverged_epoch"]
    if epoch is None:
        return ""
    message = _divergence_message(
        epoch, run["loss"][0], run["loss"][-1], learning_rate, momentum
    )
    # stacklevel 3: past this helper and the fit function, to the user's call.
    warnings.warn(message, TrainingDivergedWarning, stacklevel=3)
    return message


def _divergence_limit(first_loss):
    """Loss above which training counts as diverged."""
    return DIVERGENCE_FACTOR * max(first_loss, 1e-12)


# ---------------------------------------------------------------------------
# Linear regression y_hat = w x + b
# ---------------------------------------------------------------------------


@dataclass
class LinearHistory:
    """What :func:`fit_linear_regression` returns.

    Attributes
    ----------
    loss : ndarray of shape (epochs_run + 1,)
        Training objective (data loss plus penalty) on the whole data set;
        index 0 is at the initial parameters, index k after epoch k.
    data_loss : ndarray of shape (epochs_run + 1,)
        The MSE part of ``loss`` alone.
    w_path, b_path : ndarray of shape (epochs_run + 1,)
        The parameters over time, with the same indexing as ``loss``.
    w, b : float
        Final parameters (``w_path[-1]``, ``b_path[-1]``).
    diverged : bool
        Whether training was stopped because the loss exploded.
    diverged_epoch : int or None
        The epoch at which it was stopped (then ``epochs_run``).
    message : str
        Explanation and advice if diverged, else ``""``.
    epochs_run : int
        Number of epochs actually run (``epochs`` unless diverged).
    steps_per_epoch : int
        Parameter updates per epoch (1 for full-batch gradient descent).
    """

    loss: np.ndarray
    data_loss: np.ndarray
    w_path: np.ndarray
    b_path: np.ndarray
    w: float
    b: float
    diverged: bool
    diverged_epoch: int | None
    message: str
    epochs_run: int
    steps_per_epoch: int


def _batch_moments(xs, ys, batch_size):
    """Moments of consecutive batches of each row of ``xs`` and ``ys``.

    ``xs``, ``ys`` have shape (n_rows, n); batches are columns
    ``[0, B), [B, 2B), ...``. Returns ``(x_bar, y_bar, s_uu, w_star,
    r_var, m)``, each (n_rows, n_batches) except ``m`` (n_batches,): the
    batch means, the variance of x, the slope of the batch's best line
    and the mean squared residual about it, and the batch sizes.
    """
    n = xs.shape[1]
    starts = np.arange(0, n, batch_size)
    m = np.diff(np.append(starts, n))

    x_bar = np.add.reduceat(xs, starts, axis=1) / m
    y_bar = np.add.reduceat(ys, starts, axis=1) / m
    u = xs - np.repeat(x_bar, m, axis=1)
    v = ys - np.repeat(y_bar, m, axis=1)
    s_uu = np.add.reduceat(u * u, starts, axis=1) / m
    s_uv = np.add.reduceat(u * v, starts, axis=1) / m
    w_star = np.divide(s_uv, s_uu, out=np.zeros_like(s_uv), where=s_uu > 0)
    r = v - np.repeat(w_star, m, axis=1) * u
    r_var = np.add.reduceat(r * r, starts, axis=1) / m
    return x_bar, y_bar, s_uu, w_star, r_var, m


def _batch_tuples(x, y, orders, batch_size):
    """Per-step tuples ``(x_bar, y_bar, s_uu, w_star, r_var, m / n)``."""
    x_bar, y_bar, s_uu, w_star, r_var, m = _batch_moments(
        x[orders], y[orders], batch_size
    )
    weight = np.broadcast_to(m / x.shape[0], x_bar.shape)
    columns = (x_bar, y_bar, s_uu, w_star, r_var, weight)
    return list(zip(*(np.ravel(c).tolist() for c in columns)))


def _fit_line(x, y, *, learning_rate, epochs, batch_size, rng, loss_factor,
              l1, l2, momentum, w0, b0):
    """Gradient descent on ``loss_factor * mean((w x + b - y)**2) + penalty``.

    Private engine of :func:`fit_linear_regression` and
    :func:`mathlib.keras_equivalent.fit_like_keras` (arguments already
    validated). ``batch_size=None`` is full-batch; otherwise epoch k visits
    the samples in the order of the k-th ``rng.permutation(n)`` (drawn for
    a block of epochs at a time with ``rng.permuted``, which gives the same
    numbers), in consecutive batches.

    Each step only needs five moments of its batch, so the loop runs on
    Python floats. With :math:`u, v` the deviations of x and y from the
    batch means, the mean squared error splits exactly into non-negative
    terms,

        mean((w x + b - y)^2) = s_uu (w - w*)^2 + e^2 + r_var,
        e = w x_bar + b - y_bar,

    and its gradient is ``2 (s_uu (w - w*) + x_bar e, e)``: no
    cancellation even at the minimum, where the raw-sums formula would
    subtract nearly equal numbers.

    Returns a dict with the epoch-end paths, the losses, the loss averaged
    over each epoch's steps as Keras reports it, and the divergence
    epoch (or None).
    """
    n = x.shape[0]
    grad_scale = 2.0 * loss_factor
    (gx, gy, gs, gw, gr, _), = _batch_tuples(x, y, np.arange(n)[None, :], n)

    def objective(w, b):
        e = w * gx + b - gy
        d = w - gw
        data = loss_factor * (gs * d * d + e * e + gr)
        return data, data + l1 * abs(w) + 0.5 * l2 * w * w

    if batch_size is None or batch_size >= n:
        static, steps_per_epoch, chunk_epochs = True, 1, epochs
        batches = [(gx, gy, gs, gw, gr, 1.0)]
    else:
        static, steps_per_epoch = False, -(-n // batch_size)
        chunk_epochs = max(1, 500_000 // n)

    w, b, v_w, v_b = float(w0), float(b0), 0.0, 0.0
    data, total = objective(w, b)
    limit = _divergence_limit(total)
    w_path, b_path, data_losses, losses, running = [w], [b], [data], [total], []
    diverged_epoch = None

    epoch = 0
    while epoch < epochs and diverged_epoch is None:
        block = min(chunk_epochs, epochs - epoch)
        if not static:
            orders = rng.permuted(np.tile(np.arange(n), (block, 1)), axis=1)
            batches = _batch_tuples(x, y, orders, batch_size)
        for k in range(block):
            epoch += 1
            mean_loss = 0.0
            epoch_batches = batches if static else batches[
                k * steps_per_epoch : (k + 1) * steps_per_epoch
            ]
            for x_bar, y_bar, s_uu, w_star, r_var, weight in epoch_batches:
                e = w * x_bar + b - y_bar
                d = w - w_star
                mean_loss += weight * (s_uu * d * d + e * e + r_var)
                g_w = grad_scale * (s_uu * d + x_bar * e) + l2 * w
                if l1:
                    g_w += l1 * ((w > 0) - (w < 0))
                g_b = grad_scale * e
                if momentum:
                    v_w = momentum * v_w - learning_rate * g_w
                    v_b = momentum * v_b - learning_rate * g_b
                    w += v_w
                    b += v_b
                else:
                    w -= learning_rate * g_w
                    b -= learning_rate * g_b

            data, total = objective(w, b)
            w_path.append(w)
            b_path.append(b)
            data_losses.append(data)
            losses.append(total)
            running.append(loss_factor * mean_loss)
            if not (total <= limit and math.isfinite(w) and math.isfinite(b)):
                diverged_epoch = epoch
                break

    return {
        "w_path": np.array(w_path),
        "b_path": np.array(b_path),
        "data_loss": np.array(data_losses),
        "loss": np.array(losses),
        "running_loss": np.array(running),
        "diverged_epoch": diverged_epoch,
        "steps_per_epoch": steps_per_epoch,
    }


def _check_line_data(x, y):
    """Validate 1-D ``x`` and ``y`` of the same length."""
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    check_same_shape("y", y, "x", x)
    return x, y


def _penalty_coefficients(regularization, strength):
    """``(l1, l2)`` strengths: the penalty is ``l1 |w| + l2 w**2 / 2``."""
    if regularization == "l1":
        return strength, 0.0
    if regularization == "l2":
        return 0.0, strength
    return 0.0, 0.0


def fit_linear_regression(x, y, *, learning_rate=0.1, epochs=100, batch_size=None,
                          regularization="none", strength=0.0, momentum=0.0,
                          w0=0.0, b0=0.0, seed=0, convention="half"):
    """Fit the line ``y_hat = w x + b`` by (mini-batch) gradient descent.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Inputs.
    y : ndarray of shape (n_samples,)
        Targets.
    learning_rate : float, default=0.1
        Step size :math:`\\alpha > 0`.
    epochs : int, default=100
        Passes over the data (>= 0).
    batch_size : int or None, default=None
        ``None`` (or any value >= ``n_samples``) is full-batch gradient
        descent, one step per epoch. Otherwise each epoch shuffles the
        samples and takes one step per batch of ``batch_size`` (the last
        batch holds the remainder), as :func:`mathlib.optim.minibatch_indices`.
    regularization : {"none", "l1", "l2"}, default="none"
        Penalty on ``w`` (never on ``b``), see :mod:`mathlib.regularization`.
    strength : float, default=0.0
        Penalty strength :math:`\\lambda \\ge 0`; ignored when
        ``regularization="none"`` (so a slider can stay where it is).
    momentum : float, default=0.0
        Momentum :math:`\\mu` in [0, 1), as in :func:`mathlib.optim.momentum_step`.
    w0, b0 : float, default=0.0
        Initial parameters.
    seed : int, default=0
        Seed (>= 0) of the shuffling; unused for full-batch descent.
    convention : {"half", "mean"}, default="half"
        The MSE of :func:`mathlib.losses.mse`: ``"half"`` is the source
        text's :math:`\\frac{1}{2n}\\sum`, ``"mean"`` Keras's
        :math:`\\frac{1}{n}\\sum` (twice the gradient).

    Returns
    -------
    history : LinearHistory
        Losses and the path of ``(w, b)``, index 0 at the start; see
        :class:`LinearHistory`.

    Raises
    ------
    TypeError
        If an argument has the wrong type (e.g. a float ``epochs``).
    ValueError
        If ``x`` or ``y`` is not 1-D, empty or not finite, their lengths
        differ, or a hyperparameter is out of range (``learning_rate <= 0``
        or not finite, ``strength < 0``, ``momentum`` outside [0, 1),
        ``batch_size < 1``, unknown ``regularization`` or ``convention``).

    Warns
    -----
    TrainingDivergedWarning
        If the loss explodes; training stops and the history says when.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. With the source text's loss
    and a penalty :math:`R(w)`,

    .. math:: Loss(w, b) = \\frac{1}{2n}\\sum_{i=1}^{n}(w x_i + b - y_i)^2
              + R(w),

    .. math:: \\frac{\\partial Loss}{\\partial w}
              = \\frac{1}{n}\\sum_i (\\hat{y}_i - y_i)\\, x_i + R'(w),
              \\qquad
              \\frac{\\partial Loss}{\\partial b}
              = \\frac{1}{n}\\sum_i (\\hat{y}_i - y_i),

    and each step is :math:`w \\leftarrow w - \\alpha\\,\\partial Loss /
    \\partial w`, :math:`b \\leftarrow b - \\alpha\\,\\partial Loss / \\partial b`
    (with ``"mean"`` both gradients double). The sums are computed from the
    means and (co)variances of each batch, which is exact and makes 1000
    full-batch epochs take a few milliseconds. Full-batch descent converges when
    ``learning_rate`` is below :func:`critical_learning_rate` and diverges
    above it.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.training import fit_linear_regression
    >>> x = np.linspace(-1, 1, 100)
    >>> history = fit_linear_regression(x, 2 * x + 1, learning_rate=0.5, epochs=200)
    >>> print(f"w = {history.w:.4f}, b = {history.b:.4f}")
    w = 2.0000, b = 1.0000
    >>> history.loss.shape, history.diverged
    ((201,), False)
    """
    x, y = _check_line_data(x, y)
    learning_rate, epochs, batch_size, strength, momentum, seed = _check_common(
        learning_rate, epochs, batch_size, regularization, strength, momentum, seed
    )
    check_choice("convention", convention, CONVENTIONS)
    w0 = check_real_scalar("w0", w0)
    b0 = check_real_scalar("b0", b0)
    l1, l2 = _penalty_coefficients(regularization, strength)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        run = _fit_line(
            x, y, learning_rate=learning_rate, epochs=epochs, batch_size=batch_size,
            rng=np.random.default_rng(seed),
            loss_factor=0.5 if convention == "half" else 1.0,
            l1=l1, l2=l2, momentum=momentum, w0=w0, b0=b0,
        )

    message = _report_divergence(run, learning_rate, momentum)
    return LinearHistory(
        loss=run["loss"],
        data_loss=run["data_loss"],
        w_path=run["w_path"],
        b_path=run["b_path"],
        w=float(run["w_path"][-1]),
        b=float(run["b_path"][-1]),
        diverged=run["diverged_epoch"] is not None,
        diverged_epoch=run["diverged_epoch"],
        message=message,
        epochs_run=len(run["loss"]) - 1,
        steps_per_epoch=run["steps_per_epoch"],
    )


def loss_surface(x, y, w_grid, b_grid, *, convention="half", regularization="none",
                 strength=0.0):
    """The loss of the line ``w x + b`` at every point of a ``(w, b)`` grid.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Inputs.
    y : ndarray of shape (n_samples,)
        Targets.
    w_grid : float or ndarray of any shape
        Slopes, e.g. the first output of ``numpy.meshgrid``.
    b_grid : float or ndarray of the same shape as ``w_grid``
        Intercepts.
    convention : {"half", "mean"}, default="half"
        MSE convention, as in :func:`mathlib.losses.mse`.
    regularization : {"none", "l1", "l2"}, default="none"
        Penalty on ``w`` added to the loss (as in training).
    strength : float, default=0.0
        Penalty strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    loss : float or ndarray of the shape of ``w_grid``
        :math:`Loss(w, b)`, ready for ``contour(w_grid, b_grid, loss)``.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If ``x``, ``y`` are not 1-D of the same length, the grids differ
        in shape, a value is not finite, or an option is unknown.

    Notes
    -----
    Introduced in chapter 3, Loss functions (the bowl that gradient descent
    of chapter 4 walks down). With :math:`\\bar{x}, \\bar{y}` the means,
    :math:`s_{xx}` the variance of x, :math:`w^*` the least-squares slope
    and :math:`r` the mean squared residual of the best line,

    .. math:: \\frac{1}{n}\\sum_i (w x_i + b - y_i)^2
              = s_{xx}(w - w^*)^2 + (w\\bar{x} + b - \\bar{y})^2 + r,

    an exact identity that evaluates the whole grid in a few array
    operations (independent of ``n_samples``) and shows the loss is an
    elliptic paraboloid with its minimum :math:`r` at the least-squares
    line. It is multiplied by 1/2 for ``"half"``.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.training import loss_surface
    >>> x = np.array([0.0, 1.0]); y = np.array([1.0, 3.0])
    >>> print(loss_surface(x, y, np.array([2.0, 0.0]), np.array([1.0, 0.0])))
    [0.  2.5]
    """
    x, y = _check_line_data(x, y)
    w_grid = as_float_array("w_grid", w_grid)
    b_grid = as_float_array("b_grid", b_grid)
    check_same_shape("b_grid", b_grid, "w_grid", w_grid)
    check_choice("convention", convention, CONVENTIONS)
    check_choice("regularization", regularization, PENALTY_KINDS)
    strength = check_nonnegative("strength", strength)
    l1, l2 = _penalty_coefficients(regularization, strength)

    x_bar, y_bar, s_uu, w_star, r_var, _ = (
        float(np.ravel(a)[0]) for a in _batch_moments(x[None, :], y[None, :], x.size)
    )
    factor = 0.5 if convention == "half" else 1.0
    e = w_grid * x_bar + b_grid - y_bar
    loss = factor * (s_uu * (w_grid - w_star) ** 2 + e * e + r_var)
    loss = loss + l1 * np.abs(w_grid) + 0.5 * l2 * w_grid**2
    return float(loss) if loss.ndim == 0 else loss


def critical_learning_rate(x, *, convention="half"):
    """Largest learning rate for which full-batch descent on a line converges.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Inputs of the line fit (the targets do not matter).
    convention : {"half", "mean"}, default="half"
        MSE convention of the loss.

    Returns
    -------
    learning_rate : float
        :math:`2 / \\lambda_{max}`, or ``inf`` if the loss is flat.

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If ``x`` is not 1-D, empty or not finite, or ``convention`` is
        unknown.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. The loss of a line is a
    quadratic bowl with constant Hessian (for ``"half"``)

    .. math:: H = \\begin{pmatrix} \\overline{x^2} & \\bar{x} \\\\
              \\bar{x} & 1 \\end{pmatrix},

    and each step multiplies the error along an eigenvector of :math:`H`
    by :math:`1 - \\alpha\\lambda`. The slowest direction sets the speed;
    the steepest, :math:`\\lambda_{max}`, sets the limit: for
    :math:`\\alpha > 2/\\lambda_{max}` the factor exceeds 1 in absolute
    value and the iterates oscillate with growing amplitude. ``"mean"``
    doubles :math:`H` and halves the limit. Without momentum and
    regularization this is exact. For x spread evenly over [-1, 1],
    :math:`\\bar{x} = 0` and :math:`\\overline{x^2} \\approx 1/3`, so the
    intercept's direction (:math:`\\lambda = 1`) is the steepest and the
    limit is 2.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.training import critical_learning_rate
    >>> print(round(critical_learning_rate(np.linspace(-1, 1, 100)), 4))
    2.0
    """
    H = line_loss_hessian(x, convention=convention)
    largest = float(np.linalg.eigvalsh(H)[-1])
    return 2.0 / largest if largest > 0 else math.inf


def line_loss_hessian(x, *, convention="half"):
    """Hessian of the mean squared error of a line with respect to (w, b).

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Inputs of the line fit (the targets do not enter the Hessian).
    convention : {"half", "mean"}, default="half"
        MSE convention of the loss.

    Returns
    -------
    H : ndarray of shape (2, 2)
        Second derivatives, ordered (w, b).

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If ``x`` is not 1-D, empty or not finite, or ``convention`` is
        unknown.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. The loss is quadratic in
    (w, b), so its Hessian is the same everywhere:

    .. math:: H = \\begin{pmatrix} \\overline{x^2} & \\bar{x} \\\\
              \\bar{x} & 1 \\end{pmatrix}

    for the source's 1/(2n) convention, and twice that for ``"mean"``.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.training import line_loss_hessian
    >>> print(line_loss_hessian(np.array([-1.0, 1.0])))
    [[1. 0.]
     [0. 1.]]
    """
    x = as_float_array("x", x, ndim=1)
    check_choice("convention", convention, CONVENTIONS)

    H = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    return 2.0 * H if convention == "mean" else H


# ---------------------------------------------------------------------------
# Neural networks
# ---------------------------------------------------------------------------


@dataclass
class NetworkHistory:
    """What :func:`fit_network` returns.

    Attributes
    ----------
    params : list of dict
        Parameters when training stopped (``{"W", "b"}`` per layer).
    loss : ndarray of shape (epochs_run + 1,)
        Training objective (data loss plus penalty) on the whole training
        set; index 0 before training, index k after epoch k.
    data_loss : ndarray of shape (epochs_run + 1,)
        The data loss alone (compare it with ``val_loss``).
    val_loss : ndarray of shape (epochs_run + 1,) or None
        Data loss on the validation set, if one was given.
    accuracy, val_accuracy : ndarray of shape (epochs_run + 1,) or None
        Fraction of correct labels (classification tasks only).
    weight_norms : ndarray of shape (epochs_run + 1, n_layers)
        Frobenius norm :math:`\\|W_l\\|` of each layer's weights over time.
    diverged : bool
        Whether training was stopped because the loss exploded.
    diverged_epoch : int or None
        The epoch at which it was stopped.
    message : str
        Explanation and advice if diverged, else ``""``.
    epochs_run : int
        Number of epochs actually run.
    activation : str
        Hidden activation (needed to use ``params``).
    task : str
        The task trained for.
    """

    params: list
    loss: np.ndarray
    data_loss: np.ndarray
    val_loss: np.ndarray | None
    accuracy: np.ndarray | None
    val_accuracy: np.ndarray | None
    weight_norms: np.ndarray
    diverged: bool
    diverged_epoch: int | None
    message: str
    epochs_run: int
    activation: str
    task: str

    def predict(self, X):
        """Shortcut for :func:`predict_network` with this history's settings.

        Examples
        --------
        >>> import numpy as np
        >>> from mathlib.training import fit_network
        >>> X = np.array([[-1.0, 0.0], [1.0, 0.0]])
        >>> history = fit_network(X, np.array([0, 1]), epochs=50)
        >>> print(history.predict(X).round(1))
        [0.1 0.9]
        """
        return predict_network(self.params, X, activation=self.activation,
                               task=self.task)


def _tanh_inplace(Z):
    return np.tanh(Z, out=Z)


def _sigmoid_inplace(Z):
    # sigma(z) = (1 + tanh(z / 2)) / 2: no overflow, one transcendental.
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z *= 0.5
    Z += 0.5
    return Z


def _relu_inplace(Z):
    return np.maximum(Z, 0.0, out=Z)


_HIDDEN_KERNELS = {
    "tanh": (_tanh_inplace, lambda A: 1.0 - A * A),
    "sigmoid": (_sigmoid_inplace, lambda A: A * (1.0 - A)),
    "relu": (_relu_inplace, lambda A: A > 0),
    "identity": (None, None),
}
"""name -> (f applied in place to Z, f' computed from A = f(Z)); unchecked."""


def _binary_loss(Z, Y, scale):
    """Mean BCE from logits; with ``scale``, also ``scale * n * dLoss/dZ``."""
    softplus = np.logaddexp(0.0, Z)
    loss = float(np.sum(softplus - Y * Z)) / Z.shape[0]
    if scale is None:
        return loss, None
    G = Z - softplus
    np.exp(G, out=G)  # sigma(z) = exp(z - softplus(z))
    G -= Y
    G *= scale
    return loss, G


def _multiclass_loss(Z, Y, scale):
    """Mean softmax cross-entropy from logits, and optionally its gradient."""
    S = Z - Z.max(axis=1, keepdims=True)
    S -= np.log(np.exp(S).sum(axis=1, keepdims=True))  # log-softmax
    loss = -float(np.vdot(Y, S)) / Z.shape[0]
    if scale is None:
        return loss, None
    np.exp(S, out=S)
    S -= Y
    S *= scale
    return loss, S


def _regression_loss(Z, Y, scale):
    """Half mean squared error, and optionally its gradient."""
    R = Z - Y
    loss = 0.5 * float(np.vdot(R, R)) / Z.shape[0]
    if scale is None:
        return loss, None
    R *= scale
    return loss, R


def _binary_correct(Z, labels):
    return np.count_nonzero((Z[:, 0] > 0) == labels) / Z.shape[0]


def _multiclass_correct(Z, labels):
    return np.count_nonzero(Z.argmax(axis=1) == labels) / Z.shape[0]


_TASK_KERNELS = {
    "binary": (_binary_loss, _binary_correct),
    "multiclass": (_multiclass_loss, _multiclass_correct),
    "regression": (_regression_loss, None),
}
"""task -> (loss(Z, Y, scale) -> (loss, scale * n * grad or None), accuracy)."""


def _check_targets(name, y, task, n_classes=None):
    """Validate targets; return ``(Y, labels, n_outputs)``."""
    if task == "regression":
        y = as_float_array(name, y, ndim=(1, 2))
        Y = y[:, None] if y.ndim == 1 else y
        return Y, None, Y.shape[1]
    y = as_float_array(name, y, ndim=1)
    if np.any(y != np.round(y)) or np.any(y < 0):
        bad = float(y[(y != np.round(y)) | (y < 0)][0])
        raise ValueError(
            f"{name} must hold integer class labels >= 0 for task={task!r}, got "
            f"{bad!r}"
        )
    labels = y.astype(np.intp)
    if task == "binary":
        if labels.max() > 1:
            raise ValueError(
                f"{name} must hold labels 0 and 1 for task='binary', got "
                f"{labels.max()}; use task='multiclass' for more classes"
            )
        return y[:, None], labels, 1
    if n_classes is None:
        n_classes = int(labels.max()) + 1
        if n_classes < 2:
            raise ValueError(
                f"{name} must contain at least 2 classes for task='multiclass', "
                f"got only label 0"
            )
    elif labels.max() >= n_classes:
        raise ValueError(
            f"{name} contains label {labels.max()} but the training labels y "
            f"only have {n_classes} classes (0 .. {n_classes - 1})"
        )
    Y = np.zeros((labels.size, n_classes))
    Y[np.arange(labels.size), labels] = 1.0
    return Y, labels, n_classes


def _check_hidden_units(hidden_units):
    """Return a tuple of ints >= 1 (an int means one hidden layer)."""
    if isinstance(hidden_units, (int, np.integer)) and not isinstance(
        hidden_units, bool
    ):
        hidden_units = (hidden_units,)
    if not isinstance(hidden_units, (list, tuple)):
        raise TypeError(
            "hidden_units must be an int or a tuple of ints such as (8,) or (16, 8), "
            f"got {hidden_units!r}"
        )
    return tuple(
        check_int(f"hidden_units[{i}]", units, minimum=1)
        for i, units in enumerate(hidden_units)
    )


def fit_network(X, y, *, hidden_units=(8,), activation="tanh", task="binary",
                learning_rate=0.1, epochs=200, batch_size=None,
                regularization="none", strength=0.0, momentum=0.0, seed=0,
                X_val=None, y_val=None, init=None, dtype="float64"):
    """Train a multilayer perceptron by (mini-batch) gradient descent.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Training inputs.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets: labels 0/1 for ``"binary"``, integer labels ``0 .. k-1``
        for ``"multiclass"``, real values for ``"regression"`` (2-D for
        several outputs).
    hidden_units : int or tuple of int, default=(8,)
        Units of each hidden layer; ``()`` gives no hidden layer (logistic
        or linear regression).
    activation : {"tanh", "sigmoid", "relu", "identity"}, default="tanh"
        Activation of the hidden layers.
    task : {"binary", "multiclass", "regression"}, default="binary"
        ``"binary"``: one output logit :math:`z`, probability
        :math:`\\sigma(z)`, binary cross-entropy from logits.
        ``"multiclass"``: one logit per class, softmax cross-entropy.
        ``"regression"``: identity output and the half MSE.
    learning_rate : float, default=0.1
        Step size :math:`\\alpha > 0`.
    epochs : int, default=200
        Passes over the training data (>= 0).
    batch_size : int or None, default=None
        ``None`` for full-batch descent, else shuffled mini-batches (the
        last holds the remainder), as :func:`mathlib.optim.minibatch_indices`.
    regularization : {"none", "l1", "l2"}, default="none"
        Penalty on the weights ``W`` (not the biases).
    strength : float, default=0.0
        Penalty strength :math:`\\lambda \\ge 0`; ignored when
        ``regularization="none"``.
    momentum : float, default=0.0
        Momentum :math:`\\mu` in [0, 1).
    seed : int, default=0
        Seed (>= 0) of the initial weights (``init_params(..., seed=seed)``)
        and of the shuffling (``numpy.random.default_rng([seed, 1])``).
    X_val, y_val : ndarray, optional
        Validation data, given together; evaluated once per epoch.
    init : {"glorot_uniform", "he_uniform", "zeros"} or None, default=None
        Weight initialisation; ``None`` picks He for ReLU and Glorot
        otherwise.
    dtype : {"float64", "float32"}, default="float64"
        Precision of the training loop. ``"float32"`` (what Keras uses)
        is several times faster for tanh and sigmoid networks, because
        numpy vectorises those functions only in single precision; losses
        then carry about 7 significant digits. Returned parameters and
        curves are float64 either way.

    Returns
    -------
    history : NetworkHistory
        Final parameters and per-epoch curves; see :class:`NetworkHistory`.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If an array has the wrong shape, NaN or infinite values, ``X`` and
        ``y`` have different numbers of samples, labels do not fit the
        task, only one of ``X_val`` and ``y_val`` is given, or a
        hyperparameter is out of range or unknown.

    Warns
    -----
    TrainingDivergedWarning
        If the loss explodes; training stops and the history says when.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. Each step runs
    :func:`mathlib.network.forward`, the loss of the task, and
    :func:`mathlib.network.backward`, then updates every parameter

    .. math:: W_l \\leftarrow W_l - \\alpha\\left(\\frac{\\partial Loss}
              {\\partial W_l} + R'(W_l)\\right), \\qquad
              b_l \\leftarrow b_l - \\alpha\\frac{\\partial Loss}{\\partial b_l},

    with :math:`R'(W) = \\lambda\\,\\mathrm{sign}(W)` for L1 and
    :math:`\\lambda W` for L2. The output layer is linear and the loss is
    computed from the logits (:func:`mathlib.losses.binary_cross_entropy_with_logits`,
    :func:`mathlib.losses.categorical_cross_entropy_with_logits`), so it
    stays finite however confident the network gets. The loop uses
    unchecked copies of these formulas (tested against them) and evaluates
    the full training set (and validation set) once per epoch. A network
    of 16 tanh units on 200 samples trains 300 full-batch epochs in 40-70
    ms of CPU time on the book's busy 2-core build machine, about a third
    less with ``dtype="float32"`` (``bench/seed_example.py`` measures it).

    Examples
    --------
    >>> from mathlib.data import make_moons
    >>> from mathlib.training import fit_network
    >>> X, y = make_moons(200, noise=0.1, seed=0)
    >>> history = fit_network(X, y, hidden_units=(16,), learning_rate=1.0,
    ...                       epochs=300)
    >>> bool(history.accuracy[-1] > 0.95), bool(history.loss[-1] < history.loss[0])
    (True, True)
    """
    X = as_float_array("X", X, ndim=2)
    check_choice("task", task, TASKS)
    Y, labels, n_outputs = _check_targets("y", y, task)
    check_same_length("X", X, "y", y)
    hidden_units = _check_hidden_units(hidden_units)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    learning_rate, epochs, batch_size, strength, momentum, seed = _check_common(
        learning_rate, epochs, batch_size, regularization, strength, momentum, seed
    )
    if init is None:
        init = "he_uniform" if activation == "relu" else "glorot_uniform"
    check_choice("dtype", dtype, ("float64", "float32"))
    if (X_val is None) != (y_val is None):
        raise ValueError(
            "X_val and y_val must be given together, got "
            f"X_val={'None' if X_val is None else 'an array'} and "
            f"y_val={'None' if y_val is None else 'an array'}"
        )
    if X_val is not None:
        X_val = as_float_array("X_val", X_val, ndim=2)
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_val has {X_val.shape[1]} features (shape {X_val.shape}) but X "
                f"has {X.shape[1]} (shape {X.shape})"
            )
        Y_val, labels_val, _ = _check_targets(
            "y_val", y_val, task, n_classes=n_outputs if task == "multiclass" else None
        )
        check_same_length("X_val", X_val, "y_val", y_val)
        if Y_val.shape[1] != n_outputs:
            raise ValueError(
                f"y_val has {Y_val.shape[1]} outputs but y has {n_outputs}"
            )
    params = init_params((X.shape[1], *hidden_units, n_outputs), init=init, seed=seed)
    l1, l2 = _penalty_coefficients(regularization, strength)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        run = _train_network(
            params, X, Y, labels, task=task, activation=activation,
            learning_rate=learning_rate, epochs=epochs, batch_size=batch_size,
            l1=l1, l2=l2, momentum=momentum,
            rng=np.random.default_rng([seed, 1]), dtype=dtype,
            validation=None if X_val is None else (X_val, Y_val, labels_val),
        )

    message = _report_divergence(run, learning_rate, momentum)
    return NetworkHistory(
        params=run["params"],
        loss=run["loss"],
        data_loss=run["data_loss"],
        val_loss=run["val_loss"],
        accuracy=run["accuracy"],
        val_accuracy=run["val_accuracy"],
        weight_norms=run["weight_norms"],
        diverged=run["diverged_epoch"] is not None,
        diverged_epoch=run["diverged_epoch"],
        message=message,
        epochs_run=len(run["loss"]) - 1,
        activation=activation,
        task=task,
    )


def _train_network(params, X, Y, labels, *, task, activation, learning_rate, epochs,
                   batch_size, l1, l2, momentum, rng, validation, dtype):
    """The unchecked training loop of :func:`fit_network` (see there).

    The learning rate is folded into the output gradient (``scale =
    learning_rate / n``), so backpropagation directly yields the steps
    ``learning_rate * dW`` and ``learning_rate * db``; biases' sums over
    samples are products with a vector of ones (faster than ``sum``).
    """
    Ws = [np.array(p["W"], dtype=dtype) for p in params]
    bs = [np.array(p["b"], dtype=dtype) for p in params]
    X, Y = X.astype(dtype), Y.astype(dtype)
    n_layers, n_samples = len(Ws), X.shape[0]
    act, act_grad = _HIDDEN_KERNELS[activation]
    loss_fn, correct_fn = _TASK_KERNELS[task]
    full_batch = batch_size is None or batch_size >= n_samples
    if validation:
        X_val, Y_val, labels_val = validation
        X_val, Y_val = X_val.astype(dtype), Y_val.astype(dtype)
    v_Ws = [np.zeros_like(W) for W in Ws]
    v_bs = [np.zeros_like(b) for b in bs]
    lr_l1, lr_l2 = learning_rate * l1, learning_rate * l2
    ones = {}

    def forward_pass(A):
        As = [A]
        for layer in range(n_layers):
            Z = A @ Ws[layer].T
            Z += bs[layer]
            if act is not None and layer < n_layers - 1:
                Z = act(Z)
            As.append(Z)
            A = Z
        return As

    def descend(As, step_Z):
        # step_Z = learning_rate * dLoss/dZ of the output layer.
        rows = step_Z.shape[0]
        if rows not in ones:
            ones[rows] = np.ones(rows, dtype=dtype)
        for layer in range(n_layers - 1, -1, -1):
            W, A_prev = Ws[layer], As[layer]
            step_W = step_Z.T @ A_prev
            step_b = ones[rows] @ step_Z
            if layer > 0:
                step_A = step_Z @ W
                if act_grad is not None:
                    step_A *= act_grad(A_prev)
            if lr_l1:
                step_W += lr_l1 * np.sign(W)
            if lr_l2:
                step_W += lr_l2 * W
            if momentum:
                v_W, v_b = v_Ws[layer], v_bs[layer]
                v_W *= momentum
                v_W -= step_W
                v_b *= momentum
                v_b -= step_b
                W += v_W
                bs[layer] += v_b
            else:
                W -= step_W
                bs[layer] -= step_b
            if layer > 0:
                step_Z = step_A

    data_loss = np.empty(epochs + 1)
    loss = np.empty(epochs + 1)
    norms = np.empty((epochs + 1, n_layers))
    accuracy = np.empty(epochs + 1) if correct_fn else None
    val_loss = np.empty(epochs + 1) if validation else None
    val_accuracy = np.empty(epochs + 1) if validation and correct_fn else None
    diverged_epoch, limit = None, None
    scale = learning_rate / n_samples

    As = forward_pass(X)
    for epoch in range(epochs + 1):
        # Record the state reached after `epoch` epochs.
        want_step = full_batch and epoch < epochs
        data, step_Z = loss_fn(As[-1], Y, scale if want_step else None)
        squares = [float(np.vdot(W, W)) for W in Ws]
        penalty = 0.0
        if l1:
            penalty = l1 * sum(float(np.abs(W).sum()) for W in Ws)
        if l2:
            penalty += 0.5 * l2 * sum(squares)
        data_loss[epoch], loss[epoch] = data, data + penalty
        norms[epoch] = squares
        if correct_fn:
            accuracy[epoch] = correct_fn(As[-1], labels)
        if validation:
            Z_val = forward_pass(X_val)[-1]
            val_loss[epoch] = loss_fn(Z_val, Y_val, None)[0]
            if correct_fn:
                val_accuracy[epoch] = correct_fn(Z_val, labels_val)

        if epoch == 0:
            limit = _divergence_limit(loss[0])
        elif not (loss[epoch] <= limit and math.isfinite(sum(squares))):
            diverged_epoch = epoch
            break
        if epoch == epochs:
            break

        # One epoch of updates.
        if full_batch:
            descend(As, step_Z)
        else:
            order = rng.permutation(n_samples)
            for start in range(0, n_samples, batch_size):
                idx = order[start : start + batch_size]
                A_batch = forward_pass(X[idx])
                step = learning_rate / idx.size
                descend(A_batch, loss_fn(A_batch[-1], Y[idx], step)[1])
        As = forward_pass(X)

    stop = epochs + 1 if diverged_epoch is None else diverged_epoch + 1

    def cut(array):
        return None if array is None else array[:stop].copy()

    return {
        "params": [
            {"W": W.astype(np.float64), "b": b.astype(np.float64)}
            for W, b in zip(Ws, bs)
        ],
        "loss": cut(loss),
        "data_loss": cut(data_loss),
        "val_loss": cut(val_loss),
        "accuracy": cut(accuracy),
        "val_accuracy": cut(val_accuracy),
        "weight_norms": np.sqrt(cut(norms)),
        "diverged_epoch": diverged_epoch,
    }


def predict_network(params, X, *, activation="tanh", task="binary"):
    """Predictions of a network trained by :func:`fit_network`.

    Parameters
    ----------
    params : list of dict
        Network parameters (e.g. ``history.params``).
    X : ndarray of shape (n_samples, n_features)
        Inputs.
    activation : {"tanh", "sigmoid", "relu", "identity"}, default="tanh"
        Hidden activation used in training.
    task : {"binary", "multiclass", "regression"}, default="binary"
        The task trained for.

    Returns
    -------
    y_hat : ndarray
        ``"binary"``: probabilities of class 1, shape (n_samples,).
        ``"multiclass"``: class probabilities, shape (n_samples, n_classes).
        ``"regression"``: values, shape (n_samples,) for one output, else
        (n_samples, n_outputs).

    Raises
    ------
    TypeError
        If ``params`` is malformed or an array is not numeric.
    ValueError
        If shapes do not fit, values are not finite, an option is unknown,
        or ``task="binary"`` is asked of a network with several outputs.

    Notes
    -----
    Introduced in chapter 2, Forward pass: the logits :math:`z` of
    :func:`mathlib.network.forward` become :math:`\\sigma(z)` (binary),
    :math:`\\operatorname{softmax}(z)` (multiclass) or stay as they are
    (regression). The predicted label is ``p > 0.5``, respectively
    ``argmax``.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.training import predict_network
    >>> params = [{"W": np.array([[1.0, -1.0]]), "b": np.array([0.0])}]
    >>> print(predict_network(params, np.array([[2.0, 2.0]])))
    [0.5]
    """
    check_choice("task", task, TASKS)
    Z, _ = forward(params, X, activation=activation, output_activation="identity")
    if task == "binary":
        if Z.shape[1] != 1:
            raise ValueError(
                f"task='binary' needs a network with 1 output, got {Z.shape[1]} "
                "outputs; use task='multiclass'"
            )
        return sigmoid(Z[:, 0])
    if task == "multiclass":
        return softmax(Z, axis=1)
    return Z[:, 0] if Z.shape[1] == 1 else Z
