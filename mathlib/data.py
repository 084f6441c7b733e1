"""Seeded toy data sets used throughout the book.

``seed_line`` is the source text's exact data (chapter 5); the other
generators make small two-feature problems for the explorers and the
challenges. Every generator draws from ``np.random.default_rng(seed)``, so
the same ``seed`` always gives the same arrays, and returns float64
features with int64 labels.
"""

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_in_range,
    check_int,
    check_nonnegative,
    check_same_length,
)


def seed_line():
    """The source text's data: 100 points on the line y = 2x + 1.

    Returns
    -------
    x : ndarray of shape (100,)
        ``np.linspace(-1, 1, 100)``.
    y : ndarray of shape (100,)
        ``2 * x + 1``, with no noise.

    Notes
    -----
    Used in chapter 5, Code example, which reproduces the source's Keras
    script:

    .. math:: x_i = -1 + \\frac{2i}{99}, \\quad y_i = 2x_i + 1,
              \\quad i = 0, \\dots, 99

    Examples
    --------
    >>> from mathlib.data import seed_line
    >>> x, y = seed_line()
    >>> print(x.shape, x[0], x[-1], y[0], y[-1])
    (100,) -1.0 1.0 -1.0 3.0
    """
    x = np.linspace(-1, 1, 100)
    return x, 2 * x + 1


def noisy_line(
    n_samples=100, *, noise=0.1, outlier_fraction=0.0, outlier_scale=5.0, seed=0
):
    """Points near y = 2x + 1 with Gaussian noise and optional outliers.

    Parameters
    ----------
    n_samples : int, default=100
        Number of points (>= 2).
    noise : float, default=0.1
        Standard deviation (>= 0) of the Gaussian noise added to every y.
    outlier_fraction : float, default=0.0
        Fraction in [0, 1] of the points turned into outliers
        (``round(outlier_fraction * n_samples)`` points, chosen at random).
    outlier_scale : float, default=5.0
        Size (>= 0) of the outliers' upward shift.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    x : ndarray of shape (n_samples,)
        ``np.linspace(-1, 1, n_samples)``, as in the source.
    y : ndarray of shape (n_samples,)
        ``2 * x + 1`` plus noise, plus the outliers' shifts.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``seed`` is not an integer, or a float argument
        is not a real number.
    ValueError
        If an argument is out of its range.

    Notes
    -----
    Used in chapter 4, Gradient descent, and chapter 6, Challenges
    (robust regression):

    .. math:: y_i = 2x_i + 1 + \\varepsilon_i + o_i, \\quad
              \\varepsilon_i \\sim \\mathcal{N}(0, \\sigma^2)

    where :math:`\\sigma` is ``noise`` and :math:`o_i` is 0 except at the
    outliers, where it is ``outlier_scale`` times a factor drawn uniformly
    from [0.5, 1.5]. The shift is always upward, so outliers bias a
    least-squares fit in one direction, the situation where a robust loss
    such as :func:`mathlib.losses.huber` visibly helps.

    Examples
    --------
    >>> from mathlib.data import noisy_line
    >>> x, y = noisy_line(50, noise=0.0, outlier_fraction=0.1, seed=1)
    >>> print(x.shape, int((y - (2 * x + 1) > 1).sum()))
    (50,) 5
    """
    n_samples = check_int("n_samples", n_samples, minimum=2)
    noise = check_nonnegative("noise", noise)
    outlier_fraction = check_in_range("outlier_fraction", outlier_fraction, 0, 1)
    outlier_scale = check_nonnegative("outlier_scale", outlier_scale)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)

    x = np.linspace(-1, 1, n_samples)
    y = 2 * x + 1 + noise * rng.standard_normal(n_samples)

    # Outliers: a random subset shifted upward by about outlier_scale.
    n_outliers = int(round(outlier_fraction * n_samples))
    idx = rng.choice(n_samples, size=n_outliers, replace=False)
    y[idx] += outlier_scale * rng.uniform(0.5, 1.5, size=n_outliers)
    return x, y


def _check_common(n_samples, noise, seed):
    """Validate the arguments shared by the 2-D classification generators."""
    n_samples = check_int("n_samples", n_samples, minimum=2)
    noise = check_nonnegative("noise", noise)
    seed = check_int("seed", seed, minimum=0)
    return n_samples, noise, seed


