"""Loss functions and their gradients (chapter 3, Loss functions).

Every loss is a mean over the samples (the first axis, ``n_samples``);
for 2-D targets of shape (n_samples, n_outputs) the per-sample terms are
summed over the outputs first, so ``n`` in every formula is always the
number of samples. Every ``*_grad`` returns the derivative of the loss with
respect to its second argument (the prediction, probability or logit),
already including the ``1/n``, with the shape of that argument.

``y_true`` and the prediction must have exactly the same shape: a
prediction of shape (n, 1) against targets of shape (n,) is refused instead
of being broadcast to an (n, n) matrix.
"""

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_array_in_range,
    check_choice,
    check_int,
    check_positive,
    check_same_shape,
)
from mathlib.activations import log_softmax, sigmoid, softmax

MSE_CONVENTIONS = ("half", "mean")
"""tuple of str: the accepted values of ``convention`` in :func:`mse`."""


def _check_pair(name_true, y_true, name_pred, y_pred, *, ndim=(1, 2)):
    """Validate a (targets, predictions) pair; return both as float arrays."""
    y_true = as_float_array(name_true, y_true, ndim=ndim)
    y_pred = as_float_array(name_pred, y_pred, ndim=ndim)
    check_same_shape(name_pred, y_pred, name_true, y_true)
    return y_true, y_pred


def mse(y_true, y_pred, *, convention="half"):
    """Mean squared error between targets and predictions.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    y_pred : ndarray of the same shape as ``y_true``
        Predictions (``y_hat``).
    convention : {"half", "mean"}, default="half"
        ``"half"`` is the source text's loss with the factor 1/2, whose
        gradient has no factor 2; ``"mean"`` drops the 1/2, as Keras's
        ``loss="mse"`` does.

    Returns
    -------
    loss : float
        Non-negative loss value.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``convention`` is unknown.

    Notes
    -----
    Introduced in chapter 3, Loss functions. The source text writes

    .. math:: L_{\\text{half}} = \\frac{1}{2n}\\sum_{i=1}^{n}
              (y_i - \\hat{y}_i)^2, \\qquad
              L_{\\text{mean}} = \\frac{1}{n}\\sum_{i=1}^{n}
              (y_i - \\hat{y}_i)^2 = 2 L_{\\text{half}}.

    Both have the same minimiser; the 1/2 only rescales the gradient, so
    the same learning rate takes steps twice as long under ``"mean"``.

    For 2-D targets, ``n`` is still the number of samples and the squared
    errors are summed over the ``n_outputs`` columns:
    :math:`\\frac{1}{2n}\\sum_i \\sum_k (y_{ik} - \\hat{y}_{ik})^2`. With a
    single output, shape (n, 1), ``"mean"`` equals Keras's MSE exactly;
    with ``n_outputs > 1`` Keras also divides by ``n_outputs``, this
    function does not.

    Examples
    --------
    >>> from mathlib.losses import mse
    >>> print(mse([1.0, 2.0], [1.0, 4.0]))
    1.0
    >>> print(mse([1.0, 2.0], [1.0, 4.0], convention="mean"))
    2.0
    """
    check_choice("convention", convention, MSE_CONVENTIONS)
    y_true, y_pred = _check_pair("y_true", y_true, "y_pred", y_pred)

    n_samples = y_true.shape[0]
    squared = np.sum((y_true - y_pred) ** 2)
    factor = 0.5 if convention == "half" else 1.0
    return float(factor * squared / n_samples)


