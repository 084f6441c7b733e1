"""Numerical gradients for checking analytic ones (chapter 4, Gradient descent).

Backpropagation is easy to get subtly wrong; comparing it with a finite
difference, entry by entry, catches almost every mistake. Every analytic
gradient in ``mathlib`` is tested this way.
"""

import numpy as np

from mathlib._validation import as_float_array, check_positive, check_same_shape


def numerical_gradient(f, x, *, eps=1e-6):
    """Gradient of a scalar function by central differences, entry by entry.

    Parameters
    ----------
    f : callable
        Function of one array argument (shaped like ``x``) returning a
        real scalar, e.g. ``lambda W: mse(y, X @ W)``.
    x : float or ndarray of any shape
        Point at which to differentiate. It is copied to float64 and never
        modified.
    eps : float, default=1e-6
        Step size :math:`h > 0`.

    Returns
    -------
    grad : ndarray of the same shape as ``x``
        float64 estimate of :math:`\\partial f / \\partial x`.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``x`` is not numeric, or ``f`` does not
        return a real scalar.
    ValueError
        If ``x`` is empty or not finite, ``eps <= 0``, or ``f`` returns
        NaN or infinity.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: \\frac{\\partial f}{\\partial x_j} \\approx
              \\frac{f(x + h e_j) - f(x - h e_j)}{2h}

    where :math:`e_j` is the unit array with a 1 in entry :math:`j`. The
    truncation error is :math:`O(h^2)` (against :math:`O(h)` for the
    one-sided difference) and the rounding error about
    :math:`\\varepsilon_{\\text{mach}} |f| / h`, so :math:`h \\approx 10^{-6}`
    balances them in float64, giving roughly 8-10 correct digits. It costs
    two evaluations of ``f`` per entry: fine for checks, far too slow for
    training. Near a kink (ReLU at 0, :math:`|w|` at 0) the estimate is an
    average of the two one-sided slopes, so checks must stay away from it.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.gradcheck import numerical_gradient
    >>> x = np.array([1.0, -2.0])
    >>> print(np.round(numerical_gradient(lambda v: np.sum(v**3), x), 6))
    [ 3. 12.]
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    eps = check_positive("eps", eps)

    # Work on a private float64 copy: the caller's array is never touched.
    x = np.array(as_float_array("x", x), dtype=np.float64)
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)

    for j in range(flat_x.size):
        original = flat_x[j]
        flat_x[j] = original + eps
        f_plus = _scalar_value(f, x)
        flat_x[j] = original - eps
        f_minus = _scalar_value(f, x)
        flat_x[j] = original
        flat_grad[j] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar_value(f, x):
    """Call ``f`` on a copy of ``x`` and check it returns a finite scalar."""
    result = f(x.copy())
    value = np.asarray(result)
    if value.ndim != 0:
        raise TypeError(f"f must return a scalar, got a value of shape {value.shape}")
    is_real = np.issubdtype(value.dtype, np.integer) or np.issubdtype(
        value.dtype, np.floating
    )
    if not is_real:
        raise TypeError(f"f must return a real number, got {result!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"f must return a finite value, got {value!r}")
    return value


def relative_error(analytic, numeric):
    """Size of the difference between two gradients, relative to their size.

    Parameters
    ----------
    analytic : float or ndarray of any shape
        Gradient from a formula (e.g. backpropagation).
    numeric : float or ndarray of the same shape as ``analytic``
        Gradient from :func:`numerical_gradient`.

    Returns
    -------
    error : float
        In [0, 1]; 0 when the two agree exactly (including both being 0).

    Raises
    ------
    TypeError
        If an array is not numeric.
    ValueError
        If the shapes differ, or an array is empty or not finite.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: e = \\frac{\\lVert g_a - g_n \\rVert_2}
              {\\lVert g_a \\rVert_2 + \\lVert g_n \\rVert_2}

    with Euclidean norms over all entries (0 if both gradients are 0).
    Dividing by the gradients' size makes the error scale-free: it is
    small for a correct gradient whether the entries are 1e-6 or 1e6. In
    float64 with ``eps=1e-6``, a correct gradient typically gives
    :math:`e < 10^{-7}`; :math:`e > 10^{-4}` points to a bug (or a kink).
    It reaches 1 when the two have opposite directions or one is 0. It is
    not meaningful when the true gradient is itself as small as the
    finite-difference error (about 1e-10 for O(1) functions): near a
    minimum compare absolute differences instead.

    Examples
    --------
    >>> from mathlib.gradcheck import relative_error
    >>> print(relative_error([1.0, 2.0], [1.0, 2.0]))
    0.0
    >>> print(round(relative_error([1.0, 0.0], [0.0, 1.0]), 6))
    0.707107
    """
    analytic = as_float_array("analytic", analytic)
    numeric = as_float_array("numeric", numeric)
    check_same_shape("numeric", numeric, "analytic", analytic)

    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / scale)
