"""Tests of mathlib.activations: values, derivatives, stability, bad input."""

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathlib.activations import (
    ACTIVATIONS,
    get_activation,
    identity,
    identity_grad,
    log_softmax,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    tanh,
    tanh_grad,
)
from mathlib.gradcheck import numerical_gradient

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)
ELEMENTWISE = [
    (sigmoid, sigmoid_grad),
    (tanh, tanh_grad),
    (relu, relu_grad),
    (identity, identity_grad),
]


def z_arrays(low=-6.0, high=6.0, max_dims=2):
    """Random float64 arrays of 1 to ``max_dims`` dimensions, sides 1..5."""
    return hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=5),
        elements=st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


# Known values, computed by hand


def test_sigmoid_known_values():
    z = np.array([0.0, 1.0, -1.0, math.log(3.0)])
    expected = [0.5, 1 / (1 + math.exp(-1)), 1 / (1 + math.e), 0.75]
    assert_allclose(sigmoid(z), expected, rtol=1e-15)


def test_sigmoid_grad_known_values():
    # sigma(ln 3) = 3/4, so the slope is 3/4 * 1/4.
    assert_allclose(sigmoid_grad(np.array([0.0, math.log(3.0)])), [0.25, 3 / 16])


def test_tanh_and_grad_known_values():
    assert_allclose(tanh(np.array([0.0, 1.0])), [0.0, math.tanh(1.0)], rtol=1e-15)
    # tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5, so 1 - tanh^2 = 16/25.
    assert_allclose(tanh_grad(math.log(2.0)), 16 / 25, rtol=1e-14)


def test_tanh_is_rescaled_sigmoid():
    z = np.linspace(-5, 5, 11)
    assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-15)


def test_relu_and_grad_known_values():
    z = np.array([-3.0, -0.0, 0.0, 1e-300, 2.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 0.0, 1e-300, 2.0])
    np.testing.assert_array_equal(relu_grad(z), [0.0, 0.0, 0.0, 1.0, 1.0])


def test_relu_grad_is_zero_at_zero():
    assert relu_grad(0.0) == 0.0
    assert relu_grad(np.zeros((2, 3))).sum() == 0.0


def test_identity_and_grad():
    z = np.array([[1.5, -2.0]])
    out = identity(z)
    np.testing.assert_array_equal(out, z)
    assert out is not z
    np.testing.assert_array_equal(identity_grad(z), np.ones((1, 2)))


def test_softmax_known_values():
    z = np.array([[0.0, math.log(3.0)], [5.0, 5.0]])
    assert_allclose(softmax(z), [[0.25, 0.75], [0.5, 0.5]], rtol=1e-15)


def test_softmax_axis_0():
    z = np.array([[0.0, 1.0], [math.log(3.0), 1.0]])
    assert_allclose(softmax(z, axis=0), [[0.25, 0.5], [0.75, 0.5]], rtol=1e-15)


def test_log_softmax_known_values():
    z = np.array([0.0, math.log(3.0)])
    assert_allclose(log_softmax(z), [math.log(0.25), math.log(0.75)], rtol=1e-14)


def test_scalar_input_gives_scalar_output():
    for f, f_grad in ELEMENTWISE:
        assert np.ndim(f(0.3)) == 0
        assert np.ndim(f_grad(0.3)) == 0


def test_float32_is_preserved():
    z = np.array([-1.0, 0.0, 2.0], dtype=np.float32)
    for f, f_grad in ELEMENTWISE:
        assert f(z).dtype == np.float32
        assert f_grad(z).dtype == np.float32


def test_input_is_not_modified():
    z = np.array([-1.0, 0.0, 2.0])
    before = z.copy()
    for f, f_grad in ELEMENTWISE:
        f(z)
        f_grad(z)
    softmax(z)
    log_softmax(z)
    np.testing.assert_array_equal(z, before)


# Registry


def test_activations_registry():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "identity"}
    assert get_activation("tanh") == (tanh, tanh_grad)
    assert get_activation("relu") == (relu, relu_grad)


def test_get_activation_unknown_name_lists_options():
    with pytest.raises(ValueError, match=r"name must be one of .*'relu'.*got 'Relu'"):
        get_activation("Relu")


def test_get_activation_requires_string():
    with pytest.raises(TypeError, match=r"name must be a string"):
        get_activation(None)