def mse_grad(y_true, y_pred, *, convention="half"):
    """Gradient of :func:`mse` with respect to ``y_pred``.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    y_pred : ndarray of the same shape as ``y_true``
        Predictions (``y_hat``).
    convention : {"half", "mean"}, default="half"
        Same meaning as in :func:`mse`.

    Returns
    -------
    d_y_pred : ndarray of the same shape as ``y_pred``
        :math:`\\partial L / \\partial \\hat{y}`.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``convention`` is unknown.

    Notes
    -----
    Introduced in chapter 3, Loss functions (used by gradient descent in
    chapter 4):

    .. math:: \\frac{\\partial L_{\\text{half}}}{\\partial \\hat{y}_i}
              = \\frac{\\hat{y}_i - y_i}{n}, \\qquad
              \\frac{\\partial L_{\\text{mean}}}{\\partial \\hat{y}_i}
              = \\frac{2(\\hat{y}_i - y_i)}{n}

    Examples
    --------
    >>> from mathlib.losses import mse_grad
    >>> print(mse_grad([1.0, 2.0], [1.0, 4.0]))
    [0. 1.]
    """
    check_choice("convention", convention, MSE_CONVENTIONS)
    y_true, y_pred = _check_pair("y_true", y_true, "y_pred", y_pred)

    n_samples = y_true.shape[0]
    factor = 1.0 if convention == "half" else 2.0
    return factor * (y_pred - y_true) / n_samples


def _check_labels(y_true):
    """Check that binary targets lie in [0, 1] (hard or soft labels)."""
    check_array_in_range("y_true", y_true, 0, 1)


def binary_cross_entropy(y_true, p):
    """Binary cross-entropy (log-loss) from predicted probabilities.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets in [0, 1]: class labels 0/1 or soft labels.
    p : ndarray of the same shape as ``y_true``
        Predicted probabilities of class 1, in [0, 1].

    Returns
    -------
    loss : float
        Non-negative, finite even when ``p`` is exactly 0 or 1.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, ``y_true`` leaves [0, 1] or ``p`` leaves [0, 1].

    Notes
    -----
    Introduced in chapter 3, Loss functions:

    .. math:: L = -\\frac{1}{n}\\sum_{i=1}^{n}\\left[y_i \\log p_i
              + (1 - y_i)\\log(1 - p_i)\\right]

    ``log(0)`` is ``-inf``, so ``p`` is first clipped to
    :math:`[\\varepsilon, 1 - \\varepsilon]` with :math:`\\varepsilon` the
    machine epsilon of ``p``'s dtype (about 2.2e-16 in float64). A
    confident wrong prediction therefore costs at most
    :math:`-\\log \\varepsilon \\approx 36` per sample instead of infinity.
    Prefer :func:`binary_cross_entropy_with_logits` when the logit is
    available: it needs no clipping. For 2-D inputs the terms are summed
    over the outputs and divided by ``n_samples``.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.losses import binary_cross_entropy
    >>> print(round(binary_cross_entropy([1, 0], [0.5, 0.5]), 6))
    0.693147
    >>> print(binary_cross_entropy([1.0], [0.0]) > 30)
    True
    """
    y_true, p = _check_pair("y_true", y_true, "p", p)
    _check_labels(y_true)
    check_array_in_range("p", p, 0, 1)

    # Clip so that log never sees 0: the loss stays finite at p in {0, 1}.
    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    terms = y_true * np.log(p) + (1 - y_true) * np.log1p(-p)
    return float(-np.sum(terms) / y_true.shape[0])


def binary_cross_entropy_grad(y_true, p):
    """Gradient of :func:`binary_cross_entropy` with respect to ``p``.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets in [0, 1].
    p : ndarray of the same shape as ``y_true``
        Predicted probabilities, in [0, 1].

    Returns
    -------
    d_p : ndarray of the same shape as ``p``
        :math:`\\partial L / \\partial p`, finite for every ``p`` in [0, 1].

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, ``y_true`` leaves [0, 1] or ``p`` leaves [0, 1].

    Notes
    -----
    Introduced in chapter 3, Loss functions:

    .. math:: \\frac{\\partial L}{\\partial p_i}
              = \\frac{1}{n}\\,\\frac{p_i - y_i}{p_i (1 - p_i)}

    evaluated at ``p`` clipped to :math:`[\\varepsilon, 1 - \\varepsilon]`
    as in the loss, so it is large but finite at 0 and 1. (Strictly, the
    clipped loss is flat outside that interval; we return the formula's
    value, which points the right way.) Chained with the sigmoid's
    derivative :math:`p(1-p)` it gives the simpler
    :func:`binary_cross_entropy_with_logits_grad`.

    Examples
    --------
    >>> from mathlib.losses import binary_cross_entropy_grad
    >>> print(binary_cross_entropy_grad([1.0, 0.0], [0.5, 0.5]))
    [-1.  1.]
    """
    y_true, p = _check_pair("y_true", y_true, "p", p)
    _check_labels(y_true)
    check_array_in_range("p", p, 0, 1)

    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    return (p - y_true) / (p * (1 - p)) / y_true.shape[0]


