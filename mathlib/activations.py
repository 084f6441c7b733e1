"""Activation functions and their derivatives (chapter 1, Core concepts).

Every activation ``f`` comes with ``f_grad``, its derivative, and both take
the same pre-activation ``z`` (not the output ``a = f(z)``). They act entry
by entry on arrays of any shape, except ``softmax`` and ``log_softmax``,
which normalise along one axis.

``ACTIVATIONS`` maps a name to the pair ``(f, f_grad)`` and
``get_activation`` looks a name up with a helpful error, so layers can be
configured with strings such as ``"tanh"``.
"""

import numpy as np

from mathlib._validation import as_float_array, check_choice, check_int


def _scalar_or_array(array):
    """Return a 0-d result as a numpy scalar and anything else unchanged."""
    return array[()] if array.ndim == 0 else array


def sigmoid(z):
    """Logistic sigmoid, computed without overflow.

    Parameters
    ----------
    z : float or ndarray of shape (n_samples, n_units) or any shape
        Pre-activations.

    Returns
    -------
    a : float or ndarray of the same shape as ``z``
        Values in [0, 1] (strictly inside for moderate ``z``; in float64
        they round to exactly 0 or 1 beyond about ``|z| > 37`` and ``745``).

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\sigma(z) = \\frac{1}{1 + e^{-z}}

    Evaluated literally, ``exp(-z)`` overflows (with a ``RuntimeWarning``)
    for ``z < -709`` in float64. We only ever exponentiate a non-positive
    number, ``e = exp(-|z|)``, and use the two equivalent forms

    .. math:: \\sigma(z) = \\frac{1}{1 + e^{-|z|}} \\ (z \\ge 0), \\qquad
              \\sigma(z) = \\frac{e^{-|z|}}{1 + e^{-|z|}} \\ (z < 0),

    so the result is exact to rounding and warning-free for any finite
    ``z``.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import sigmoid
    >>> print(sigmoid(np.array([-1e4, 0.0, 1e4])))
    [0.  0.5 1. ]
    """
    z = as_float_array("z", z)

    # exp of a non-positive number never overflows; underflow to 0 is harmless.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
    a = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return _scalar_or_array(a.astype(z.dtype, copy=False))


def sigmoid_grad(z):
    """Derivative of the sigmoid with respect to its input ``z``.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations (the same input as :func:`sigmoid`).

    Returns
    -------
    da_dz : float or ndarray of the same shape as ``z``
        Values in [0, 0.25], largest at ``z = 0``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))

    It is at most 1/4, which is why deep stacks of sigmoids pass back
    vanishing gradients. It uses the stable :func:`sigmoid`, so it is
    finite (and tends to 0) for large ``|z|``.

    Examples
    --------
    >>> from mathlib.activations import sigmoid_grad
    >>> print(sigmoid_grad(0.0))
    0.25
    """
    s = np.asarray(sigmoid(z))
    return _scalar_or_array(s * (1.0 - s))


def tanh(z):
    """Hyperbolic tangent.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations.

    Returns
    -------
    a : float or ndarray of the same shape as ``z``
        Values in [-1, 1].

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\tanh(z) = \\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}
              = 2\\sigma(2z) - 1

    ``numpy.tanh`` saturates to exactly -1 or 1 without overflow, so it is
    used directly.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import tanh
    >>> print(np.round(tanh(np.array([-1e4, 0.0, 1.0])), 4))
    [-1.      0.      0.7616]
    """
    z = as_float_array("z", z)
    return _scalar_or_array(np.tanh(z))


def tanh_grad(z):
    """Derivative of tanh with respect to its input ``z``.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations (the same input as :func:`tanh`).

    Returns
    -------
    da_dz : float or ndarray of the same shape as ``z``
        Values in [0, 1], equal to 1 at ``z = 0``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\tanh'(z) = 1 - \\tanh^2(z)

    Examples
    --------
    >>> from mathlib.activations import tanh_grad
    >>> print(tanh_grad(0.0))
    1.0
    """
    t = np.asarray(tanh(z))
    return _scalar_or_array(1.0 - t * t)


def relu(z):
    """Rectified linear unit.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations.

    Returns
    -------
    a : float or ndarray of the same shape as ``z``
        ``z`` where it is positive, 0 elsewhere.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\operatorname{ReLU}(z) = \\max(0, z)

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import relu
    >>> print(relu(np.array([-2.0, 0.0, 3.0])))
    [0. 0. 3.]
    """
    z = as_float_array("z", z)
    return _scalar_or_array(np.maximum(z, 0.0).astype(z.dtype, copy=False))


def relu_grad(z):
    """Derivative of ReLU with respect to ``z``, taken as 0 at the kink.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations (the same input as :func:`relu`).

    Returns
    -------
    da_dz : float or ndarray of the same shape as ``z``
        1.0 where ``z > 0`` and 0.0 where ``z <= 0``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: \\operatorname{ReLU}'(z) = \\begin{cases} 1 & z > 0 \\\\
              0 & z \\le 0 \\end{cases}

    ReLU has no derivative at ``z = 0``; any value in [0, 1] is a valid
    subgradient there. We choose 0 (as most frameworks do), so a unit whose
    pre-activation is exactly 0 passes back no gradient. A central
    difference at 0 gives 0.5 instead, so gradient checks must avoid the
    kink.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import relu_grad
    >>> print(relu_grad(np.array([-2.0, 0.0, 3.0])))
    [0. 0. 1.]
    """
    z = as_float_array("z", z)
    return _scalar_or_array((z > 0).astype(z.dtype))


