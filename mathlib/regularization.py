"""Weight penalties against overfitting (chapter 4, Gradient descent).

A penalty is added to the data loss, ``loss + penalty(kind, weights,
strength)``, and its gradient is added to the weights' gradients. Pass the
weight matrices ``W`` only, never the biases ``b``: a bias shifts a unit's
output without making the fitted function any wigglier, so shrinking it
towards 0 adds bias to the model without reducing its complexity (and
would, for example, pull a regression line through the origin).

``weights`` is one array or a list (or tuple) of arrays, one per layer;
each ``*_grad`` returns the same structure.
"""

import numpy as np

from mathlib._validation import as_float_array, check_choice, check_nonnegative

PENALTY_KINDS = ("none", "l1", "l2")
"""tuple of str: the accepted values of ``kind``."""


def _as_weight_list(weights):
    """Return ``(arrays, is_sequence)`` after validating ``weights``."""
    if isinstance(weights, (list, tuple)):
        if len(weights) == 0:
            raise ValueError(
                "weights must be an array or a non-empty list of arrays, "
                "got an empty list"
            )
        arrays = [as_float_array(f"weights[{i}]", w) for i, w in enumerate(weights)]
        return arrays, True
    return [as_float_array("weights", weights)], False


def _same_structure(weights, grads, is_sequence):
    """Pack per-array gradients back into the structure of ``weights``."""
    if not is_sequence:
        return grads[0]
    return tuple(grads) if isinstance(weights, tuple) else list(grads)


def l1_penalty(weights, strength):
    """L1 (lasso) penalty: ``strength`` times the sum of absolute weights.

    Parameters
    ----------
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases), of any shapes.
    strength : float
        Regularization strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    penalty : float
        Non-negative penalty value.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If an array is empty or not finite, the list is empty, or
        ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: R_1(W) = \\lambda \\sum_j |w_j|

    It pushes every weight towards 0 with the same force, so small weights
    reach exactly 0: L1 selects features.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import l1_penalty
    >>> W1, W2 = np.array([[1.0, -2.0]]), np.array([[3.0]])
    >>> print(l1_penalty([W1, W2], strength=0.5))
    3.0
    """
    strength = check_nonnegative("strength", strength)
    arrays, _ = _as_weight_list(weights)
    return float(strength * sum(np.sum(np.abs(W)) for W in arrays))


def l1_penalty_grad(weights, strength):
    """Subgradient of :func:`l1_penalty`, taken as 0 where a weight is 0.

    Parameters
    ----------
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases).
    strength : float
        Regularization strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    grad : ndarray or list of ndarray
        Same structure and shapes as ``weights``; entries in
        :math:`\\{-\\lambda, 0, \\lambda\\}`.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If an array is empty or not finite, the list is empty, or
        ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: \\frac{\\partial R_1}{\\partial w_j} = \\lambda
              \\operatorname{sign}(w_j)

    :math:`|w|` has no derivative at 0; any value in
    :math:`[-\\lambda, \\lambda]` is a subgradient and we use 0
    (``np.sign(0) == 0``), so a weight that is exactly 0 is left there.
    With plain gradient descent a weight near 0 oscillates around it
    instead of settling, a known shortcoming of subgradient steps.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import l1_penalty_grad
    >>> print(l1_penalty_grad(np.array([-2.0, 0.0, 3.0]), strength=0.5))
    [-0.5  0.   0.5]
    """
    strength = check_nonnegative("strength", strength)
    arrays, is_sequence = _as_weight_list(weights)
    grads = [strength * np.sign(W) for W in arrays]
    return _same_structure(weights, grads, is_sequence)


def l2_penalty(weights, strength):
    """L2 (ridge, weight decay) penalty: half ``strength`` times sum of squares.

    Parameters
    ----------
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases), of any shapes.
    strength : float
        Regularization strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    penalty : float
        Non-negative penalty value.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If an array is empty or not finite, the list is empty, or
        ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: R_2(W) = \\frac{\\lambda}{2} \\sum_j w_j^2

    The 1/2 makes the gradient :math:`\\lambda w` (no factor 2), matching
    the source's 1/(2n) in the mean squared error. Large weights are
    shrunk proportionally, small ones barely, so weights become small but
    rarely exactly 0.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import l2_penalty
    >>> print(l2_penalty(np.array([[1.0, -2.0]]), strength=0.1))
    0.25
    """
    strength = check_nonnegative("strength", strength)
    arrays, _ = _as_weight_list(weights)
    return float(0.5 * strength * sum(np.sum(W * W) for W in arrays))


def l2_penalty_grad(weights, strength):
    """Gradient of :func:`l2_penalty`: ``strength`` times the weights.

    Parameters
    ----------
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases).
    strength : float
        Regularization strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    grad : ndarray or list of ndarray
        Same structure and shapes as ``weights``.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If an array is empty or not finite, the list is empty, or
        ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent:

    .. math:: \\frac{\\partial R_2}{\\partial w_j} = \\lambda w_j

    A gradient step then multiplies each weight by
    :math:`(1 - \\alpha\\lambda)` before the data-loss step, hence the name
    "weight decay".

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import l2_penalty_grad
    >>> print(l2_penalty_grad([np.array([1.0, -2.0])], strength=0.5))
    [array([ 0.5, -1. ])]
    """
    strength = check_nonnegative("strength", strength)
    arrays, is_sequence = _as_weight_list(weights)
    grads = [strength * W for W in arrays]
    return _same_structure(weights, grads, is_sequence)


