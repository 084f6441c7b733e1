"""Tests of mathlib.optim: update rules and mini-batches."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mathlib.network import init_params
from mathlib.optim import gradient_descent_step, minibatch_indices, momentum_step


def test_gradient_descent_step_known_values():
    params = [{"W": np.array([[1.0, -2.0]]), "b": np.array([0.5])}]
    grads = [{"W": np.array([[4.0, 2.0]]), "b": np.array([-1.0])}]
    new = gradient_descent_step(params, grads, learning_rate=0.25)
    # W_new = W_old - alpha dLoss/dW: [1 - 1, -2 - 0.5], b_new = 0.5 + 0.25.
    assert_allclose(new[0]["W"], [[0.0, -2.5]])
    assert_allclose(new[0]["b"], [0.75])
    assert isinstance(new, list) and set(new[0]) == {"W", "b"}


def test_gradient_descent_step_does_not_modify_inputs():
    params = init_params([2, 3, 1], seed=0)
    before = [{k: v.copy() for k, v in p.items()} for p in params]
    grads = [{k: np.ones_like(v) for k, v in p.items()} for p in params]
    new = gradient_descent_step(params, grads, 0.1)
    for p, q, r in zip(params, before, new):
        assert_array_equal(p["W"], q["W"])
        assert_allclose(r["W"], q["W"] - 0.1)
        assert_allclose(r["b"], q["b"] - 0.1)


def test_gradient_descent_step_scalars_and_tuples():
    assert gradient_descent_step({"w": 1.0, "b": 0.0}, {"w": 2.0, "b": -4.0}, 0.5) == {
        "w": 0.0,
        "b": 2.0,
    }
    new = gradient_descent_step((np.array([1.0]), 3.0), (np.array([1.0]), 1.0), 1.0)
    assert isinstance(new, tuple) and new[1] == 2.0
    assert_allclose(new[0], [0.0])


def test_gradient_descent_step_lowers_a_quadratic():
    w = np.array([3.0, -1.0])
    loss = lambda v: float(np.sum(v**2))  # noqa: E731 - gradient 2v
    new = gradient_descent_step(w, 2 * w, 0.1)
    assert loss(new) < loss(w)
    assert_allclose(new, 0.8 * w)


@pytest.mark.parametrize(
    "learning_rate, error, match",
    [
        (0.0, ValueError, r"learning_rate must be > 0, got 0.0"),
        (-0.1, ValueError, r"learning_rate must be > 0, got -0.1"),
        (np.nan, ValueError, r"learning_rate must be finite, got nan"),
        (np.inf, ValueError, r"learning_rate must be finite, got inf"),
        ("0.1", TypeError, r"learning_rate must be a real number"),
    ],
)
def test_gradient_descent_step_rejects_bad_learning_rate(learning_rate, error, match):
    with pytest.raises(error, match=match):
        gradient_descent_step({"w": 1.0}, {"w": 1.0}, learning_rate)


def test_gradient_descent_step_rejects_mismatched_grads():
    params = init_params([2, 3, 1])
    match = (
        r"grads must have the same structure as params: "
        r"at the top level params is a sequence of length 2"
    )
    with pytest.raises(ValueError, match=match):
        gradient_descent_step(params, params[:1], 0.1)
    match = (
        r"at \[0\] params has keys \['W', 'b'\] but "
        r"grads has \['W'\]"
    )
    with pytest.raises(ValueError, match=match):
        gradient_descent_step(params, [{"W": params[0]["W"]}, params[1]], 0.1)
    bad = [{"W": np.ones((3, 1)), "b": np.ones(3)}, params[1]]
    match = (
        r"grads\[0\]\['W'\] has shape \(3, 1\) but "
        r"params\[0\]\['W'\] has shape \(3, 2\)"
    )
    with pytest.raises(ValueError, match=match):
        gradient_descent_step(params, bad, 0.1)
    nan = [{"W": np.full((3, 2), np.nan), "b": np.ones(3)}, params[1]]
    with pytest.raises(ValueError, match=r"grads\[0\]\['W'\] must be finite"):
        gradient_descent_step(params, nan, 0.1)


def test_momentum_step_known_values():
    p, v = momentum_step({"w": 1.0}, {"w": 1.0}, None, 0.1, 0.9)
    assert p == {"w": pytest.approx(0.9)} and v == {"w": pytest.approx(-0.1)}
    p, v = momentum_step(p, {"w": 1.0}, v, 0.1, 0.9)
    # v = 0.9 * -0.1 - 0.1 = -0.19; w = 0.9 - 0.19 = 0.71
    assert p["w"] == pytest.approx(0.71) and v["w"] == pytest.approx(-0.19)


def test_momentum_zero_is_gradient_descent():
    params = init_params([2, 4, 1], seed=3)
    grads = init_params([2, 4, 1], seed=4)
    p_m, _ = momentum_step(params, grads, None, 0.05, 0.0)
    p_gd = gradient_descent_step(params, grads, 0.05)
    for a, b in zip(p_m, p_gd):
        assert_allclose(a["W"], b["W"], rtol=0, atol=1e-15)


def test_momentum_accelerates_along_a_constant_gradient():
    # With a constant gradient g the step approaches alpha g / (1 - mu).
    w, v = np.array([0.0]), None
    for _ in range(200):
        w_old = w
        w, v = momentum_step(w, np.array([1.0]), v, 0.1, 0.9)
    assert_allclose(w_old - w, [0.1 / (1 - 0.9)], rtol=1e-6)


@pytest.mark.parametrize(
    "momentum, error, match",
    [
        (1.0, ValueError, r"momentum must be in \[0.0, 1.0\), got 1.0"),
        (-0.1, ValueError, r"momentum must be in \[0.0, 1.0\), got -0.1"),
        (np.nan, ValueError, r"momentum must be finite"),
        (None, TypeError, r"momentum must be a real number"),
    ],
)
def test_momentum_step_rejects_bad_momentum(momentum, error, match):
    with pytest.raises(error, match=match):
        momentum_step({"w": 1.0}, {"w": 1.0}, None, 0.1, momentum)


def test_momentum_step_rejects_bad_velocity_and_learning_rate():
    with pytest.raises(ValueError, match=r"velocity must have the same structure"):
        momentum_step({"w": 1.0}, {"w": 1.0}, {"v": 0.0}, 0.1, 0.5)
    with pytest.raises(ValueError, match=r"learning_rate must be > 0"):
        momentum_step({"w": 1.0}, {"w": 1.0}, None, 0.0, 0.5)


# -------------------------------------------------------------------- batches


def test_minibatch_indices_cover_every_index_once():
    rng = np.random.default_rng(0)
    for _ in range(5):
        batches = minibatch_indices(100, 32, rng)
        assert [len(batch) for batch in batches] == [32, 32, 32, 4]
        assert_array_equal(np.sort(np.concatenate(batches)), np.arange(100))


def test_minibatch_indices_reshuffle_and_reproduce():
    rng = np.random.default_rng(1)
    first, second = minibatch_indices(50, 10, rng), minibatch_indices(50, 10, rng)
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))
    again = minibatch_indices(50, 10, np.random.default_rng(1))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    # The order of a call is rng.permutation(n_samples).
    assert_array_equal(np.concatenate(first), np.random.default_rng(1).permutation(50))
    # An int seed gives the same batches every time.
    a, b = minibatch_indices(20, 6, 3), minibatch_indices(20, 6, 3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_minibatch_indices_edge_sizes():
    assert [len(b) for b in minibatch_indices(7, 100, 0)] == [7]
    assert [len(b) for b in minibatch_indices(7, 7, 0)] == [7]
    assert [len(b) for b in minibatch_indices(7, 1, 0)] == [1] * 7
    assert [len(b) for b in minibatch_indices(1, 3, 0)] == [1]


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((100, 0, 0), ValueError, r"batch_size must be >= 1, got 0"),
        ((100, -5, 0), ValueError, r"batch_size must be >= 1, got -5"),
        ((100, 2.5, 0), TypeError, r"batch_size must be an integer, got 2.5"),
        ((100, 32.0, 0), TypeError, r"batch_size must be an integer, got 32.0"),
        ((100, True, 0), TypeError, r"batch_size must be an integer, got True"),
        ((100, None, 0), TypeError, r"batch_size must be an integer, got None"),
        ((0, 4, 0), ValueError, r"n_samples must be >= 1, got 0"),
        ((10.0, 4, 0), TypeError, r"n_samples must be an integer"),
        ((10, 4, "seed"), TypeError, r"rng must be a numpy.random.Generator"),
        ((10, 4, np.random.RandomState(0)), TypeError, r"rng must be a numpy"),
        ((10, 4, -1), ValueError, r"rng must be >= 0, got -1"),
    ],
)
def test_minibatch_indices_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        minibatch_indices(*args)
