"""The source text's Keras example, redone exactly in numpy (chapter 5).

The source trains ``tf.keras.Sequential([Dense(1, input_shape=(1,))])`` with
``compile(optimizer="sgd", loss="mse")`` and ``fit(x, y, epochs=1000)`` on
100 points of the line ``y = 2x + 1``. Spelled out, that call means:

* one weight ``w`` (the kernel) drawn from Glorot's uniform distribution
  with ``fan_in = fan_out = 1``, i.e. :math:`U(-\\sqrt{3}, \\sqrt{3})`, and a
  bias ``b = 0``;
* ``batch_size=32``: each epoch shuffles the 100 samples and takes four
  steps, on batches of 32, 32, 32 and 4 samples;
* plain stochastic gradient descent with learning rate 0.01 and no
  momentum;
* Keras's ``"mse"``, :math:`\\frac{1}{m}\\sum (\\hat{y}_i - y_i)^2` over a
  batch of :math:`m` samples, *without* the source text's 1/2.

:func:`fit_like_keras` performs exactly those 4000 updates. Keras needs
about a minute for them (measured in ``bench/seed_example.py``); this
takes some 10-20 milliseconds, because each step of a one-weight model
only needs five moments of its batch.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_int,
    check_positive,
    check_same_length,
)
from mathlib.training import (
    TrainingDivergedWarning,
    _divergence_message,
    _fit_line,
)


@dataclass
class KerasLikeResult:
    """What :func:`fit_like_keras` returns.

    Attributes
    ----------
    w, b : float
        Final kernel and bias.
    w0, b0 : float
        Initial kernel (Glorot-uniform draw) and bias (0).
    loss : ndarray of shape (epochs_run,)
        Keras's ``history.history["loss"]``: for each epoch, the MSE of
        every batch just before its update, averaged over the epoch with
        the batch sizes as weights.
    loss_after_epoch : ndarray of shape (epochs_run + 1,)
        MSE (Keras convention) of the whole data set at the initial
        parameters (index 0) and after each epoch.
    w_path, b_path : ndarray of shape (epochs_run + 1,)
        Parameters at the start and after each epoch.
    diverged : bool
        Whether training was stopped because the loss exploded.
    diverged_epoch : int or None
        The epoch at which it was stopped.
    message : str
        Explanation and advice if diverged, else ``""``.
    steps_per_epoch : int
        Updates per epoch, ``ceil(n_samples / batch_size)``.
    """

    w: float
    b: float
    w0: float
    b0: float
    loss: np.ndarray
    loss_after_epoch: np.ndarray
    w_path: np.ndarray
    b_path: np.ndarray
    diverged: bool
    diverged_epoch: int | None
    message: str
    steps_per_epoch: int


def _check_x(x):
    """Accept x of shape (n_samples,) or Keras's (n_samples, 1); return 1-D."""
    x = as_float_array("x", x, ndim=(1, 2))
    if x.ndim == 2:
        if x.shape[1] != 1:
            raise ValueError(
                f"x must have shape (n_samples,) or (n_samples, 1) for a Dense(1) "
                f"layer with input_shape=(1,), got shape {x.shape}"
            )
        x = x[:, 0]
    return x


