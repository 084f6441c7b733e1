"""Parameter updates of gradient descent, and mini-batches (chapter 4).

The update functions take parameters in any nesting of dicts, lists and
tuples whose leaves are arrays or plain numbers, for example the list of
``{"W", "b"}`` dicts of :mod:`mathlib.network` or ``{"w": 0.5, "b": 0.0}``
for a line. The gradients must have exactly the same structure and shapes.
They return new parameters and never modify their inputs.
"""

import numbers

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_in_range,
    check_int,
    check_positive,
)


def _check_same_structure(name_a, a, name_b, b, path="", name_c=None):
    """Raise unless ``a`` and ``b`` have the same nesting, keys and shapes."""
    where = path or "the top level"
    if isinstance(a, dict):
        if not isinstance(b, dict) or set(a) != set(b):
            raise ValueError(
                f"{name_b} must have the same structure as {name_a}: at {where} "
                f"{name_a} has keys {sorted(a)} but {name_b} has "
                f"{sorted(b) if isinstance(b, dict) else type(b).__name__}"
            )
        for key in a:
            _check_same_structure(name_a, a[key], name_b, b[key], f"{path}[{key!r}]")
        return
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            raise ValueError(
                f"{name_b} must have the same structure as {name_a}: at {where} "
                f"{name_a} is a sequence of length {len(a)} but {name_b} is "
                f"{len(b) if isinstance(b, (list, tuple)) else type(b).__name__}"
            )
        for i, (item_a, item_b) in enumerate(zip(a, b)):
            _check_same_structure(name_a, item_a, name_b, item_b, f"{path}[{i}]")
        return
    as_float_array(f"{name_a}{path}", a, allow_empty=True)
    as_float_array(f"{name_b}{path}", b, allow_empty=True)
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_b}{path} has shape {np.shape(b)} but {name_a}{path} has shape "
            f"{np.shape(a)}; they must match exactly"
        )


def _map(function, *trees):
    """Apply ``function`` leaf by leaf to trees of the same structure."""
    first = trees[0]
    if isinstance(first, dict):
        return {key: _map(function, *(t[key] for t in trees)) for key in first}
    if isinstance(first, (list, tuple)):
        items = [_map(function, *parts) for parts in zip(*trees)]
        return type(first)(items)
    if isinstance(first, numbers.Real) and not isinstance(first, np.ndarray):
        return float(function(*(np.asarray(t, dtype=float) for t in trees)))
    return function(*(np.asarray(t, dtype=float) for t in trees))


def gradient_descent_step(params, grads, learning_rate):
    """One step of gradient descent: move every parameter against its gradient.

    Parameters
    ----------
    params : ndarray, float, or dict / list / tuple of them
        Current parameters, e.g. the list of ``{"W", "b"}`` dicts of
        :func:`mathlib.network.init_params`.
    grads : same structure as ``params``
        Gradients of the loss with respect to each parameter.
    learning_rate : float
        Step size :math:`\\alpha > 0`.

    Returns
    -------
    new_params : same structure as ``params``
        Updated parameters (new arrays; ``params`` is not modified).

    Raises
    ------
    TypeError
        If a leaf is not numeric or ``learning_rate`` is not a real number.
    ValueError
        If ``learning_rate`` is not finite and > 0, ``grads`` does not have
        the structure and shapes of ``params``, or a value is not finite.

    Notes
    -----
    Introduced in chapter 4, Gradient descent (the source text's update
    rule):

    .. math:: W_{new} = W_{old} - \\alpha \\frac{\\partial Loss}{\\partial W},
              \\qquad
              b_{new} = b_{old} - \\alpha \\frac{\\partial Loss}{\\partial b}.

    The gradient points uphill, so a small step against it lowers the loss;
    too large an :math:`\\alpha` overshoots the minimum and can diverge.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.optim import gradient_descent_step
    >>> params = {"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
    >>> grads = {"W": np.array([[10.0, -10.0]]), "b": np.array([1.0])}
    >>> new = gradient_descent_step(params, grads, learning_rate=0.1)
    >>> print(new["W"], new["b"])
    [[0. 3.]] [0.4]
    >>> gradient_descent_step({"w": 1.0}, {"w": 2.0}, 0.25)
    {'w': 0.5}
    """
    learning_rate = check_positive("learning_rate", learning_rate)
    _check_same_structure("params", params, "grads", grads)

    return _map(lambda p, g: p - learning_rate * g, params, grads)


