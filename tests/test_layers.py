"""Tests of mathlib.layers: known values, gradients against central differences."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathlib.gradcheck import numerical_gradient, relative_error
from mathlib.layers import dense_backward, dense_forward

ACTIVATION_NAMES = ["identity", "sigmoid", "tanh", "relu"]

X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0]])
W = np.array([[0.5, -1.0], [2.0, 0.25], [-1.0, 1.0]])
b = np.array([0.5, -3.0, 1.0])
# Hand computation of Z = X @ W.T + b, entry by entry.
Z_EXPECTED = np.array(
    [
        [0.5 * 1 - 1 * 2 + 0.5, 2 * 1 + 0.25 * 2 - 3, -1 * 1 + 1 * 2 + 1],
        [0.5 * -1 - 1 * 0.5 + 0.5, 2 * -1 + 0.25 * 0.5 - 3, -1 * -1 + 1 * 0.5 + 1],
        [0.5 * 0 - 1 * -3 + 0.5, 2 * 0 + 0.25 * -3 - 3, -1 * 0 + 1 * -3 + 1],
    ]
)


def test_dense_forward_known_values():
    A, Z = dense_forward(X, W, b)
    assert_allclose(Z, [[-1.0, -0.5, 2.0], [-0.5, -4.875, 2.5], [3.5, -3.75, -2.0]])
    assert_allclose(Z, Z_EXPECTED)
    assert_allclose(A, Z)


@pytest.mark.parametrize(
    "activation, f",
    [
        ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
        ("tanh", np.tanh),
        ("relu", lambda z: np.maximum(z, 0)),
        ("identity", lambda z: z),
    ],
)
def test_dense_forward_applies_activation(activation, f):
    A, Z = dense_forward(X, W, b, activation=activation)
    assert_allclose(Z, Z_EXPECTED, rtol=0, atol=1e-15)
    assert_allclose(A, f(Z_EXPECTED), rtol=1e-14)
    assert A.shape == Z.shape == (3, 3)


def test_dense_forward_one_sample_is_source_formula():
    # The source writes y = f(Wx + b) for one column vector x.
    x = np.array([1.0, 2.0])
    A, _ = dense_forward(x[None, :], W, b, activation="tanh")
    assert_allclose(A[0], np.tanh(W @ x + b), rtol=1e-15)


def test_dense_backward_known_values():
    dA = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, 0.0, 1.0]])
    dX, dW, db = dense_backward(dA, X, W, Z_EXPECTED, activation="relu")
    # ReLU'(Z): Z > 0 only at (0, 2), (1, 2), (2, 0).
    dZ = np.array([[0.0, 0.0, -1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert_allclose(dW, dZ.T @ X)
    assert_allclose(dW, [[0, 0], [0, 0], [-1.0, -2.0]])
    assert_allclose(db, [0.0, 0.0, -1.0])
    assert_allclose(dX, [[1.0, -1.0], [0, 0], [0, 0]])


def test_dense_backward_relu_kink_passes_no_gradient():
    Z = np.array([[0.0]])
    dX, dW, db = dense_backward(np.array([[1.0]]), np.array([[2.0]]), np.array([[3.0]]),
                                Z, activation="relu")
    assert dX[0, 0] == 0.0 and dW[0, 0] == 0.0 and db[0] == 0.0


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@settings(derandomize=True, deadline=None, max_examples=12)
@given(
    n_samples=st.integers(1, 5),
    n_inputs=st.integers(1, 4),
    n_units=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_dense_backward_matches_central_differences(n_samples, n_inputs, n_units,
                                                    activation, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_inputs))
    W = rng.normal(size=(n_units, n_inputs))
    b = rng.normal(size=n_units)
    dA = rng.normal(size=(n_samples, n_units))
    _, Z = dense_forward(X, W, b, activation)
    assume(activation != "relu" or np.min(np.abs(Z)) > 1e-4)  # away from the kink

    # A scalar whose gradient with respect to A is exactly dA.
    def scalar(X_, W_, b_):
        return float(np.sum(dA * dense_forward(X_, W_, b_, activation)[0]))

    dX, dW, db = dense_backward(dA, X, W, Z, activation)
    assert relative_error(dX, numerical_gradient(lambda v: scalar(v, W, b), X)) < 1e-7
    assert relative_error(dW, numerical_gradient(lambda v: scalar(X, v, b), W)) < 1e-7
    assert relative_error(db, numerical_gradient(lambda v: scalar(X, W, v), b)) < 1e-7
    assert dX.shape == X.shape and dW.shape == W.shape and db.shape == b.shape


# ----------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "args, match",
    [
        ((X[:, :1], W, b),
         r"X has 1 features \(shape \(3, 1\)\) but W has shape \(3, 2\)"),
        ((X, W, b[:2]), r"b has shape \(2,\) but W has shape \(3, 2\), so b must have "
         r"shape \(3,\)"),
        ((X, W, b[None, :]), r"b must have 1 dimension\(s\), got shape \(1, 3\)"),
        ((X[0], W, b), r"X must have 2 dimension\(s\), got shape \(2,\)"),
        ((X, W[0], b), r"W must have 2 dimension\(s\), got shape \(2,\)"),
        ((np.full((3, 2), np.nan), W, b), r"X must be finite, got 6 NaN"),
        ((X, np.where(W > 1, np.inf, W), b), r"W must be finite"),
    ],
)
def test_dense_forward_rejects_bad_shapes(args, match):
    with pytest.raises(ValueError, match=match):
        dense_forward(*args)


def test_dense_forward_rejects_unknown_activation():
    match = r"name must be one of .*'relu'.*; got 'softplus'"
    with pytest.raises(ValueError, match=match):
        dense_forward(X, W, b, activation="softplus")
    with pytest.raises(TypeError, match="name must be a string"):
        dense_forward(X, W, b, activation=None)


def test_dense_forward_rejects_non_numeric():
    with pytest.raises(TypeError, match="X must contain real numbers"):
        dense_forward([["a", "b"]], W, b)


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((3, 2)), X, W, Z_EXPECTED), r"dA has shape \(3, 2\) but X of shape "
         r"\(3, 2\) and W of shape \(3, 2\) need \(n_samples, n_units\) = \(3, 3\)"),
        ((np.ones((3, 3)), X, W, Z_EXPECTED[:2]), r"Z has shape \(2, 3\)"),
        ((np.ones((3, 3)), X[:, :1], W, Z_EXPECTED), r"X has 1 features"),
        ((np.ones(3), X, W, Z_EXPECTED), r"dA must have 2 dimension"),
        ((np.full((3, 3), np.nan), X, W, Z_EXPECTED), r"dA must be finite"),
    ],
)
def test_dense_backward_rejects_bad_shapes(args, match):
    with pytest.raises(ValueError, match=match):
        dense_backward(*args)


def test_dense_backward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="got 'softmax'"):
        dense_backward(np.ones((3, 3)), X, W, Z_EXPECTED, activation="softmax")
