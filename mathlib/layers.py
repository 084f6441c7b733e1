"""One dense (fully connected) layer: forward pass and backward pass.

A layer with ``n_units`` neurons and ``n_inputs`` inputs holds a weight
matrix ``W`` of shape (n_units, n_inputs) and a bias ``b`` of shape
(n_units,), so that one sample ``x`` gives the source text's
``y = f(Wx + b)``. On a batch ``X`` of shape (n_samples, n_inputs) the same
formula reads ``Z = X @ W.T + b`` (one row per sample).

:func:`dense_forward` is chapter 2 (Forward pass); :func:`dense_backward`
is the chain rule of chapter 4 (Gradient descent), which turns the
gradient of the loss with respect to a layer's output into gradients with
respect to its input, weights and bias.
"""

from mathlib._validation import as_float_array
from mathlib.activations import get_activation


def _check_layer(X, W, b):
    """Validate ``X``, ``W`` and ``b`` of one layer; return them as arrays."""
    X = as_float_array("X", X, ndim=2)
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=1)
    if X.shape[1] != W.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features (shape {X.shape}) but W has shape "
            f"{W.shape}, i.e. {W.shape[1]} inputs; W must have shape "
            "(n_units, n_inputs) with n_inputs = X.shape[1]"
        )
    if b.shape != (W.shape[0],):
        raise ValueError(
            f"b has shape {b.shape} but W has shape {W.shape}, so b must have "
            f"shape ({W.shape[0]},): one bias per unit"
        )
    return X, W, b


def dense_forward(X, W, b, activation="identity"):
    """Forward pass of a dense layer: ``A = f(X @ W.T + b)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_inputs)
        Inputs of the layer, one row per sample.
    W : ndarray of shape (n_units, n_inputs)
        Weights; row ``j`` holds the weights of unit ``j``.
    b : ndarray of shape (n_units,)
        Biases, one per unit.
    activation : {"identity", "sigmoid", "tanh", "relu"}, default="identity"
        Name of the activation ``f`` (see :mod:`mathlib.activations`).

    Returns
    -------
    A : ndarray of shape (n_samples, n_units)
        Activations (outputs of the layer), ``A = f(Z)``.
    Z : ndarray of shape (n_samples, n_units)
        Pre-activations, kept because :func:`dense_backward` needs them.

    Raises
    ------
    TypeError
        If an array is not numeric or ``activation`` is not a string.
    ValueError
        If an array has the wrong number of dimensions, contains NaN or
        infinity, if the shapes do not fit together, or ``activation`` is
        unknown.

    Notes
    -----
    Introduced in chapter 2, Forward pass. For one sample (a column
    vector ``x``) the source text writes :math:`y = f(Wx + b)`; stacking
    the samples as the rows of ``X`` turns :math:`Wx` into
    :math:`X W^\\top`:

    .. math:: Z = X W^\\top + \\mathbf{1} b^\\top, \\qquad A = f(Z),

    that is :math:`Z_{ij} = \\sum_k X_{ik} W_{jk} + b_j`. The bias row is
    added to every sample (this is the only broadcasting done, and it is
    the formula's own).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.layers import dense_forward
    >>> X = np.array([[1.0, 2.0]])
    >>> W = np.array([[0.5, -1.0], [2.0, 0.0]])
    >>> b = np.array([0.5, -3.0])
    >>> A, Z = dense_forward(X, W, b, activation="relu")
    >>> print(Z)
    [[-1. -1.]]
    >>> print(A)
    [[0. 0.]]
    """
    X, W, b = _check_layer(X, W, b)
    f, _ = get_activation(activation)

    Z = X @ W.T + b
    A = f(Z)
    return A, Z


def dense_backward(dA, X, W, Z, activation="identity"):
    """Backward pass of a dense layer: gradients for ``X``, ``W`` and ``b``.

    Parameters
    ----------
    dA : ndarray of shape (n_samples, n_units)
        Gradient of the loss with respect to the layer's output ``A``.
    X : ndarray of shape (n_samples, n_inputs)
        The input that :func:`dense_forward` received.
    W : ndarray of shape (n_units, n_inputs)
        The layer's weights.
    Z : ndarray of shape (n_samples, n_units)
        The pre-activations returned by :func:`dense_forward`.
    activation : {"identity", "sigmoid", "tanh", "relu"}, default="identity"
        The activation used in the forward pass.

    Returns
    -------
    dX : ndarray of shape (n_samples, n_inputs)
        Gradient with respect to the input (passed on to the layer below).
    dW : ndarray of shape (n_units, n_inputs)
        Gradient with respect to the weights, same shape as ``W``.
    db : ndarray of shape (n_units,)
        Gradient with respect to the biases, same shape as ``b``.

    Raises
    ------
    TypeError
        If an array is not numeric or ``activation`` is not a string.
    ValueError
        If an array has the wrong number of dimensions, contains NaN or
        infinity, if the shapes do not fit together, or ``activation`` is
        unknown.

    Notes
    -----
    Introduced in chapter 4, Gradient descent (the chain rule that
    produces the :math:`\\partial Loss / \\partial W` of the update rule).
    With :math:`Z = X W^\\top + b` and :math:`A = f(Z)`:

    .. math::

        dZ = dA \\odot f'(Z), \\qquad
        dW = dZ^\\top X, \\qquad
        db = \\sum_{i=1}^{n} dZ_{i\\cdot}, \\qquad
        dX = dZ\\, W,

    where :math:`\\odot` is the entry-wise product and ``db`` sums ``dZ``
    over the samples (axis 0). ``dA`` already carries the loss's
    :math:`1/n`, so nothing is averaged here. At a ReLU kink (``Z == 0``)
    the derivative is taken as 0 (see :func:`mathlib.activations.relu_grad`).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.layers import dense_backward
    >>> X = np.array([[1.0, 2.0]])
    >>> W = np.array([[3.0, -1.0]])
    >>> Z = np.array([[1.0]])
    >>> dX, dW, db = dense_backward(np.array([[2.0]]), X, W, Z)
    >>> print(dX, dW, db)
    [[ 6. -2.]] [[2. 4.]] [2.]
    """
    dA = as_float_array("dA", dA, ndim=2)
    X = as_float_array("X", X, ndim=2)
    W = as_float_array("W", W, ndim=2)
    Z = as_float_array("Z", Z, ndim=2)
    expected = (X.shape[0], W.shape[0])
    if X.shape[1] != W.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features (shape {X.shape}) but W has shape "
            f"{W.shape}; W must have shape (n_units, n_inputs) with "
            "n_inputs = X.shape[1]"
        )
    for name, array in (("Z", Z), ("dA", dA)):
        if array.shape != expected:
            raise ValueError(
                f"{name} has shape {array.shape} but X of shape {X.shape} and "
                f"W of shape {W.shape} need (n_samples, n_units) = {expected}"
            )
    _, f_grad = get_activation(activation)

    dZ = dA * f_grad(Z)

    dW = dZ.T @ X
    db = dZ.sum(axis=0)
    dX = dZ @ W
    return dX, dW, db