def momentum_step(params, grads, velocity, learning_rate, momentum):
    """One step of gradient descent with (heavy-ball) momentum.

    Parameters
    ----------
    params : ndarray, float, or dict / list / tuple of them
        Current parameters.
    grads : same structure as ``params``
        Gradients of the loss.
    velocity : same structure as ``params``, or None
        Velocity from the previous step; ``None`` starts from zeros.
    learning_rate : float
        Step size :math:`\\alpha > 0`.
    momentum : float
        Momentum coefficient :math:`\\mu` in [0, 1); 0 gives plain gradient
        descent.

    Returns
    -------
    new_params : same structure as ``params``
        Updated parameters.
    new_velocity : same structure as ``params``
        Velocity to pass to the next call.

    Raises
    ------
    TypeError
        If a leaf is not numeric or a hyperparameter is not a real number.
    ValueError
        If ``learning_rate`` <= 0, ``momentum`` is outside [0, 1), a
        structure or shape does not match, or a value is not finite.

    Notes
    -----
    Introduced in chapter 4, Gradient descent (optimisation algorithms):

    .. math:: v \\leftarrow \\mu v - \\alpha \\frac{\\partial Loss}{\\partial W},
              \\qquad W \\leftarrow W + v.

    The velocity ``v`` is a running, exponentially decaying sum of past
    steps: along a direction where the gradient keeps its sign the steps
    grow up to :math:`1/(1-\\mu)` times, while zig-zags across a narrow
    valley cancel out. This is the form Keras's ``SGD(momentum=...)`` uses.

    Examples
    --------
    >>> from mathlib.optim import momentum_step
    >>> p, v = momentum_step({"w": 1.0}, {"w": 1.0}, None, 0.1, 0.9)
    >>> p, v
    ({'w': 0.9}, {'w': -0.1})
    >>> p, v = momentum_step(p, {"w": 1.0}, v, 0.1, 0.9)
    >>> round(p["w"], 6), round(v["w"], 6)
    (0.71, -0.19)
    """
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    _check_same_structure("params", params, "grads", grads)
    if velocity is None:
        velocity = _map(np.zeros_like, params)
    else:
        _check_same_structure("params", params, "velocity", velocity)

    new_velocity = _map(lambda v, g: momentum * v - learning_rate * g, velocity, grads)
    new_params = _map(lambda p, v: p + v, params, new_velocity)
    return new_params, new_velocity


def minibatch_indices(n_samples, batch_size, rng):
    """Split the shuffled sample indices ``0 .. n_samples-1`` into mini-batches.

    Parameters
    ----------
    n_samples : int
        Number of samples (>= 1).
    batch_size : int
        Samples per batch (>= 1). A value above ``n_samples`` gives one
        batch with every sample (full-batch gradient descent).
    rng : numpy.random.Generator or int
        Source of randomness. A Generator advances at every call, so each
        call (each epoch) gets a new order; an int seeds a new Generator,
        so the same int always gives the same batches.

    Returns
    -------
    batches : list of ndarray of int
        ``ceil(n_samples / batch_size)`` index arrays. All have
        ``batch_size`` entries except possibly the last, which holds the
        remainder. Together they contain every index exactly once.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``batch_size`` is not an integer, or ``rng`` is
        neither a Generator nor an int.
    ValueError
        If ``n_samples < 1``, ``batch_size < 1`` or the seed is negative.

    Notes
    -----
    Introduced in chapter 4, Gradient descent (stochastic gradient
    descent). One epoch visits every sample once in a new random order
    (a permutation), in :math:`\\lceil n / B \\rceil` steps; each step's
    gradient is the mean over its batch :math:`\\mathcal{B}`,

    .. math:: g = \\frac{1}{|\\mathcal{B}|} \\sum_{i \\in \\mathcal{B}}
              \\nabla_W \\ell_i,

    an unbiased but noisy estimate of the full gradient. This is how
    Keras's ``fit`` with ``shuffle=True`` batches the data (100 samples and
    ``batch_size=32`` give batches of 32, 32, 32 and 4).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.optim import minibatch_indices
    >>> batches = minibatch_indices(10, 4, np.random.default_rng(0))
    >>> [len(batch) for batch in batches]
    [4, 4, 2]
    >>> sorted(np.concatenate(batches).tolist()) == list(range(10))
    True
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        rng = np.random.default_rng(check_int("rng", rng, minimum=0))
    elif not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator (np.random.default_rng(seed)) or "
            f"an int seed, got {rng!r} of type {type(rng).__name__}"
        )

    order = rng.permutation(n_samples)
    starts = range(0, n_samples, batch_size)
    return [order[start : start + batch_size] for start in starts]
