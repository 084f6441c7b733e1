"""Input checks shared by every public function of mathlib.

Each check raises ``ValueError`` or ``TypeError`` whose message names the
argument, the rule it broke and the value or shape it received, so that a
reader sees what to fix instead of a silently broadcast wrong answer.
"""

import numbers

import numpy as np


def as_float_array(name, value, *, ndim=None, allow_empty=False, finite=True):
    """Return ``value`` as a float ndarray after checking it.

    Parameters
    ----------
    name : str
        Argument name used in error messages.
    value : array_like
        Numbers to check.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions; ``None`` accepts any.
    allow_empty : bool, default=False
        Whether an array with no elements is accepted.
    finite : bool, default=True
        Whether NaN and infinite entries are rejected.

    Returns
    -------
    ndarray
        ``value`` as an array of a floating dtype (float64 unless it already
        was another float dtype).

    Raises
    ------
    TypeError
        If ``value`` is not numeric (strings, objects, booleans).
    ValueError
        If the dimension, emptiness or finiteness rule is broken.
    """
    array = np.asarray(value)
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.number)
    ) or np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(
            f"{name} must contain real numbers, got an array of dtype {array.dtype}"
        )
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            rule = " or ".join(str(d) for d in allowed)
            raise ValueError(
                f"{name} must have {rule} dimension(s), got shape {array.shape}"
            )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} must be finite, got {bad} NaN or infinite value(s) "
            f"in an array of shape {array.shape}"
        )
    return array


def check_same_shape(name_a, a, name_b, b):
    """Raise ``ValueError`` unless ``a`` and ``b`` have exactly the same shape.

    Broadcasting is refused on purpose: ``y_pred`` of shape (n, 1) against
    ``y_true`` of shape (n,) would broadcast to (n, n) and give a wrong loss.
    """
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_a} has shape {np.shape(a)} but {name_b} has shape "
            f"{np.shape(b)}; they must match exactly (reshape one of them, "
            f"for example with .reshape({np.shape(b)}))"
        )


def check_same_length(name_a, a, name_b, b):
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same first dimension."""
    if np.shape(a)[:1] != np.shape(b)[:1]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same number of samples "
            f"(first dimension), got {name_a} of shape {np.shape(a)} and "
            f"{name_b} of shape {np.shape(b)}"
        )


def check_real_scalar(name, value):
    """Return ``value`` as a float after checking it is a real finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type "
            f"{type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def check_positive(name, value):
    """Return ``value`` as a float after checking it is finite and > 0."""
    value = check_real_scalar(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def check_nonnegative(name, value):
    """Return ``value`` as a float after checking it is finite and >= 0."""
    value = check_real_scalar(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def check_in_range(name, value, low, high, *, low_open=False, high_open=False):
    """Return ``value`` as a float after checking ``low <= value <= high``.

    ``low_open`` / ``high_open`` make the matching bound strict.
    """
    value = check_real_scalar(name, value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        raise ValueError(
            f"{name} must be in {left}{low}, {high}{right}, got {value!r}"
        )
    return value


def check_int(name, value, *, minimum=None):
    """Return ``value`` as an int after checking it is an integer >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} of type "
            f"{type(value).__name__}"
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def check_choice(name, value, choices):
    """Return ``value`` after checking it is one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_array_in_range(name, array, low, high):
    """Raise ``ValueError`` unless every entry of ``array`` is in [low, high].

    The message reports how many entries break the rule and the extreme
    value found, e.g. "y_true must contain values in [0, 1], got 2 value(s)
    outside, e.g. 2.0".
    """
    array = np.asarray(array)
    outside = (array < low) | (array > high)
    if np.any(outside):
        bad = array[outside]
        worst = float(bad[np.argmax(np.abs(bad - (low + high) / 2))])
        count = int(np.count_nonzero(outside))
        raise ValueError(
            f"{name} must contain values in [{low}, {high}], got {count} "
            f"value(s) outside, e.g. {worst!r}"
        )
