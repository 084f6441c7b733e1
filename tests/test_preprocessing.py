"""Tests of mathlib.preprocessing: fit/transform semantics, round trips, bad input."""

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from mathlib.preprocessing import MinMaxScaler, NotFittedError, StandardScaler

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)
SCALERS = [MinMaxScaler, StandardScaler]


def matrices(min_rows=1):
    return hnp.arrays(
        np.float64,
        st.tuples(st.integers(min_rows, 8), st.integers(1, 4)),
        elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )


# MinMaxScaler


def test_minmax_known_values():
    X = np.array([[0.0, -1.0], [5.0, 1.0], [10.0, 3.0]])
    scaler = MinMaxScaler().fit(X)
    assert_allclose(scaler.data_min_, [0.0, -1.0])
    assert_allclose(scaler.data_max_, [10.0, 3.0])
    assert_allclose(scaler.transform(X), [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])


def test_minmax_custom_range():
    X = np.array([[0.0], [4.0], [8.0]])
    out = MinMaxScaler(feature_range=(-1, 1)).fit_transform(X)
    assert_allclose(out, [[-1.0], [0.0], [1.0]])


def test_minmax_uses_training_statistics_only():
    scaler = MinMaxScaler().fit(np.array([[0.0], [10.0]]))
    # Test data outside the training range leaves [0, 1]: no clipping, no refit.
    assert_allclose(scaler.transform(np.array([[-5.0], [20.0]])), [[-0.5], [2.0]])
    assert_allclose(scaler.data_max_, [10.0])


def test_minmax_constant_feature_maps_to_low():
    X = np.array([[3.0, 1.0], [3.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = MinMaxScaler(feature_range=(-1, 1)).fit(X)
        out = scaler.transform(X)
    assert_allclose(out[:, 0], [-1.0, -1.0])
    assert_allclose(scaler.inverse_transform(out), X)


# StandardScaler


def test_standard_known_values():
    X = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0], [7.0, 40.0]])
    scaler = StandardScaler().fit(X)
    assert_allclose(scaler.mean_, [4.0, 25.0])
    assert_allclose(scaler.std_, [np.sqrt(5.0), 15.0])  # population std (ddof=0)
    expected_0 = (X[:, 0] - 4.0) / np.sqrt(5.0)
    assert_allclose(scaler.transform(X)[:, 0], expected_0, rtol=1e-14)
    assert_allclose(scaler.transform(X)[:, 1], [-1.0, -1.0, 1.0, 1.0], rtol=1e-14)


def test_standard_uses_training_statistics_only():
    scaler = StandardScaler().fit(np.array([[0.0], [2.0]]))  # mean 1, std 1
    assert_allclose(scaler.transform(np.array([[5.0]])), [[4.0]])


def test_standard_constant_feature_maps_to_zero():
    X = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = StandardScaler().fit(X)
        out = scaler.transform(X)
    np.testing.assert_array_equal(out[:, 0], 0.0)
    assert scaler.std_[0] == 0.0
    assert_allclose(scaler.inverse_transform(out), X)


def test_single_sample_fit_is_allowed():
    X = np.array([[2.0, -3.0]])
    assert_allclose(StandardScaler().fit_transform(X), [[0.0, 0.0]])
    assert_allclose(MinMaxScaler().fit_transform(X), [[0.0, 0.0]])


# Properties of both scalers


@SETTINGS
@given(X=matrices(min_rows=2))
def test_standard_output_has_mean_0_and_std_1(X):
    scaler = StandardScaler().fit(X)
    out = scaler.transform(X)
    assert_allclose(out.mean(axis=0), 0.0, atol=1e-9)
    # Features with std 0 (constant, or subnormal spread) are only centred.
    varying = scaler.std_ > 0
    assert_allclose(out.std(axis=0)[varying], 1.0, rtol=1e-6)
    assert_allclose(out[:, ~varying], 0.0, atol=1e-300)


@SETTINGS
@given(X=matrices(), low=st.floats(-5, 5), width=st.floats(0.5, 5))
def test_minmax_output_spans_the_range(X, low, width):
    high = low + width
    out = MinMaxScaler(feature_range=(low, high)).fit_transform(X)
    assert np.all(out >= low - 1e-9) and np.all(out <= high + 1e-9)
    assert_allclose(out.min(axis=0), low, atol=1e-9)


