"""Tests of mathlib.gradcheck against functions with known derivatives."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathlib.gradcheck import numerical_gradient, relative_error

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)


def arrays(low=-3.0, high=3.0):
    return hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
        elements=st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


# numerical_gradient


def test_known_gradient_of_a_cubic():
    x = np.array([1.0, -2.0, 0.5])
    assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)


def test_known_gradient_of_a_quadratic_form_on_a_matrix():
    # f(W) = sum(A * W) + 0.5 * ||W||^2 has gradient A + W.
    A = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]])
    W = np.array([[0.3, 0.1, -0.7], [2.0, -1.0, 0.0]])
    grad = numerical_gradient(lambda t: np.sum(A * t) + 0.5 * np.sum(t * t), W)
    assert grad.shape == (2, 3)
    assert_allclose(grad, A + W, rtol=1e-8, atol=1e-9)


def test_scalar_input():
    assert numerical_gradient(np.sin, 0.0) == pytest.approx(1.0, rel=1e-10)
    assert np.shape(numerical_gradient(np.sin, 0.0)) == ()


def test_integer_input_is_promoted_to_float():
    grad = numerical_gradient(lambda v: float(np.sum(v * v)), np.array([1, 2]))
    assert grad.dtype == np.float64
    assert_allclose(grad, [2.0, 4.0], rtol=1e-8)


def test_central_differences_are_second_order():
    # With h = 1e-3, central error ~ h^2/6 f''' ~ 1.7e-7; forward would be ~5e-4.
    h = 1e-3
    numeric = numerical_gradient(lambda v: float(np.exp(v[0])), np.array([0.0]), eps=h)
    assert abs(numeric[0] - 1.0) < 1e-6
    assert abs(numeric[0] - 1.0) == pytest.approx(h**2 / 6, rel=0.01)


def test_callers_array_is_not_modified():
    x = np.array([1.0, 2.0, 3.0])
    seen = []

    def f(v):
        seen.append(v)
        v[0] = 100.0  # a function that mutates its argument cannot corrupt x
        return float(np.sum(v))

    grad = numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    assert all(v is not x for v in seen)
    assert_allclose(grad, [0.0, 1.0, 1.0], atol=1e-6)


def test_float32_input_is_differentiated_in_float64():
    x = np.array([0.3, -0.2], dtype=np.float32)
    grad = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert grad.dtype == np.float64
    assert_allclose(grad, 2 * x.astype(np.float64), rtol=1e-7)


@SETTINGS
@given(x=arrays())
def test_matches_analytic_gradient_on_random_arrays(x):
    # f(x) = sum(sin(x) * x^2), f'(x) = cos(x) x^2 + 2 x sin(x).
    numeric = numerical_gradient(lambda v: float(np.sum(np.sin(v) * v**2)), x)
    analytic = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-8)
    # Relative error is only meaningful when the gradient is far above the
    # finite-difference noise (~1e-10); at x ~ 1e-6 the true gradient is 3e-12.
    if np.linalg.norm(analytic) > 1e-3:
        assert relative_error(analytic, numeric) < 1e-7


def test_detects_a_wrong_gradient():
    x = np.linspace(-1, 1, 5)
    numeric = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert relative_error(3 * x**2, numeric) < 1e-8
    assert relative_error(2 * x**2, numeric) > 1e-2  # a classic factor bug


@pytest.mark.parametrize(
    "f, x, kwargs, error, pattern",
    [
        ("not callable", np.ones(2), {}, TypeError, r"f must be callable, got str"),
        (np.sum, np.ones(2), {"eps": 0.0}, ValueError, r"eps must be > 0, got 0.0"),
        (np.sum, np.ones(2), {"eps": -1e-6}, ValueError, r"eps must be > 0"),
        (np.sum, np.array([1.0, np.nan]), {}, ValueError, r"x must be finite"),
        (np.sum, np.array([]), {}, ValueError, r"x must not be empty"),
        (np.sum, np.array(["a"]), {}, TypeError, r"x must contain real numbers"),
        (lambda v: v, np.ones(2), {}, TypeError, r"f must return a scalar.*\(2,\)"),
        (lambda v: "1", np.ones(2), {}, TypeError, r"f must return a real number"),
        (lambda v: np.inf, np.ones(2), {}, ValueError, r"f must return a finite value"),
    ],
)
def test_numerical_gradient_bad_input(f, x, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        numerical_gradient(f, x, **kwargs)


# relative_error


def test_relative_error_known_values():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error([1.0, -2.0], [-1.0, 2.0]) == pytest.approx(1.0)
    assert relative_error([0.0], [5.0]) == pytest.approx(1.0)
    # ||(0, 1)|| / (||(3, 4)|| + ||(3, 3)||)
    expected = 1 / (5 + np.sqrt(18))
    assert relative_error([3.0, 4.0], [3.0, 3.0]) == pytest.approx(expected)
    assert isinstance(relative_error(1.0, 1.0), float)


@SETTINGS
@given(data=st.data(), a=arrays(), scale=st.sampled_from([1e-6, 1.0, 1e6]))
def test_relative_error_is_scale_free_and_bounded(data, a, scale):
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=st.floats(-3, 3)))
    error = relative_error(a, b)
    assert 0.0 <= error <= 1.0
    scaled = relative_error(scale * a, scale * b)
    assert scaled == pytest.approx(error, rel=1e-9, abs=1e-15)
    assert relative_error(b, a) == pytest.approx(error, rel=1e-12, abs=1e-15)


def test_relative_error_bad_input():
    msg = r"numeric has shape \(3, 1\) but analytic has shape \(3,\)"
    with pytest.raises(ValueError, match=msg):
        relative_error(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"analytic must be finite"):
        relative_error([np.nan], [1.0])
    with pytest.raises(TypeError, match=r"numeric must contain real numbers"):
        relative_error([1.0], ["a"])