def binary_cross_entropy_with_logits(y_true, z):
    """Binary cross-entropy computed from the logit ``z``, with no clipping.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets in [0, 1].
    z : ndarray of the same shape as ``y_true``
        Logits, so that the predicted probability is ``sigmoid(z)``.

    Returns
    -------
    loss : float
        Non-negative loss, finite and warning-free for any finite ``z``.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``y_true`` leaves [0, 1].

    Notes
    -----
    Introduced in chapter 3, Loss functions. With :math:`p = \\sigma(z)`,
    the log-loss simplifies to the log-sum-exp form

    .. math:: L = \\frac{1}{n}\\sum_{i=1}^{n}\\left[\\max(z_i, 0)
              - z_i y_i + \\log\\left(1 + e^{-|z_i|}\\right)\\right]

    which never exponentiates a positive number and never takes ``log(0)``,
    so it is exact where the probability form must clip (e.g. ``z = 1e4``).

    Examples
    --------
    >>> from mathlib.losses import binary_cross_entropy_with_logits
    >>> print(round(binary_cross_entropy_with_logits([1.0], [0.0]), 6))
    0.693147
    >>> print(binary_cross_entropy_with_logits([0.0], [1e4]))
    10000.0
    """
    y_true, z = _check_pair("y_true", y_true, "z", z)
    _check_labels(y_true)

    with np.errstate(under="ignore"):
        softplus_tail = np.log1p(np.exp(-np.abs(z)))
    terms = np.maximum(z, 0) - z * y_true + softplus_tail
    return float(np.sum(terms) / y_true.shape[0])


def binary_cross_entropy_with_logits_grad(y_true, z):
    """Gradient of :func:`binary_cross_entropy_with_logits` w.r.t. ``z``.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets in [0, 1].
    z : ndarray of the same shape as ``y_true``
        Logits.

    Returns
    -------
    d_z : ndarray of the same shape as ``z``
        :math:`\\partial L / \\partial z`, each entry in [-1/n, 1/n].

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``y_true`` leaves [0, 1].

    Notes
    -----
    Introduced in chapter 3, Loss functions:

    .. math:: \\frac{\\partial L}{\\partial z_i} = \\frac{\\sigma(z_i) - y_i}{n}

    the prediction error itself: the sigmoid's slope cancels against the
    log-loss, which is why a sigmoid output is paired with this loss.

    Examples
    --------
    >>> from mathlib.losses import binary_cross_entropy_with_logits_grad
    >>> print(binary_cross_entropy_with_logits_grad([1.0, 0.0], [0.0, 0.0]))
    [-0.25  0.25]
    """
    y_true, z = _check_pair("y_true", y_true, "z", z)
    _check_labels(y_true)
    return (sigmoid(z) - y_true) / y_true.shape[0]


def _check_one_hot_rows(y_true):
    """Check that each row of ``y_true`` is a probability vector (sums to 1)."""
    check_array_in_range("y_true", y_true, 0, 1)
    row_sums = np.sum(y_true, axis=1)
    bad = np.flatnonzero(np.abs(row_sums - 1) > 1e-6)
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"y_true rows must sum to 1 (one-hot labels, see one_hot), got "
            f"{bad.size} row(s) that do not, e.g. row {row} sums to "
            f"{float(row_sums[row])!r}"
        )