def _finish(X, y, noise, rng):
    """Add Gaussian noise to ``X`` and shuffle the samples."""
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(X.shape[0])
    return X[order], y[order].astype(np.int64)


def _balanced_labels(n_samples):
    """Labels with ``n_samples // 2`` zeros followed by ones."""
    n_zeros = n_samples // 2
    return np.r_[np.zeros(n_zeros), np.ones(n_samples - n_zeros)]


def make_moons(n_samples=200, *, noise=0.1, seed=0):
    """Two interleaving half circles, a classic non-linear binary problem.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points (>= 2); class 0 gets ``n_samples // 2`` of them.
    noise : float, default=0.1
        Standard deviation (>= 0) of Gaussian noise added to both features.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        float64 features, in shuffled order.
    y : ndarray of shape (n_samples,)
        int64 labels in {0, 1}.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``seed`` is not an integer or ``noise`` is not a
        real number.
    ValueError
        If ``n_samples < 2``, ``noise < 0`` or ``seed < 0``.

    Notes
    -----
    A data set for the classification explorer (chapter 4) and the
    challenges (chapter 6). With angles :math:`t \\sim U(0, \\pi)`,
    class 0 lies on :math:`(\\cos t, \\sin t)` and class 1 on
    :math:`(1 - \\cos t, \\tfrac12 - \\sin t)`, before noise. No straight
    line separates them.

    Examples
    --------
    >>> from mathlib.data import make_moons
    >>> X, y = make_moons(10, seed=0)
    >>> print(X.shape, X.dtype, y.tolist().count(0), y.tolist().count(1))
    (10, 2) float64 5 5
    """
    n_samples, noise, seed = _check_common(n_samples, noise, seed)
    rng = np.random.default_rng(seed)

    y = _balanced_labels(n_samples)
    t = rng.uniform(0, np.pi, size=n_samples)
    upper = np.c_[np.cos(t), np.sin(t)]
    lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
    X = np.where(y[:, None] == 0, upper, lower)
    return _finish(X, y, noise, rng)


def make_circles(n_samples=200, *, noise=0.1, seed=0):
    """A small circle (class 1) inside a large one (class 0).

    Parameters
    ----------
    n_samples : int, default=200
        Number of points (>= 2); class 0 gets ``n_samples // 2`` of them.
    noise : float, default=0.1
        Standard deviation (>= 0) of Gaussian noise added to both features.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        float64 features, in shuffled order.
    y : ndarray of shape (n_samples,)
        int64 labels in {0, 1}.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``seed`` is not an integer or ``noise`` is not a
        real number.
    ValueError
        If ``n_samples < 2``, ``noise < 0`` or ``seed < 0``.

    Notes
    -----
    Class 0 lies on the circle of radius 1 and class 1 on the circle of
    radius 0.5, at uniform random angles, before noise. A linear model
    fails; one hidden layer of a few units succeeds (chapter 4).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.data import make_circles
    >>> X, y = make_circles(6, noise=0.0, seed=0)
    >>> print(np.round(np.hypot(X[:, 0], X[:, 1]), 3)[np.argsort(y)])
    [1.  1.  1.  0.5 0.5 0.5]
    """
    n_samples, noise, seed = _check_common(n_samples, noise, seed)
    rng = np.random.default_rng(seed)

    y = _balanced_labels(n_samples)
    angle = rng.uniform(0, 2 * np.pi, size=n_samples)
    radius = np.where(y == 0, 1.0, 0.5)
    X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    return _finish(X, y, noise, rng)


