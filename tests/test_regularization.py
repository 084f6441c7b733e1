"""Tests of mathlib.regularization: values, (sub)gradients, structure, bad input."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathlib.gradcheck import numerical_gradient
from mathlib.regularization import (
    PENALTY_KINDS,
    l1_penalty,
    l1_penalty_grad,
    l2_penalty,
    l2_penalty_grad,
    penalty,
    penalty_grad,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)


def weight_arrays(low=-5.0, high=5.0):
    return hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5),
        elements=st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


# Known values


def test_l1_known_values():
    W1, W2 = np.array([[1.0, -2.0], [0.0, 0.5]]), np.array([[-3.0]])
    assert l1_penalty(W1, 2.0) == pytest.approx(2.0 * 3.5)
    assert l1_penalty([W1, W2], 2.0) == pytest.approx(2.0 * 6.5)
    assert l1_penalty(W1, 0.0) == 0.0


def test_l2_known_values():
    W1, W2 = np.array([[3.0, -4.0]]), np.array([1.0])
    assert l2_penalty(W1, 0.1) == pytest.approx(0.05 * 25.0)
    assert l2_penalty((W1, W2), 2.0) == pytest.approx(26.0)


def test_l1_subgradient_is_zero_at_zero():
    grad = l1_penalty_grad(np.array([-2.0, 0.0, -0.0, 1e-300]), 0.3)
    np.testing.assert_array_equal(grad, [-0.3, 0.0, 0.0, 0.3])


def test_l2_grad_known_values():
    assert_allclose(l2_penalty_grad(np.array([[3.0, -4.0]]), 0.5), [[1.5, -2.0]])


def test_penalty_dispatch():
    W = [np.array([[3.0, -4.0]]), np.array([[1.0]])]
    assert penalty("l1", W, 0.5) == l1_penalty(W, 0.5) == 4.0
    assert penalty("l2", W, 0.5) == l2_penalty(W, 0.5) == 6.5
    assert penalty("none", W, 0.5) == 0.0
    assert PENALTY_KINDS == ("none", "l1", "l2")


def test_penalty_grad_dispatch_and_none_is_zeros():
    W = [np.array([[3.0, -4.0]]), np.array([[1.0]])]
    for got, want in zip(
        penalty_grad("l1", W, 0.5), l1_penalty_grad(W, 0.5), strict=True
    ):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(
        penalty_grad("l2", W, 0.5), l2_penalty_grad(W, 0.5), strict=True
    ):
        np.testing.assert_array_equal(got, want)
    zeros = penalty_grad("none", W, 0.5)
    assert [z.shape for z in zeros] == [(1, 2), (1, 1)]
    assert all(np.all(z == 0) for z in zeros)


@pytest.mark.parametrize("grad_fn", [l1_penalty_grad, l2_penalty_grad])
def test_gradient_keeps_the_structure(grad_fn):
    W1, W2 = np.ones((2, 3)), np.ones((1, 2))
    assert isinstance(grad_fn(W1, 1.0), np.ndarray)
    as_list = grad_fn([W1, W2], 1.0)
    assert isinstance(as_list, list) and [g.shape for g in as_list] == [(2, 3), (1, 2)]
    as_tuple = grad_fn((W1, W2), 1.0)
    assert isinstance(as_tuple, tuple) and len(as_tuple) == 2
    assert isinstance(penalty_grad("none", (W1, W2), 1.0), tuple)


@pytest.mark.parametrize("fn", [l1_penalty_grad, l2_penalty_grad])
def test_weights_are_not_modified(fn):
    W = np.array([[1.0, -2.0]])
    fn(W, 3.0)[0, 0] = 99.0  # writing to the gradient must not touch W
    np.testing.assert_array_equal(W, [[1.0, -2.0]])


# Gradients against central differences


@SETTINGS
@given(W=weight_arrays(), strength=st.floats(0.0, 3.0))
def test_l2_grad_matches_central_differences(W, strength):
    numeric = numerical_gradient(lambda t: l2_penalty(t, strength), W)
    assert_allclose(l2_penalty_grad(W, strength), numeric, rtol=1e-6, atol=1e-7)


@SETTINGS
@given(W=weight_arrays(), strength=st.floats(0.0, 3.0))
def test_l1_grad_matches_central_differences_away_from_zero(W, strength):
    W = np.where(np.abs(W) < 1e-3, 1.0, W)  # |w| has a kink at 0
    numeric = numerical_gradient(lambda t: l1_penalty(t, strength), W)
    assert_allclose(l1_penalty_grad(W, strength), numeric, rtol=1e-6, atol=1e-7)


@SETTINGS
@given(W1=weight_arrays(), W2=weight_arrays(), kind=st.sampled_from(["l1", "l2"]))
def test_list_penalty_is_sum_over_layers(W1, W2, kind):
    assert penalty(kind, [W1, W2], 0.7) == pytest.approx(
        penalty(kind, W1, 0.7) + penalty(kind, W2, 0.7), rel=1e-12, abs=1e-300
    )


@SETTINGS
@given(
    W=weight_arrays(),
    strength=st.floats(0.0, 3.0),
    kind=st.sampled_from(PENALTY_KINDS),
)
def test_penalties_are_nonnegative_and_linear_in_strength(W, strength, kind):
    assert penalty(kind, W, strength) >= 0.0
    assert penalty(kind, W, 2 * strength) == pytest.approx(
        2 * penalty(kind, W, strength), rel=1e-12, abs=1e-300
    )


# Bad input

ALL = [l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad]


@pytest.mark.parametrize("fn", ALL)
def test_negative_strength(fn):
    with pytest.raises(ValueError, match=r"strength must be >= 0, got -0.1"):
        fn(np.ones(2), -0.1)


@pytest.mark.parametrize("fn", ALL)
@pytest.mark.parametrize(
    "strength, error",
    [
        ("0.1", TypeError),
        (None, TypeError),
        (True, TypeError),
        (float("nan"), ValueError),
    ],
)
def test_bad_strength_type(fn, strength, error):
    with pytest.raises(error, match=r"strength must be"):
        fn(np.ones(2), strength)


@pytest.mark.parametrize("fn", ALL)
def test_bad_weights(fn):
    with pytest.raises(ValueError, match=r"weights\[1\] must be finite"):
        fn([np.ones(2), np.array([np.nan])], 1.0)
    with pytest.raises(ValueError, match=r"weights must be finite"):
        fn(np.array([np.inf]), 1.0)
    with pytest.raises(ValueError, match=r"non-empty list"):
        fn([], 1.0)
    with pytest.raises(ValueError, match=r"weights must not be empty"):
        fn(np.zeros((0, 3)), 1.0)
    with pytest.raises(TypeError, match=r"weights must contain real numbers"):
        fn("W", 1.0)


@pytest.mark.parametrize("fn", [penalty, penalty_grad])
def test_unknown_kind(fn):
    msg = r"kind must be one of 'none', 'l1', 'l2'; got 'L2'"
    with pytest.raises(ValueError, match=msg):
        fn("L2", np.ones(2), 1.0)


@pytest.mark.parametrize("fn", [penalty, penalty_grad])
def test_none_still_validates(fn):
    with pytest.raises(ValueError, match=r"strength must be >= 0"):
        fn("none", np.ones(2), -1.0)
    with pytest.raises(ValueError, match=r"weights must be finite"):
        fn("none", np.array([np.nan]), 1.0)


# --- soft thresholding ------------------------------------------------------


def test_soft_threshold_known_values():
    from mathlib.regularization import soft_threshold

    v = np.array([-2.5, -1.0, -0.4, 0.0, 0.7, 1.8])
    expected = np.array([-1.5, 0.0, 0.0, 0.0, 0.0, 0.8])
    np.testing.assert_allclose(soft_threshold(v, 1.0), expected, atol=0)


def test_soft_threshold_minimizes_squared_distance_plus_l1_on_a_grid():
    from mathlib.regularization import l1_penalty, soft_threshold

    grid = np.linspace(-3, 3, 6001)
    for v in (-2.2, -0.3, 0.0, 0.9, 2.6):
        penalty_on_grid = np.array([l1_penalty(np.array([w]), 0.8) for w in grid])
        objective = 0.5 * (grid - v) ** 2 + penalty_on_grid
        assert abs(grid[np.argmin(objective)] - soft_threshold(v, 0.8)) <= 1e-3


def test_soft_threshold_zero_threshold_is_identity_and_rejects_negative():
    from mathlib.regularization import soft_threshold

    v = np.array([-1.5, 0.25, 3.0])
    np.testing.assert_array_equal(soft_threshold(v, 0.0), v)
    with pytest.raises(ValueError, match="threshold must be >= 0, got -0.1"):
        soft_threshold(v, -0.1)
    with pytest.raises(ValueError, match="v must be finite"):
        soft_threshold(np.array([np.nan]), 0.5)