def categorical_cross_entropy_with_logits(y_true, Z):
    """Multiclass cross-entropy from logits ``Z`` and one-hot targets.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, n_classes)
        One-hot targets (or probability rows): entries in [0, 1], each row
        summing to 1. Build them from integer labels with :func:`one_hot`.
    Z : ndarray of shape (n_samples, n_classes)
        Logits; the predicted probabilities are ``softmax(Z, axis=1)``.

    Returns
    -------
    loss : float
        Non-negative loss, finite for any finite ``Z``.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 2-D,
        ``y_true`` leaves [0, 1] or a row of ``y_true`` does not sum to 1.

    Notes
    -----
    Introduced in chapter 3, Loss functions:

    .. math:: L = -\\frac{1}{n}\\sum_{i=1}^{n}\\sum_{k=1}^{K}
              Y_{ik} \\log \\operatorname{softmax}(Z_i)_k

    computed with :func:`mathlib.activations.log_softmax`, which subtracts
    each row's maximum, so no exponential overflows and no ``log(0)``
    occurs. With two classes it equals the binary cross-entropy of the
    logit difference :math:`Z_{i1} - Z_{i0}`.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.losses import categorical_cross_entropy_with_logits
    >>> Y = np.array([[1.0, 0.0, 0.0]])
    >>> print(round(categorical_cross_entropy_with_logits(Y, np.zeros((1, 3))), 6))
    1.098612
    """
    y_true, Z = _check_pair("y_true", y_true, "Z", Z, ndim=2)
    _check_one_hot_rows(y_true)
    return float(-np.sum(y_true * log_softmax(Z, axis=1)) / y_true.shape[0])


def categorical_cross_entropy_with_logits_grad(y_true, Z):
    """Gradient of :func:`categorical_cross_entropy_with_logits` w.r.t. ``Z``.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, n_classes)
        One-hot targets (rows in [0, 1] summing to 1).
    Z : ndarray of shape (n_samples, n_classes)
        Logits.

    Returns
    -------
    d_Z : ndarray of shape (n_samples, n_classes)
        :math:`\\partial L / \\partial Z`; each row sums to 0.

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, an array is empty, not finite or not 2-D,
        ``y_true`` leaves [0, 1] or a row of ``y_true`` does not sum to 1.

    Notes
    -----
    Introduced in chapter 3, Loss functions:

    .. math:: \\frac{\\partial L}{\\partial Z_{ik}}
              = \\frac{\\operatorname{softmax}(Z_i)_k - Y_{ik}}{n}

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.losses import categorical_cross_entropy_with_logits_grad
    >>> Y = np.array([[0.0, 1.0]])
    >>> print(categorical_cross_entropy_with_logits_grad(Y, np.zeros((1, 2))))
    [[ 0.5 -0.5]]
    """
    y_true, Z = _check_pair("y_true", y_true, "Z", Z, ndim=2)
    _check_one_hot_rows(y_true)
    return (softmax(Z, axis=1) - y_true) / y_true.shape[0]


def one_hot(labels, n_classes=None):
    """Encode integer class labels as one-hot rows.

    Parameters
    ----------
    labels : ndarray of shape (n_samples,)
        Integer labels in ``{0, ..., n_classes - 1}``. Floats are accepted
        only when they are whole numbers (e.g. ``1.0``).
    n_classes : int, optional
        Number of classes; defaults to ``max(labels) + 1``.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_classes)
        float64, ``Y[i, labels[i]] = 1`` and 0 elsewhere.

    Raises
    ------
    TypeError
        If ``labels`` is not numeric or ``n_classes`` is not an integer.
    ValueError
        If ``labels`` is empty, not 1-D, not whole numbers, negative, or
        not below ``n_classes``; or ``n_classes < 1``.

    Notes
    -----
    Introduced in chapter 3, Loss functions, to feed
    :func:`categorical_cross_entropy_with_logits`:

    .. math:: Y_{ik} = [\\, y_i = k \\,]

    Examples
    --------
    >>> from mathlib.losses import one_hot
    >>> print(one_hot([0, 2, 1], 3))
    [[1. 0. 0.]
     [0. 0. 1.]
     [0. 1. 0.]]
    """
    values = as_float_array("labels", labels, ndim=1)
    if np.any(values != np.round(values)):
        bad = float(values[values != np.round(values)][0])
        raise ValueError(f"labels must be whole numbers, got {bad!r}")
    if np.any(values < 0):
        raise ValueError(f"labels must be >= 0, got {float(values.min())!r}")
    if n_classes is None:
        n_classes = int(values.max()) + 1
    n_classes = check_int("n_classes", n_classes, minimum=1)
    if values.max() >= n_classes:
        raise ValueError(
            f"labels must be < n_classes = {n_classes}, got {int(values.max())}"
        )

    Y = np.zeros((values.shape[0], n_classes))
    Y[np.arange(values.shape[0]), values.astype(np.intp)] = 1.0
    return Y