# Derivatives against central differences


@SETTINGS
@given(z=z_arrays(), data=st.data())
def test_elementwise_gradients_match_central_differences(z, data):
    # Weight each output by a random v so that a wrong entry cannot hide.
    v = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(-2, 2)))
    z = np.where(np.abs(z) < 1e-3, 0.5, z)  # ReLU has a kink at 0: stay off it
    for f, f_grad in ELEMENTWISE:
        numeric = numerical_gradient(lambda t, f=f: float(np.sum(v * f(t))), z)
        assert_allclose(f_grad(z) * v, numeric, rtol=1e-5, atol=1e-7)


@SETTINGS
@given(z=z_arrays(-20, 20), axis=st.sampled_from([0, -1]), data=st.data())
def test_log_softmax_gradient_matches_central_differences(z, axis, data):
    # d/dz sum(v * log_softmax(z)) = v - softmax(z) * sum(v) along the axis.
    v = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(-2, 2)))
    numeric = numerical_gradient(
        lambda t: float(np.sum(v * log_softmax(t, axis=axis))), z
    )
    analytic = v - softmax(z, axis=axis) * np.sum(v, axis=axis, keepdims=True)
    assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


# Properties


@SETTINGS
@given(z=z_arrays(-1e3, 1e3))
def test_softmax_rows_are_probabilities_and_shift_invariant(z):
    p = softmax(z)
    assert np.all(p >= 0) and np.all(p <= 1)
    assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert_allclose(softmax(z + 123.0), p, rtol=1e-9, atol=1e-300)


@SETTINGS
@given(z=z_arrays(-30, 30))
def test_log_softmax_is_log_of_softmax(z):
    assert_allclose(log_softmax(z), np.log(softmax(z)), rtol=1e-10, atol=1e-12)


@SETTINGS
@given(z=z_arrays(-700, 700))
def test_sigmoid_matches_naive_formula_where_that_is_safe(z):
    assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14, atol=1e-300)
    assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)


# Stability


@pytest.mark.parametrize("big", [1e4, 1e300])
def test_stable_at_huge_inputs_without_warnings(big):
    z = np.array([-big, -1.0, 0.0, 1.0, big])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            s = sigmoid(z)
            ds = sigmoid_grad(z)
            t = tanh(z)
            dt = tanh_grad(z)
            p = softmax(np.array([[big, -big], [-big, big]]))
            lp = log_softmax(np.array([0.0, big]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.all(np.isfinite(ds)) and ds[0] == 0.0 and ds[-1] == 0.0
    assert t[0] == -1.0 and t[-1] == 1.0
    assert np.all(np.isfinite(dt))
    assert_allclose(p, [[1.0, 0.0], [0.0, 1.0]])
    assert_allclose(lp, [-big, 0.0])


def test_sigmoid_tail_is_not_rounded_to_zero_early():
    # The stable form keeps e^{-700} ~ 1e-304 instead of flushing it to 0.
    assert_allclose(sigmoid(-700.0), math.exp(-700.0), rtol=1e-12)


# Bad input


ALL_FUNCTIONS = [f for pair in ELEMENTWISE for f in pair] + [softmax, log_softmax]


@pytest.mark.parametrize("f", ALL_FUNCTIONS)
@pytest.mark.parametrize(
    "bad, error, pattern",
    [
        (np.array([0.0, np.nan]), ValueError, r"z must be finite"),
        (np.array([np.inf]), ValueError, r"z must be finite"),
        (np.array([]), ValueError, r"z must not be empty"),
        (np.array(["1"]), TypeError, r"z must contain real numbers"),
        (np.array([True]), TypeError, r"z must contain real numbers"),
    ],
)
def test_bad_z_raises(f, bad, error, pattern):
    with pytest.raises(error, match=pattern):
        f(bad)


@pytest.mark.parametrize("f", [softmax, log_softmax])
def test_softmax_bad_axis_and_scalar(f):
    with pytest.raises(ValueError, match=r"axis must be in \[-2, 1\].*got 2"):
        f(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"axis must be an integer"):
        f(np.zeros((2, 3)), axis=1.0)
    with pytest.raises(ValueError, match=r"at least 1 dimension"):
        f(1.0)