def fit_like_keras(x, y, *, epochs=1000, batch_size=32, learning_rate=0.01, seed=0):
    """Reproduce ``model.fit`` of the source's one-neuron Keras model.

    Parameters
    ----------
    x : ndarray of shape (n_samples,) or (n_samples, 1)
        Inputs (the source passes ``x.reshape(-1, 1)``; both are accepted).
    y : ndarray of shape (n_samples,)
        Targets.
    epochs : int, default=1000
        Passes over the data (>= 0), Keras's ``epochs``.
    batch_size : int, default=32
        Keras's default ``batch_size`` (>= 1).
    learning_rate : float, default=0.01
        Keras's default for ``optimizer="sgd"`` (> 0).
    seed : int, default=0
        Seed (>= 0) of the initial weight and of the shuffling.

    Returns
    -------
    result : KerasLikeResult
        Final and initial parameters and the loss per epoch.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``x`` or ``y`` has a wrong shape, NaN or infinity, their lengths
        differ, or a hyperparameter is out of range.

    Warns
    -----
    mathlib.training.TrainingDivergedWarning
        If the loss explodes (e.g. a learning rate of 1); training stops.

    Notes
    -----
    Introduced in chapter 5, Code example. With
    :math:`\\hat{y}_i = w x_i + b`, every batch :math:`\\mathcal{B}` of
    :math:`m` samples gives one step of

    .. math:: Loss_{\\mathcal{B}} = \\frac{1}{m}\\sum_{i\\in\\mathcal{B}}
              (\\hat{y}_i - y_i)^2, \\qquad
              w \\leftarrow w - \\alpha\\frac{2}{m}\\sum_{i\\in\\mathcal{B}}
              (\\hat{y}_i - y_i)\\,x_i, \\qquad
              b \\leftarrow b - \\alpha\\frac{2}{m}\\sum_{i\\in\\mathcal{B}}
              (\\hat{y}_i - y_i).

    Randomness, in this order, from
    ``rng = numpy.random.default_rng(seed)``: ``w0 = rng.uniform(-sqrt(3),
    sqrt(3))``, then the order of epoch ``k`` is the ``k``-th
    ``rng.permutation(n_samples)``, cut into consecutive batches (the
    orders are drawn many epochs at a time with ``rng.permuted`` on a
    tiled index array, which yields the same numbers). Keras draws its own
    random numbers, so its run is a different sample of the same
    procedure; and Keras computes in float32, which is why it stops at
    w = 1.99999 where this float64 version reaches 2 to about 12 digits.

    The loop runs on Python floats: with the batch means
    :math:`\\bar{x}, \\bar{y}`, the variance :math:`s` of x in the batch and
    its least-squares slope :math:`w^*`, the sums above equal
    :math:`2\\,(s\\,(w - w^*) + \\bar{x} e)` and :math:`2e` with
    :math:`e = w\\bar{x} + b - \\bar{y}`, all precomputed for every batch of
    every epoch in a few array operations.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.keras_equivalent import fit_like_keras
    >>> x = np.linspace(-1, 1, 100)
    >>> result = fit_like_keras(x.reshape(-1, 1), 2 * x + 1)
    >>> print(f"w = {result.w:.5f}, b = {result.b:.5f}")
    w = 2.00000, b = 1.00000
    >>> result.loss.shape, result.steps_per_epoch
    ((1000,), 4)
    """
    x = _check_x(x)
    y = as_float_array("y", y, ndim=1)
    check_same_length("x", x, "y", y)
    epochs = check_int("epochs", epochs, minimum=0)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    learning_rate = check_positive("learning_rate", learning_rate)
    seed = check_int("seed", seed, minimum=0)

    rng = np.random.default_rng(seed)
    limit = math.sqrt(6.0 / (1 + 1))
    w0, b0 = float(rng.uniform(-limit, limit)), 0.0

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        run = _fit_line(
            x, y, learning_rate=learning_rate, epochs=epochs,
            batch_size=batch_size if batch_size < x.size else None, rng=rng,
            loss_factor=1.0, l1=0.0, l2=0.0, momentum=0.0, w0=w0, b0=b0,
        )

    epoch = run["diverged_epoch"]
    message = ""
    if epoch is not None:
        message = _divergence_message(
            epoch, run["loss"][0], run["loss"][-1], learning_rate, 0.0
        )
        warnings.warn(message, TrainingDivergedWarning, stacklevel=2)
    return KerasLikeResult(
        w=float(run["w_path"][-1]),
        b=float(run["b_path"][-1]),
        w0=w0,
        b0=b0,
        loss=run["running_loss"],
        loss_after_epoch=run["loss"],
        w_path=run["w_path"],
        b_path=run["b_path"],
        diverged=epoch is not None,
        diverged_epoch=epoch,
        message=message,
        steps_per_epoch=run["steps_per_epoch"],
    )