def huber(y_true, y_pred, *, delta=1.0):
    """Huber loss: squared error for small residuals, linear for large ones.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    y_pred : ndarray of the same shape as ``y_true``
        Predictions (``y_hat``).
    delta : float, default=1.0
        Residual size (> 0) where the loss switches from quadratic to
        linear.

    Returns
    -------
    loss : float
        Non-negative loss value.

    Raises
    ------
    TypeError
        If an array is not numeric or ``delta`` is not a real number.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``delta <= 0``.

    Notes
    -----
    Introduced in chapter 6, Challenges (robustness to outliers). With
    :math:`r_i = \\hat{y}_i - y_i`,

    .. math:: L = \\frac{1}{n}\\sum_{i=1}^{n} h_\\delta(r_i), \\qquad
              h_\\delta(r) = \\begin{cases} \\tfrac12 r^2 & |r| \\le \\delta \\\\
              \\delta\\left(|r| - \\tfrac12\\delta\\right) & |r| > \\delta
              \\end{cases}

    For residuals below ``delta`` it equals :func:`mse` with
    ``convention="half"``; beyond it an outlier pulls with a constant force
    ``delta`` instead of one growing with the residual. The two pieces and
    their slopes agree at :math:`|r| = \\delta`. 2-D inputs are summed over
    the outputs and divided by ``n_samples``.

    Examples
    --------
    >>> from mathlib.losses import huber
    >>> print(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    delta = check_positive("delta", delta)
    y_true, y_pred = _check_pair("y_true", y_true, "y_pred", y_pred)

    abs_r = np.abs(y_pred - y_true)
    terms = np.where(abs_r <= delta, 0.5 * abs_r**2, delta * (abs_r - 0.5 * delta))
    return float(np.sum(terms) / y_true.shape[0])


def huber_grad(y_true, y_pred, *, delta=1.0):
    """Gradient of :func:`huber` with respect to ``y_pred``.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    y_pred : ndarray of the same shape as ``y_true``
        Predictions (``y_hat``).
    delta : float, default=1.0
        Residual size (> 0) where the loss switches from quadratic to
        linear.

    Returns
    -------
    d_y_pred : ndarray of the same shape as ``y_pred``
        Each entry in [-delta/n, delta/n].

    Raises
    ------
    TypeError
        If an array is not numeric or ``delta`` is not a real number.
    ValueError
        If the shapes differ, an array is empty, not finite or not 1-D or
        2-D, or ``delta <= 0``.

    Notes
    -----
    Introduced in chapter 6, Challenges:

    .. math:: \\frac{\\partial L}{\\partial \\hat{y}_i}
              = \\frac{1}{n}\\operatorname{clip}(r_i, -\\delta, \\delta),
              \\quad r_i = \\hat{y}_i - y_i

    The loss is continuously differentiable, so there is no kink to choose
    a value at.

    Examples
    --------
    >>> from mathlib.losses import huber_grad
    >>> print(huber_grad([0.0, 0.0], [0.5, 3.0]))
    [0.25 0.5 ]
    """
    delta = check_positive("delta", delta)
    y_true, y_pred = _check_pair("y_true", y_true, "y_pred", y_pred)
    return np.clip(y_pred - y_true, -delta, delta) / y_true.shape[0]