def penalty(kind, weights, strength):
    """Regularization penalty chosen by name.

    Parameters
    ----------
    kind : {"none", "l1", "l2"}
        Which penalty; ``"none"`` returns 0.0.
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases).
    strength : float
        Regularization strength :math:`\\lambda \\ge 0` (ignored by
        ``"none"`` but still validated).

    Returns
    -------
    penalty : float
        Non-negative penalty value.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If ``kind`` is unknown, an array is empty or not finite, the list
        is empty, or ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. The regularized objective is

    .. math:: J(W, b) = L(W, b) + R(W)

    with :math:`R` one of :func:`l1_penalty`, :func:`l2_penalty` or 0.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import penalty
    >>> W = np.array([[3.0, -4.0]])
    >>> print(penalty("l1", W, 1.0), penalty("l2", W, 1.0), penalty("none", W, 1.0))
    7.0 12.5 0.0
    """
    check_choice("kind", kind, PENALTY_KINDS)
    if kind == "l1":
        return l1_penalty(weights, strength)
    if kind == "l2":
        return l2_penalty(weights, strength)

    # "none": still validate, so a typo in the arguments is not hidden.
    check_nonnegative("strength", strength)
    _as_weight_list(weights)
    return 0.0


def penalty_grad(kind, weights, strength):
    """Gradient of :func:`penalty` with respect to the weights.

    Parameters
    ----------
    kind : {"none", "l1", "l2"}
        Which penalty; ``"none"`` returns zeros.
    weights : ndarray of shape (n_units, n_inputs) or list of ndarray
        Weight matrices ``W`` (not biases).
    strength : float
        Regularization strength :math:`\\lambda \\ge 0`.

    Returns
    -------
    grad : ndarray or list of ndarray
        Same structure and shapes as ``weights``.

    Raises
    ------
    TypeError
        If an array is not numeric or ``strength`` is not a real number.
    ValueError
        If ``kind`` is unknown, an array is empty or not finite, the list
        is empty, or ``strength < 0``.

    Notes
    -----
    Introduced in chapter 4, Gradient descent: the gradient of the
    regularized objective is

    .. math:: \\frac{\\partial J}{\\partial W} = \\frac{\\partial L}{\\partial W}
              + \\frac{\\partial R}{\\partial W}, \\qquad
              \\frac{\\partial J}{\\partial b} = \\frac{\\partial L}{\\partial b}

    (biases are not penalized).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import penalty_grad
    >>> print(penalty_grad("l2", np.array([3.0, -4.0]), 0.5))
    [ 1.5 -2. ]
    """
    check_choice("kind", kind, PENALTY_KINDS)
    if kind == "l1":
        return l1_penalty_grad(weights, strength)
    if kind == "l2":
        return l2_penalty_grad(weights, strength)

    check_nonnegative("strength", strength)
    arrays, is_sequence = _as_weight_list(weights)
    return _same_structure(weights, [np.zeros_like(W) for W in arrays], is_sequence)


def soft_threshold(v, threshold):
    """Minimizer of one coordinate's squared distance plus an L1 penalty.

    Parameters
    ----------
    v : float or ndarray of any shape
        Unpenalized values (where the data alone would put each weight).
    threshold : float
        The L1 strength, relative to the curvature of the squared term;
        must be finite and >= 0.

    Returns
    -------
    w : float or ndarray of the same shape as ``v``
        ``sign(v) * max(|v| - threshold, 0)``, entry by entry.

    Raises
    ------
    TypeError
        If ``v`` or ``threshold`` is not numeric.
    ValueError
        If ``v`` is empty or not finite, or ``threshold`` is negative or
        not finite.

    Notes
    -----
    Introduced in chapter 4, Gradient descent, to explain why L1 gives exact
    zeros. For one weight,

    .. math:: \\operatorname*{arg\\,min}_w \\tfrac12 (w - v)^2 + \\lambda |w|
              = \\operatorname{sign}(v)\\,\\max(|v| - \\lambda, 0).

    Every :math:`|v| \\le \\lambda` lands exactly on 0, larger values move
    towards 0 by :math:`\\lambda`. (With L2 the minimizer is
    :math:`v / (1 + \\lambda)`, never exactly 0.) Plain (sub)gradient descent
    only hovers near 0; proximal methods apply this map as their step.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.regularization import soft_threshold
    >>> print(soft_threshold(np.array([-2.5, -0.4, 0.0, 0.7, 1.8]), 1.0))
    [-1.5  0.   0.   0.   0.8]
    """
    v = as_float_array("v", v)
    threshold = check_nonnegative("threshold", threshold)

    # Adding 0.0 turns the -0.0 of negative v below the threshold into 0.0.
    w = np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0) + 0.0
    return w[()] if w.ndim == 0 else w