@SETTINGS
@given(X=matrices(), X_new=matrices(), scaler_class=st.sampled_from(SCALERS))
def test_round_trip(X, X_new, scaler_class):
    scaler = scaler_class().fit(X)
    X_new = X_new[:, :1].repeat(X.shape[1], axis=1)  # same feature count
    back = scaler.inverse_transform(scaler.transform(X_new))
    assert_allclose(back, X_new, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    "scaler_class, X",
    [
        (MinMaxScaler, np.array([[-1e308], [1e308]])),  # max - min overflows
        (StandardScaler, np.array([[1e308], [1.7e308]])),  # the sum overflows
    ],
)
def test_huge_values_raise_instead_of_overflowing(scaler_class, X):
    with pytest.raises(ValueError, match=r"too large to compute its statistics"):
        scaler_class().fit(X)


@pytest.mark.parametrize("scaler_class", SCALERS)
def test_transform_overflow_raises(scaler_class):
    scaler = scaler_class().fit(np.array([[0.0], [1e-300]]))
    with pytest.raises(ValueError, match=r"X is so far from the fitted data"):
        scaler.transform(np.array([[1e300]]))


@pytest.mark.parametrize("scaler_class", SCALERS)
def test_fit_returns_self_and_input_untouched(scaler_class):
    X = np.array([[1.0, 2.0], [3.0, 5.0]])
    before = X.copy()
    scaler = scaler_class()
    assert scaler.fit(X) is scaler
    scaler.transform(X)
    scaler.inverse_transform(X)
    np.testing.assert_array_equal(X, before)
    assert scaler.n_features_in_ == 2


@pytest.mark.parametrize("scaler_class", SCALERS)
def test_fit_transform_equals_fit_then_transform(scaler_class):
    X = np.random.default_rng(0).normal(size=(6, 3))
    assert_allclose(scaler_class().fit_transform(X), scaler_class().fit(X).transform(X))


# Bad input


@pytest.mark.parametrize("scaler_class", SCALERS)
@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_use_before_fit(scaler_class, method):
    scaler = scaler_class()
    with pytest.raises(NotFittedError, match=r"not fitted yet: call fit\(X_train\)"):
        getattr(scaler, method)(np.ones((2, 2)))


@pytest.mark.parametrize("scaler_class", SCALERS)
def test_feature_count_mismatch(scaler_class):
    scaler = scaler_class().fit(np.ones((3, 2)))
    msg = r"X has 3 feature\(s\) but this \w+ was fitted on 2"
    with pytest.raises(ValueError, match=msg):
        scaler.transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"X_scaled has 1 feature"):
        scaler.inverse_transform(np.ones((3, 1)))


@pytest.mark.parametrize("scaler_class", SCALERS)
@pytest.mark.parametrize(
    "X, error, pattern",
    [
        (
            np.ones(3),
            ValueError,
            r"shape \(n_samples, n_features\), got shape \(3,\).*reshape",
        ),
        (np.ones((2, 2, 2)), ValueError, r"got shape \(2, 2, 2\)"),
        (np.ones((0, 2)), ValueError, r"X must not be empty"),
        (np.array([[1.0, np.nan]]), ValueError, r"X must be finite"),
        (np.array([["a"]]), TypeError, r"X must contain real numbers"),
    ],
)
def test_bad_X(scaler_class, X, error, pattern):
    with pytest.raises(error, match=pattern):
        scaler_class().fit(X)
    fitted = scaler_class().fit(np.ones((2, 2)))
    with pytest.raises(error, match=pattern):
        fitted.transform(X)


@pytest.mark.parametrize(
    "feature_range, error, pattern",
    [
        ((1, 0), ValueError, r"low < high, got \(1, 0\)"),
        ((1, 1), ValueError, r"low < high"),
        ((0, 1, 2), TypeError, r"pair \(low, high\)"),
        (5, TypeError, r"pair \(low, high\)"),
        (("0", 1), TypeError, r"feature_range\[0\] must be a real number"),
        ((0, float("inf")), ValueError, r"feature_range\[1\] must be finite"),
    ],
)
def test_bad_feature_range(feature_range, error, pattern):
    with pytest.raises(error, match=pattern):
        MinMaxScaler(feature_range=feature_range)
