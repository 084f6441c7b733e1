"""Tests of mathlib.data: exact source data, seeding, geometry, splits, bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mathlib.data import (
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    noisy_line,
    seed_line,
    train_test_split,
)

GENERATORS = [make_moons, make_circles, make_xor, make_spirals]


# seed_line and noisy_line


def test_seed_line_is_the_source_data():
    x, y = seed_line()
    np.testing.assert_array_equal(x, np.linspace(-1, 1, 100))
    np.testing.assert_array_equal(y, 2 * np.linspace(-1, 1, 100) + 1)
    assert x.dtype == y.dtype == np.float64
    assert x[1] - x[0] == pytest.approx(2 / 99)


def test_noisy_line_without_noise_is_the_line():
    x, y = noisy_line(30, noise=0.0)
    np.testing.assert_array_equal(x, np.linspace(-1, 1, 30))
    assert_allclose(y, 2 * x + 1, rtol=0, atol=1e-15)


def test_noisy_line_noise_has_the_requested_spread():
    x, y = noisy_line(20000, noise=0.3, seed=5)
    residual = y - (2 * x + 1)
    assert abs(residual.mean()) < 0.01
    assert residual.std() == pytest.approx(0.3, rel=0.02)


def test_noisy_line_outliers_are_upward_and_counted():
    x, y = noisy_line(200, noise=0.0, outlier_fraction=0.05, outlier_scale=4.0, seed=2)
    shift = y - (2 * x + 1)
    moved = shift > 1e-12
    assert moved.sum() == 10
    assert np.all((shift[moved] >= 2.0) & (shift[moved] <= 6.0))


def test_noisy_line_is_seeded():
    a = noisy_line(50, noise=0.2, outlier_fraction=0.1, seed=7)
    b = noisy_line(50, noise=0.2, outlier_fraction=0.1, seed=7)
    c = noisy_line(50, noise=0.2, outlier_fraction=0.1, seed=8)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"n_samples": 1}, ValueError, r"n_samples must be >= 2, got 1"),
        ({"n_samples": 10.0}, TypeError, r"n_samples must be an integer"),
        ({"noise": -0.1}, ValueError, r"noise must be >= 0"),
        ({"outlier_fraction": 1.5}, ValueError, r"outlier_fraction .* \[0, 1\]"),
        ({"outlier_scale": -1.0}, ValueError, r"outlier_scale must be >= 0"),
        ({"seed": -1}, ValueError, r"seed must be >= 0"),
        ({"seed": None}, TypeError, r"seed must be an integer"),
    ],
)
def test_noisy_line_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        noisy_line(**kwargs)


# Two-feature classification generators


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n_samples", [2, 7, 200])
def test_generators_shapes_and_dtypes(make, n_samples):
    X, y = make(n_samples)
    assert X.shape == (n_samples, 2) and X.dtype == np.float64
    assert y.shape == (n_samples,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("make", [make_moons, make_circles, make_spirals])
def test_balanced_generators(make):
    _, y = make(201)
    assert np.count_nonzero(y == 0) == 100 and np.count_nonzero(y == 1) == 101


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_seeded(make):
    X1, y1 = make(50, seed=3)
    X2, y2 = make(50, seed=3)
    X3, _ = make(50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("make", [make_moons, make_circles, make_spirals])
def test_generators_are_shuffled(make):
    # Labels must not come sorted, or a minibatch would hold a single class.
    _, y = make(100)
    assert not np.all(np.diff(y) >= 0)


def test_moons_geometry_without_noise():
    X, y = make_moons(100, noise=0.0, seed=1)
    upper, lower = X[y == 0], X[y == 1]
    assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-12)
    assert np.all(upper[:, 1] >= 0)
    assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(lower[:, 1] <= 0.5)


def test_circles_geometry_without_noise():
    X, y = make_circles(100, noise=0.0, seed=1)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert_allclose(radius[y == 0], 1.0, rtol=1e-12)
    assert_allclose(radius[y == 1], 0.5, rtol=1e-12)


def test_xor_rule_without_noise():
    X, y = make_xor(300, noise=0.0, seed=1)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.all(np.abs(X) <= 1)
    assert 0.35 < y.mean() < 0.65


def test_spirals_geometry_without_noise():
    X, y = make_spirals(200, noise=0.0, seed=1)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.all((radius >= 0.05) & (radius <= 1))
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 3 * np.pi * radius + np.pi * y
    # Angles agree modulo a full turn.
    assert_allclose(np.cos(angle - expected), 1.0, atol=1e-9)


@pytest.mark.parametrize("make", GENERATORS)
def test_noise_moves_points(make):
    X0, _ = make(100, noise=0.0, seed=0)
    X1, _ = make(100, noise=0.2, seed=0)
    assert 0.05 < np.abs(X1 - X0).mean() < 0.5


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"n_samples": 1}, ValueError, r"n_samples must be >= 2"),
        ({"n_samples": "10"}, TypeError, r"n_samples must be an integer"),
        ({"noise": -1.0}, ValueError, r"noise must be >= 0"),
        ({"noise": float("nan")}, ValueError, r"noise must be finite"),
        ({"seed": 1.5}, TypeError, r"seed must be an integer"),
    ],
)
def test_generators_bad_arguments(make, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        make(**kwargs)


# train_test_split


def test_split_sizes_and_partition():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.25)
    assert X_train.shape == (15, 2) and X_test.shape == (5, 2)
    assert y_train.shape == (15,) and y_test.shape == (5,)

    # Rows stay paired with their labels, and every sample is used once.
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    np.testing.assert_array_equal(np.sort(np.r_[y_train, y_test]), y)


def test_split_is_seeded_and_shuffled():
    X, y = np.arange(30.0), np.arange(30)
    first = train_test_split(X, y, seed=1)
    again = train_test_split(X, y, seed=1)
    other = train_test_split(X, y, seed=2)
    np.testing.assert_array_equal(first[3], again[3])
    assert not np.array_equal(first[3], other[3])
    assert not np.array_equal(first[2], np.sort(first[2]))


def test_split_keeps_dtypes_and_does_not_modify_inputs():
    X, y = make_moons(40)
    X_before, y_before = X.copy(), y.copy()
    X_train, _, y_train, _ = train_test_split(X, y, test_fraction=0.5)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize(
    "X, y, kwargs, error, pattern",
    [
        (np.ones((5, 2)), np.ones(4), {}, ValueError, r"same number of samples"),
        (
            np.ones((5, 2)),
            np.ones(5),
            {"test_fraction": 0.0},
            ValueError,
            r"test_fraction must be in \(0, 1\)",
        ),
        (
            np.ones((5, 2)),
            np.ones(5),
            {"test_fraction": 1.0},
            ValueError,
            r"test_fraction must be in \(0, 1\)",
        ),
        (
            np.ones((3, 2)),
            np.ones(3),
            {"test_fraction": 0.1},
            ValueError,
            r"gives 0 test sample\(s\)",
        ),
        (np.ones((5, 2)), np.ones((5, 1)), {}, ValueError, r"y must have 1 dimension"),
        (np.ones((5, 2, 1)), np.ones(5), {}, ValueError, r"X must have 1 or 2"),
        (np.array([[np.nan]]), np.ones(1), {}, ValueError, r"X must be finite"),
        (np.ones((5, 2)), np.array(list("abcde")), {}, TypeError, r"y must contain"),
        (np.ones((5, 2)), np.ones(5), {"seed": "0"}, TypeError, r"seed must be an int"),
    ],
)
def test_split_bad_input(X, y, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        train_test_split(X, y, **kwargs)
