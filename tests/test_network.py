"""Tests of mathlib.network: initialisation, forward values, full backprop."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mathlib.gradcheck import numerical_gradient, relative_error
from mathlib.layers import dense_backward, dense_forward
from mathlib.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    categorical_cross_entropy_with_logits,
    categorical_cross_entropy_with_logits_grad,
    mse,
    mse_grad,
    one_hot,
)
from mathlib.network import backward, check_params, forward, init_params

ACTIVATION_NAMES = ["identity", "sigmoid", "tanh", "relu"]

# A 2-2-1 network small enough to compute by hand.
PARAMS = [
    {"W": np.array([[1.0, 0.0], [0.0, -1.0]]), "b": np.array([0.0, 1.0])},
    {"W": np.array([[2.0, 3.0]]), "b": np.array([-1.0])},
]
X_TINY = np.array([[1.0, 2.0], [0.5, -1.0]])


# ---------------------------------------------------------------- init_params


def test_init_params_shapes_and_zero_biases():
    params = init_params([3, 5, 4, 2], seed=1)
    assert [p["W"].shape for p in params] == [(5, 3), (4, 5), (2, 4)]
    assert [p["b"].shape for p in params] == [(5,), (4,), (2,)]
    for p in params:
        assert_array_equal(p["b"], 0.0)


@pytest.mark.parametrize(
    "init, limit",
    [
        ("glorot_uniform", lambda n_in, n_out: np.sqrt(6 / (n_in + n_out))),
        ("he_uniform", lambda n_in, n_out: np.sqrt(6 / n_in)),
    ],
)
def test_init_params_uniform_ranges(init, limit):
    params = init_params([40, 60, 30], init=init, seed=3)
    for p, (n_in, n_out) in zip(params, [(40, 60), (60, 30)]):
        r = limit(n_in, n_out)
        W = p["W"]
        assert np.abs(W).max() <= r
        assert np.abs(W).max() > 0.98 * r  # fills the range
        # Variance of U(-r, r) is r^2 / 3.
        assert abs(W.var() / (r**2 / 3) - 1) < 0.1
        assert abs(W.mean()) < 0.05 * r


def test_init_params_keras_dense_one_is_sqrt3():
    draws = np.array([init_params([1, 1], seed=s)[0]["W"][0, 0] for s in range(500)])
    assert np.abs(draws).max() <= np.sqrt(3)
    assert np.abs(draws).max() > 0.95 * np.sqrt(3)


def test_init_params_zeros_and_seeding():
    for p in init_params([2, 3, 1], init="zeros"):
        assert_array_equal(p["W"], 0.0)
    a, b = init_params([2, 3, 1], seed=7), init_params([2, 3, 1], seed=7)
    c = init_params([2, 3, 1], seed=8)
    assert_array_equal(a[0]["W"], b[0]["W"])
    assert not np.array_equal(a[0]["W"], c[0]["W"])
    # The documented recipe: one rng.uniform draw per layer, in order.
    rng = np.random.default_rng(7)
    r = np.sqrt(6 / 5)
    assert_array_equal(a[0]["W"], rng.uniform(-r, r, size=(3, 2)))
    assert_array_equal(a[1]["W"], rng.uniform(-np.sqrt(1.5), np.sqrt(1.5), size=(1, 3)))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"layer_sizes": [2]}, ValueError, r"at least 2 entries .* got \[2\]"),
        ({"layer_sizes": [2, 0]}, ValueError, r"layer_sizes\[1\] must be >= 1, got 0"),
        ({"layer_sizes": [2, 2.5]}, TypeError, r"layer_sizes\[1\] must be an integer"),
        ({"layer_sizes": 3}, TypeError, "layer_sizes must be a sequence"),
        ({"layer_sizes": "21"}, TypeError, "layer_sizes must be a sequence"),
        ({"layer_sizes": [2, 1], "init": "normal"}, ValueError,
         r"init must be one of 'glorot_uniform', 'he_uniform', 'zeros'; got 'normal'"),
        ({"layer_sizes": [2, 1], "seed": -1}, ValueError, r"seed must be >= 0, got -1"),
        ({"layer_sizes": [2, 1], "seed": 1.0}, TypeError, "seed must be an integer"),
    ],
)
def test_init_params_rejects_bad_input(kwargs, error, match):
    layer_sizes = kwargs.pop("layer_sizes")
    with pytest.raises(error, match=match):
        init_params(layer_sizes, **kwargs)


# -------------------------------------------------------------------- forward


def test_forward_known_values_relu():
    y_hat, cache = forward(PARAMS, X_TINY, activation="relu")
    # Sample 1: Z1 = [1, -2 + 1] = [1, -1], A1 = [1, 0], y = 2*1 + 3*0 - 1 = 1.
    # Sample 2: Z1 = [0.5, 1 + 1] = [0.5, 2], A1 = [0.5, 2], y = 1 + 6 - 1 = 6.
    assert_allclose(y_hat, [[1.0], [6.0]])
    assert_allclose(cache["Z"][0], [[1.0, -1.0], [0.5, 2.0]])
    assert_allclose(cache["A"][1], [[1.0, 0.0], [0.5, 2.0]])
    assert cache["A"][0] is not None and cache["activations"] == ["relu", "identity"]


def test_forward_known_values_tanh_and_sigmoid_output():
    y_hat, _ = forward(PARAMS, X_TINY[:1], activation="tanh")
    # 2 tanh(1) + 3 tanh(-1) - 1 = -tanh(1) - 1
    assert_allclose(y_hat, [[-np.tanh(1.0) - 1.0]], rtol=1e-15)
    p, _ = forward(PARAMS, X_TINY[:1], activation="tanh", output_activation="sigmoid")
    assert_allclose(p, [[1 / (1 + np.exp(np.tanh(1.0) + 1.0))]], rtol=1e-14)


def test_forward_equals_dense_forward_layer_by_layer():
    params = init_params([3, 4, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    A1, _ = dense_forward(X, params[0]["W"], params[0]["b"], "sigmoid")
    A2, _ = dense_forward(A1, params[1]["W"], params[1]["b"], "identity")
    assert_allclose(forward(params, X, activation="sigmoid")[0], A2, rtol=1e-15)


def test_backward_equals_dense_backward_chain():
    params = init_params([3, 4, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    d_y_hat = np.random.default_rng(1).normal(size=(5, 2))
    y_hat, cache = forward(params, X, activation="tanh")
    grads, dX = backward(params, cache, d_y_hat)
    dA1, dW2, db2 = dense_backward(d_y_hat, cache["A"][1], params[1]["W"],
                                   cache["Z"][1])
    dX_ref, dW1, db1 = dense_backward(dA1, X, params[0]["W"], cache["Z"][0], "tanh")
    assert_allclose(grads[1]["W"], dW2, rtol=1e-14)
    assert_allclose(grads[1]["b"], db2, rtol=1e-14)
    assert_allclose(grads[0]["W"], dW1, rtol=1e-14)
    assert_allclose(grads[0]["b"], db1, rtol=1e-14)
    assert_allclose(dX, dX_ref, rtol=1e-14)


def _task_loss(task, y, n_outputs):
    """(loss(y_hat), grad(y_hat)) of a task, from mathlib.losses."""
    if task == "binary":
        Y = y[:, None].astype(float)
        return (lambda Z: binary_cross_entropy_with_logits(Y, Z),
                lambda Z: binary_cross_entropy_with_logits_grad(Y, Z))
    if task == "multiclass":
        Y = one_hot(y, n_outputs)
        return (lambda Z: categorical_cross_entropy_with_logits(Y, Z),
                lambda Z: categorical_cross_entropy_with_logits_grad(Y, Z))
    Y = y.reshape(-1, n_outputs)
    return (lambda Z: mse(Y, Z), lambda Z: mse_grad(Y, Z))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@settings(derandomize=True, deadline=None, max_examples=8)
@given(
    n_samples=st.integers(1, 6),
    n_features=st.integers(1, 3),
    n_hidden=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_backward_matches_central_differences(n_samples, n_features, n_hidden,
                                              activation, task, seed):
    rng = np.random.default_rng(seed)
    n_outputs = {"binary": 1, "multiclass": 3, "regression": 2}[task]
    params = init_params([n_features, n_hidden, n_outputs], seed=int(seed % 1000))
    for p in params:  # non-zero biases, so that their gradients are tested
        p["b"] = rng.normal(size=p["b"].shape)
    X = rng.normal(size=(n_samples, n_features))
    if task == "regression":
        y = rng.normal(size=n_samples * n_outputs)
    else:
        y = rng.integers(0, 2 if task == "binary" else 3, size=n_samples)
    loss, loss_grad = _task_loss(task, y, n_outputs)

    y_hat, cache = forward(params, X, activation=activation)
    assume(activation != "relu" or np.min(np.abs(cache["Z"][0])) > 1e-4)
    grads, dX = backward(params, cache, loss_grad(y_hat))

    def loss_with(layer, key, value):
        changed = [dict(p) for p in params]
        changed[layer][key] = value
        return loss(forward(changed, X, activation=activation)[0])

    for layer in range(2):
        for key in ("W", "b"):
            numeric = numerical_gradient(
                lambda v: loss_with(layer, key, v), params[layer][key]
            )
            assert grads[layer][key].shape == params[layer][key].shape
            assert relative_error(grads[layer][key], numeric) < 1e-6, (layer, key)
    numeric_dX = numerical_gradient(
        lambda v: loss(forward(params, v, activation=activation)[0]), X
    )
    assert relative_error(dX, numeric_dX) < 1e-6


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_backward_with_sigmoid_output_and_probability_loss(activation):
    rng = np.random.default_rng(5)
    params = init_params([2, 3, 1], seed=5)
    X = rng.normal(size=(4, 2))
    Y = np.array([[1.0], [0.0], [1.0], [0.0]])

    def loss(X_, params_):
        p, _ = forward(params_, X_, activation=activation, output_activation="sigmoid")
        return binary_cross_entropy(Y, p)

    p, cache = forward(params, X, activation=activation, output_activation="sigmoid")
    grads, dX = backward(params, cache, binary_cross_entropy_grad(Y, p))
    numeric = numerical_gradient(
        lambda W: loss(X, [params[0], {"W": W, "b": params[1]["b"]}]), params[1]["W"]
    )
    assert relative_error(grads[1]["W"], numeric) < 1e-6
    assert relative_error(dX, numerical_gradient(lambda v: loss(v, params), X)) < 1e-6


def test_deeper_network_backward():
    rng = np.random.default_rng(2)
    params = init_params([2, 4, 3, 2], seed=2)
    X = rng.normal(size=(6, 2))
    y = rng.normal(size=(6, 2))
    y_hat, cache = forward(params, X, activation="tanh")
    grads, dX = backward(params, cache, mse_grad(y, y_hat))
    numeric = numerical_gradient(
        lambda W: mse(y, forward([{"W": W, "b": params[0]["b"]}, *params[1:]], X)[0]),
        params[0]["W"],
    )
    assert len(grads) == 3
    assert relative_error(grads[0]["W"], numeric) < 1e-6


# ----------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "params, X, error, match",
    [
        (PARAMS, np.ones((2, 3)), ValueError,
         r"X has 3 features \(shape \(2, 3\)\) but the first layer's W has "
         r"shape \(2, 2\)"),
        (PARAMS, np.ones(2), ValueError, r"X must have 2 dimension"),
        (PARAMS, np.array([[np.nan, 1.0]]), ValueError, r"X must be finite"),
        ([], X_TINY, TypeError, r"params must be a non-empty list"),
        ({"W": 1}, X_TINY, TypeError, r"params must be a non-empty list"),
        ([{"W": np.eye(2)}], X_TINY, TypeError,
         r"params\[0\] must be a dict with keys 'W' and 'b'"),
        ([{"W": np.eye(2), "b": np.zeros(3)}], X_TINY, ValueError,
         r'params\[0\]\["b"\] has shape \(3,\) but params\[0\]\["W"\] has '
         r"shape \(2, 2\)"),
        ([PARAMS[0], {"W": np.ones((1, 3)), "b": np.zeros(1)}], X_TINY, ValueError,
         r'params\[1\]\["W"\] has shape \(1, 3\), i.e. 3 inputs, but layer 0 '
         r"has 2 units"),
        ([{"W": np.array([[np.inf, 0.0]]), "b": np.zeros(1)}], X_TINY, ValueError,
         r'params\[0\]\["W"\] must be finite'),
    ],
)
def test_forward_rejects_bad_input(params, X, error, match):
    with pytest.raises(error, match=match):
        forward(params, X)


def test_forward_rejects_unknown_activations():
    with pytest.raises(ValueError, match="got 'swish'"):
        forward(PARAMS, X_TINY, activation="swish")
    with pytest.raises(ValueError, match="got 'softmax'"):
        forward(PARAMS, X_TINY, output_activation="softmax")


def test_backward_rejects_bad_input():
    y_hat, cache = forward(PARAMS, X_TINY)
    with pytest.raises(ValueError, match=r"d_y_hat must have 2 dimension"):
        backward(PARAMS, cache, np.ones(2))
    match = (
        r"d_y_hat has shape \(3, 1\) but y_hat has "
        r"shape \(2, 1\)"
    )
    with pytest.raises(ValueError, match=match):
        backward(PARAMS, cache, np.ones((3, 1)))
    with pytest.raises(ValueError, match="d_y_hat must be finite"):
        backward(PARAMS, cache, np.full((2, 1), np.nan))
    with pytest.raises(TypeError, match="cache must be the dict returned by"):
        backward(PARAMS, [cache], np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"cache holds 2 layer\(s\) but params has 1"):
        backward(PARAMS[:1], cache, np.ones((2, 1)))
    other = init_params([2, 3, 1])
    with pytest.raises(ValueError, match=r"pass the cache of these params"):
        backward(other, cache, np.ones((2, 1)))


def test_check_params_returns_float_arrays():
    Ws, bs = check_params([{"W": [[1, 2]], "b": [3]}])
    assert Ws[0].dtype == np.float64 and bs[0].dtype == np.float64