def make_xor(n_samples=200, *, noise=0.1, seed=0):
    """Points in the square [-1, 1]^2 labelled by the XOR of their signs.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points (>= 2).
    noise : float, default=0.1
        Standard deviation (>= 0) of Gaussian noise added to the features
        after labelling, which blurs the class boundary near the axes.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        float64 features.
    y : ndarray of shape (n_samples,)
        int64 labels in {0, 1}; 1 where the two coordinates (before noise)
        have opposite signs. Classes are balanced only on average.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``seed`` is not an integer or ``noise`` is not a
        real number.
    ValueError
        If ``n_samples < 2``, ``noise < 0`` or ``seed < 0``.

    Notes
    -----
    Before noise, :math:`x \\sim U([-1, 1]^2)` and
    :math:`y = [\\, x_1 x_2 < 0 \\,]`: the problem a single neuron cannot
    solve, introduced with the need for hidden layers (chapter 1).

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.data import make_xor
    >>> X, y = make_xor(100, noise=0.0, seed=0)
    >>> print(np.all(y == (X[:, 0] * X[:, 1] < 0)))
    True
    """
    n_samples, noise, seed = _check_common(n_samples, noise, seed)
    rng = np.random.default_rng(seed)

    X = rng.uniform(-1, 1, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return _finish(X, y, noise, rng)


def make_spirals(n_samples=200, *, noise=0.1, seed=0):
    """Two interleaved spirals, the hardest of the toy problems.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points (>= 2); class 0 gets ``n_samples // 2`` of them.
    noise : float, default=0.1
        Standard deviation (>= 0) of Gaussian noise added to both features.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        float64 features, within about [-1, 1]^2 before noise.
    y : ndarray of shape (n_samples,)
        int64 labels in {0, 1}.

    Raises
    ------
    TypeError
        If ``n_samples`` or ``seed`` is not an integer or ``noise`` is not a
        real number.
    ValueError
        If ``n_samples < 2``, ``noise < 0`` or ``seed < 0``.

    Notes
    -----
    With :math:`t \\sim U(0.05, 1)` and class :math:`c \\in \\{0, 1\\}`,
    a point lies at radius :math:`t` and angle :math:`3\\pi t + c\\pi`
    (one and a half turns; the second arm is the first rotated by half a
    turn). Neighbouring arms are 1/3 apart radially, so noise above about
    0.1 starts to mix them.

    Examples
    --------
    >>> from mathlib.data import make_spirals
    >>> X, y = make_spirals(7, seed=3)
    >>> print(X.shape, y.tolist().count(0), y.tolist().count(1))
    (7, 2) 3 4
    """
    n_samples, noise, seed = _check_common(n_samples, noise, seed)
    rng = np.random.default_rng(seed)

    y = _balanced_labels(n_samples)
    t = rng.uniform(0.05, 1, size=n_samples)
    angle = 3 * np.pi * t + np.pi * y
    X = np.c_[t * np.cos(angle), t * np.sin(angle)]
    return _finish(X, y, noise, rng)


def train_test_split(X, y, *, test_fraction=0.25, seed=0):
    """Shuffle the samples and split them into a training and a test set.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or (n_samples,)
        Features.
    y : ndarray of shape (n_samples,)
        Targets or labels (their dtype is kept).
    test_fraction : float, default=0.25
        Fraction in (0, 1) of the samples put in the test set; the test
        set has ``round(test_fraction * n_samples)`` samples.
    seed : int, default=0
        Seed (>= 0) of ``np.random.default_rng``.

    Returns
    -------
    X_train : ndarray of shape (n_train, ...)
    X_test : ndarray of shape (n_test, ...)
    y_train : ndarray of shape (n_train,)
    y_test : ndarray of shape (n_test,)

    Raises
    ------
    TypeError
        If ``X`` or ``y`` is not numeric, or ``seed`` is not an integer.
    ValueError
        If ``X`` and ``y`` have different numbers of samples, contain NaN
        or infinity, or either part of the split would be empty.

    Notes
    -----
    Used in chapter 6, Challenges (generalisation). The split is a random
    permutation, not stratified: with few samples the class proportions
    of the two parts can differ. Fit scalers on ``X_train`` only
    (:mod:`mathlib.preprocessing`), so no test statistic leaks into
    training.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.data import train_test_split
    >>> X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    >>> print(X_train.shape, X_test.shape, y_train.dtype)
    (8, 2) (2, 2) int64
    """
    as_float_array("X", X, ndim=(1, 2))
    as_float_array("y", y, ndim=1)
    X, y = np.asarray(X), np.asarray(y)
    check_same_length("X", X, "y", y)
    test_fraction = check_in_range(
        "test_fraction", test_fraction, 0, 1, low_open=True, high_open=True
    )
    seed = check_int("seed", seed, minimum=0)

    n_samples = X.shape[0]
    n_test = int(round(test_fraction * n_samples))
    if not 1 <= n_test <= n_samples - 1:
        raise ValueError(
            f"test_fraction = {test_fraction} of n_samples = {n_samples} gives "
            f"{n_test} test sample(s); both parts must be non-empty"
        )

    order = np.random.default_rng(seed).permutation(n_samples)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