def identity(z):
    """Identity activation, used by regression output layers.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations.

    Returns
    -------
    a : float or ndarray of the same shape as ``z``
        A copy of ``z`` (as floats).

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: f(z) = z

    A network whose activations are all the identity is a single linear
    map, however many layers it has.

    Examples
    --------
    >>> from mathlib.activations import identity
    >>> print(identity([1.5, -2.0]))
    [ 1.5 -2. ]
    """
    z = as_float_array("z", z)
    return _scalar_or_array(z.copy())


def identity_grad(z):
    """Derivative of the identity: an array of ones shaped like ``z``.

    Parameters
    ----------
    z : float or ndarray of any shape
        Pre-activations (the same input as :func:`identity`).

    Returns
    -------
    da_dz : float or ndarray of the same shape as ``z``
        All ones.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty or contains NaN or infinity.

    Notes
    -----
    Introduced in chapter 1, Core concepts:

    .. math:: f'(z) = 1

    Examples
    --------
    >>> from mathlib.activations import identity_grad
    >>> print(identity_grad([1.5, -2.0]))
    [1. 1.]
    """
    z = as_float_array("z", z)
    return _scalar_or_array(np.ones_like(z))


def _check_axis(axis, ndim):
    """Return ``axis`` after checking it names an axis of an ``ndim`` array."""
    axis = check_int("axis", axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"axis must be in [{-ndim}, {ndim - 1}] for z with {ndim} "
            f"dimension(s), got {axis}"
        )
    return axis


def softmax(z, axis=-1):
    """Softmax along ``axis``: turn scores into probabilities that sum to 1.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes) or (n_classes,)
        Scores (logits); any number of dimensions >= 1 is accepted.
    axis : int, default=-1
        Axis along which the probabilities sum to 1 (the class axis).

    Returns
    -------
    p : ndarray of the same shape as ``z``
        Non-negative entries summing to 1 along ``axis``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric or ``axis`` is not an integer.
    ValueError
        If ``z`` is 0-d, empty, or not finite, or ``axis`` is out of range.

    Notes
    -----
    Introduced in chapter 1, Core concepts (used by the multiclass loss of
    chapter 3):

    .. math:: \\operatorname{softmax}(z)_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}
              = \\frac{e^{z_k - m}}{\\sum_j e^{z_j - m}}, \\quad
              m = \\max_j z_j

    Subtracting the maximum ``m`` leaves the value unchanged but makes every
    exponent <= 0, so nothing overflows, and the largest term is exactly 1,
    so the denominator is never 0.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import softmax
    >>> print(softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]])))
    [[0.5  0.5 ]
     [0.25 0.75]]
    """
    z = as_float_array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension, got shape ()")
    axis = _check_axis(axis, z.ndim)

    # Shift by the max: exp(<= 0) cannot overflow.
    shifted = z - np.max(z, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """Logarithm of the softmax, computed without overflow or ``log(0)``.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_classes) or (n_classes,)
        Scores (logits); any number of dimensions >= 1 is accepted.
    axis : int, default=-1
        The class axis.

    Returns
    -------
    log_p : ndarray of the same shape as ``z``
        Log-probabilities (all <= 0).

    Raises
    ------
    TypeError
        If ``z`` is not numeric or ``axis`` is not an integer.
    ValueError
        If ``z`` is 0-d, empty, or not finite, or ``axis`` is out of range.

    Notes
    -----
    Introduced in chapter 1, Core concepts (used by the multiclass loss of
    chapter 3):

    .. math:: \\log \\operatorname{softmax}(z)_k = (z_k - m)
              - \\log \\sum_j e^{z_j - m}, \\quad m = \\max_j z_j

    Taking ``log(softmax(z))`` literally gives ``-inf`` once a probability
    underflows to 0 (e.g. ``z = [0, 1000]``); this form stays finite
    because the sum is at least 1.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.activations import log_softmax
    >>> print(log_softmax(np.array([0.0, 1000.0])))
    [-1000.     0.]
    """
    z = as_float_array("z", z)
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension, got shape ()")
    axis = _check_axis(axis, z.ndim)

    shifted = z - np.max(z, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        log_sum = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return shifted - log_sum


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}
"""dict of str to (callable, callable): activation name -> ``(f, f_grad)``."""


def get_activation(name):
    """Look up an activation and its derivative by name.

    Parameters
    ----------
    name : {"sigmoid", "tanh", "relu", "identity"}
        Name of the activation.

    Returns
    -------
    f : callable
        The activation, ``a = f(z)``.
    f_grad : callable
        Its derivative, ``f_grad(z)``, taking the same ``z``.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known activation.

    Notes
    -----
    The activations are introduced in chapter 1, Core concepts.

    Examples
    --------
    >>> from mathlib.activations import get_activation
    >>> f, f_grad = get_activation("relu")
    >>> print(f(-1.0), f_grad(2.0))
    0.0 1.0
    """
    if not isinstance(name, str):
        raise TypeError(
            f"name must be a string such as 'tanh', got {name!r} of type "
            f"{type(name).__name__}"
        )
    check_choice("name", name, tuple(ACTIVATIONS))
    return ACTIVATIONS[name]
