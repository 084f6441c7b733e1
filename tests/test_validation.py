"""Tests of mathlib._validation: every check accepts good input and names the rule."""

import numpy as np
import pytest

from mathlib._validation import (
    as_float_array,
    check_array_in_range,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_same_length,
    check_same_shape,
)

# as_float_array


def test_as_float_array_converts_ints_to_float64():
    out = as_float_array("x", [1, 2, 3])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])


def test_as_float_array_keeps_float32():
    out = as_float_array("x", np.ones(3, dtype=np.float32))
    assert out.dtype == np.float32


def test_as_float_array_accepts_scalars():
    out = as_float_array("x", 2.5)
    assert out.shape == () and out == 2.5


@pytest.mark.parametrize(
    "value, dtype_word",
    [
        (np.array(["a", "b"]), "<U1"),
        (np.array([True, False]), "bool"),
        (np.array([1 + 2j]), "complex"),
        (np.array([None, 1.0], dtype=object), "object"),
    ],
)
def test_as_float_array_rejects_non_real(value, dtype_word):
    with pytest.raises(TypeError, match=rf"x must contain real numbers.*{dtype_word}"):
        as_float_array("x", value)


def test_as_float_array_ndim_rule_names_shape():
    msg = r"X must have 2 dimension\(s\), got shape \(3,\)"
    with pytest.raises(ValueError, match=msg):
        as_float_array("X", np.ones(3), ndim=2)
    with pytest.raises(ValueError, match=r"1 or 2 dimension"):
        as_float_array("X", np.ones((2, 2, 2)), ndim=(1, 2))


def test_as_float_array_empty():
    with pytest.raises(ValueError, match=r"y must not be empty, got shape \(0,\)"):
        as_float_array("y", [])
    assert as_float_array("y", [], allow_empty=True).shape == (0,)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_as_float_array_rejects_non_finite(bad):
    with pytest.raises(ValueError, match=r"z must be finite, got 1 NaN or infinite"):
        as_float_array("z", [0.0, bad])
    out = as_float_array("z", [0.0, bad], finite=False)
    assert out.shape == (2,)


# shape and length checks


def test_check_same_shape_message_has_both_shapes():
    msg = r"y_pred has shape \(100, 1\) but y_true has shape \(100,\)"
    with pytest.raises(ValueError, match=msg):
        check_same_shape("y_pred", np.zeros((100, 1)), "y_true", np.zeros(100))
    check_same_shape("a", np.zeros((2, 3)), "b", np.ones((2, 3)))


def test_check_same_length():
    check_same_length("X", np.zeros((4, 2)), "y", np.zeros(4))
    with pytest.raises(ValueError, match=r"same number of samples.*\(4, 2\).*\(3,\)"):
        check_same_length("X", np.zeros((4, 2)), "y", np.zeros(3))


# scalar checks


def test_check_real_scalar():
    assert check_real_scalar("a", 3) == 3.0
    assert isinstance(check_real_scalar("a", np.float32(0.5)), float)
    with pytest.raises(TypeError, match=r"a must be a real number, got '1'"):
        check_real_scalar("a", "1")
    with pytest.raises(TypeError, match=r"got True of type bool"):
        check_real_scalar("a", True)
    with pytest.raises(ValueError, match=r"a must be finite, got nan"):
        check_real_scalar("a", float("nan"))


def test_check_positive_and_nonnegative():
    assert check_positive("learning_rate", 0.1) == 0.1
    with pytest.raises(ValueError, match=r"learning_rate must be > 0, got 0.0"):
        check_positive("learning_rate", 0)
    assert check_nonnegative("strength", 0) == 0.0
    with pytest.raises(ValueError, match=r"strength must be >= 0, got -1.0"):
        check_nonnegative("strength", -1)


def test_check_in_range_bounds():
    assert check_in_range("f", 0, 0, 1) == 0.0
    assert check_in_range("f", 1, 0, 1) == 1.0
    with pytest.raises(ValueError, match=r"f must be in \(0, 1\], got 0.0"):
        check_in_range("f", 0, 0, 1, low_open=True)
    with pytest.raises(ValueError, match=r"f must be in \[0, 1\), got 1.0"):
        check_in_range("f", 1, 0, 1, high_open=True)
    with pytest.raises(ValueError, match=r"got 1.5"):
        check_in_range("f", 1.5, 0, 1)


def test_check_int():
    assert check_int("epochs", np.int64(5), minimum=1) == 5
    with pytest.raises(TypeError, match=r"epochs must be an integer, got 5.0"):
        check_int("epochs", 5.0)
    with pytest.raises(TypeError, match=r"got True"):
        check_int("epochs", True)
    with pytest.raises(ValueError, match=r"epochs must be >= 1, got 0"):
        check_int("epochs", 0, minimum=1)


def test_check_choice_lists_options():
    assert check_choice("kind", "l2", ("none", "l1", "l2")) == "l2"
    with pytest.raises(ValueError, match=r"kind must be one of 'none', 'l1'; got 'L1'"):
        check_choice("kind", "L1", ("none", "l1"))


def test_check_array_in_range():
    check_array_in_range("p", np.array([0.0, 0.5, 1.0]), 0, 1)
    msg = r"p must contain values in \[0, 1\], got 2 value\(s\) outside, e.g. -3.0"
    with pytest.raises(ValueError, match=msg):
        check_array_in_range("p", np.array([0.5, 1.5, -3.0]), 0, 1)
