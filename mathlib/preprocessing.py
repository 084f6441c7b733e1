"""Feature scaling with fit/transform semantics (chapter 2, Forward pass).

The source's first step of the forward pass is to normalise or standardise
the inputs. A scaler learns its statistics in ``fit`` from the training
data only and then applies the same affine map to any data in
``transform``; fitting on the test data too would leak information about
it into training.
"""

import numpy as np

from mathlib._validation import as_float_array, check_real_scalar


class NotFittedError(RuntimeError):
    """Raised when a scaler is used before ``fit`` has been called."""


class _Scaler:
    """Shared machinery: the map ``(X - center_) * scale_ + low_`` per feature.

    Subclasses set ``center_``, ``scale_``, ``low_`` and ``n_features_in_``
    in ``fit``. Subtracting the centre first (rather than folding it into
    one offset) avoids cancellation when a feature's spread is tiny
    compared with its mean.
    """

    def _store(self, X, center, scale, low, statistics):
        """Save the affine map, refusing statistics that overflowed."""
        if not all(np.all(np.isfinite(a)) for a in (center, scale, *statistics)):
            raise ValueError(
                "X has values too large to compute its statistics in float64 "
                f"(largest |X| is {float(np.max(np.abs(X)))!r}); rescale X "
                "first, for example by a power of 10"
            )
        self.center_ = center
        self.scale_ = scale
        self.low_ = low
        self.n_features_in_ = X.shape[1]

    def _check_X(self, X, name="X"):
        """Validate ``X`` as a finite 2-D float array."""
        X = as_float_array(name, X)
        if X.ndim != 2:
            hint = f" (use {name}.reshape(-1, 1) for a single feature)"
            raise ValueError(
                f"{name} must have shape (n_samples, n_features), got shape "
                f"{X.shape}{hint if X.ndim == 1 else ''}"
            )
        return X

    def _check_fitted(self, X, name="X"):
        """Validate ``X`` against the statistics learned in ``fit``."""
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet: call "
                f"fit(X_train) before transform or inverse_transform"
            )
        X = self._check_X(X, name)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[1]} feature(s) but this "
                f"{type(self).__name__} was fitted on {self.n_features_in_}"
            )
        return X

    def fit_transform(self, X):
        """Fit to ``X``, then transform it; see ``fit`` and ``transform``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Training features.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)
            Scaled features.
        """
        return self.fit(X).transform(X)

    def transform(self, X):
        """Scale ``X`` with the statistics learned in ``fit``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Features (training or new data).

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)
            Scaled features (float64).

        Raises
        ------
        NotFittedError
            If ``fit`` was not called first.
        ValueError
            If ``X`` is not 2-D, is empty, is not finite, or has a different
            number of features than the fitted data.
        """
        X = self._check_fitted(X)
        with np.errstate(over="ignore", invalid="ignore"):
            X_scaled = (X - self.center_) * self.scale_ + self.low_
        return self._check_result("X", X_scaled)

    def inverse_transform(self, X_scaled):
        """Undo ``transform``: map scaled features back to original units.

        Parameters
        ----------
        X_scaled : ndarray of shape (n_samples, n_features)
            Scaled features.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Features in the original units.

        Raises
        ------
        NotFittedError
            If ``fit`` was not called first.
        ValueError
            If ``X_scaled`` is not 2-D, is empty, is not finite, or has a
            different number of features than the fitted data.
        """
        X_scaled = self._check_fitted(X_scaled, "X_scaled")
        with np.errstate(over="ignore", invalid="ignore"):
            X = (X_scaled - self.low_) / self.scale_ + self.center_
        return self._check_result("X_scaled", X)

    @staticmethod
    def _check_result(name, result):
        """Refuse a result that overflowed instead of returning infinities."""
        if not np.all(np.isfinite(result)):
            raise ValueError(
                f"{name} is so far from the fitted data that the result "
                "overflows float64"
            )
        return result


class MinMaxScaler(_Scaler):
    """Rescale each feature linearly to ``feature_range`` (min-max normalisation).

    Parameters
    ----------
    feature_range : tuple of (float, float), default=(0, 1)
        Target interval ``(low, high)`` with ``low < high``.

    Attributes
    ----------
    data_min_ : ndarray of shape (n_features,)
        Per-feature minimum of the training data.
    data_max_ : ndarray of shape (n_features,)
        Per-feature maximum of the training data.
    center_ : ndarray of shape (n_features,)
        Equal to ``data_min_``.
    scale_ : ndarray of shape (n_features,)
        Multiplier: ``transform(X) = (X - center_) * scale_ + low_``.
    low_ : float
        ``feature_range[0]``.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Raises
    ------
    TypeError
        If ``feature_range`` is not a pair of real numbers.
    ValueError
        If ``feature_range`` does not have ``low < high``.

    Notes
    -----
    Introduced in chapter 2, Forward pass ("normalisation"):

    .. math:: x' = \\text{low} + (\\text{high} - \\text{low})\\,
              \\frac{x - \\min(x)}{\\max(x) - \\min(x)}

    with min and max taken per feature over the training data. New data
    outside the training range maps outside ``feature_range``; it is not
    clipped. A constant feature (max = min) would divide by zero; its range
    is taken as 1 instead, so it maps to ``low`` and the inverse transform
    still recovers it. The same happens to a range so tiny (below about
    1e-308) that dividing by it would overflow.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.preprocessing import MinMaxScaler
    >>> X_train = np.array([[0.0, 10.0], [5.0, 10.0], [10.0, 10.0]])
    >>> scaler = MinMaxScaler().fit(X_train)
    >>> print(scaler.transform(np.array([[2.5, 10.0], [20.0, 10.0]])))
    [[0.25 0.  ]
     [2.   0.  ]]
    """

    def __init__(self, feature_range=(0, 1)):
        try:
            low, high = feature_range
        except (TypeError, ValueError):
            raise TypeError(
                f"feature_range must be a pair (low, high), got {feature_range!r}"
            ) from None
        low = check_real_scalar("feature_range[0]", low)
        high = check_real_scalar("feature_range[1]", high)
        if not low < high:
            raise ValueError(
                f"feature_range must satisfy low < high, got {feature_range!r}"
            )
        self.feature_range = (low, high)

    def fit(self, X):
        """Learn each feature's minimum and maximum from training data.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Training features.

        Returns
        -------
        self : MinMaxScaler
            The fitted scaler (so calls can be chained).

        Raises
        ------
        TypeError
            If ``X`` is not numeric.
        ValueError
            If ``X`` is not 2-D, is empty or is not finite.
        """
        X = self._check_X(X)
        low, high = self.feature_range

        self.data_min_ = X.min(axis=0)
        self.data_max_ = X.max(axis=0)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            data_range = self.data_max_ - self.data_min_
            scale = (high - low) / data_range

        # A constant feature has range 0 (scale inf): use range 1, map to `low`.
        degenerate = (data_range == 0) | (np.isinf(scale) & np.isfinite(data_range))
        scale = np.where(degenerate, high - low, scale)
        self._store(X, self.data_min_, scale, low, [data_range])
        return self


class StandardScaler(_Scaler):
    """Standardise each feature to mean 0 and standard deviation 1.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Per-feature mean of the training data.
    std_ : ndarray of shape (n_features,)
        Per-feature population standard deviation (``ddof=0``) of the
        training data.
    center_ : ndarray of shape (n_features,)
        Equal to ``mean_``.
    scale_ : ndarray of shape (n_features,)
        Multiplier ``1 / std_`` (1 for constant features):
        ``transform(X) = (X - center_) * scale_``.
    low_ : float
        Always 0.0.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    Introduced in chapter 2, Forward pass ("standardisation"):

    .. math:: x' = \\frac{x - \\mu}{\\sigma}

    with the mean :math:`\\mu` and standard deviation :math:`\\sigma` taken
    per feature over the training data. A constant feature has
    :math:`\\sigma = 0`; it is only centred (divided by 1), so it maps to
    0 instead of NaN. So is a feature whose standard deviation underflows
    to 0 or is too small (below about 1e-308) to divide by. The standard
    deviation is computed on the centred data divided by its largest
    absolute value, so squaring cannot overflow.

    Standardised inputs keep the pre-activations ``X @ W.T + b`` of a
    freshly initialised layer in the range where tanh and sigmoid are not
    saturated.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.preprocessing import StandardScaler
    >>> X_train = np.array([[1.0, 7.0], [3.0, 7.0]])
    >>> print(StandardScaler().fit_transform(X_train))
    [[-1.  0.]
     [ 1.  0.]]
    """

    def fit(self, X):
        """Learn each feature's mean and standard deviation from training data.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Training features.

        Returns
        -------
        self : StandardScaler
            The fitted scaler (so calls can be chained).

        Raises
        ------
        TypeError
            If ``X`` is not numeric.
        ValueError
            If ``X`` is not 2-D, is empty or is not finite.
        """
        X = self._check_X(X)

        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            mean = X.mean(axis=0)
            centered = X - mean

            # std = s * std(centered / s), s = max |centered|: no overflow.
            s = np.max(np.abs(centered), axis=0)
            s_safe = np.where(s > 0, s, 1.0)
            std = s * np.sqrt(np.mean((centered / s_safe) ** 2, axis=0))
            scale = 1.0 / std

        # Constant features: take their value exactly (the mean may round
        # off) and divide by 1 instead of their std of 0, so they map to 0.
        constant = X.max(axis=0) == X.min(axis=0)
        degenerate = constant | (np.isinf(scale) & np.isfinite(std))
        self.mean_ = np.where(constant, X[0], mean)
        self.std_ = np.where(degenerate, 0.0, std)
        scale = np.where(degenerate, 1.0, scale)
        self._store(X, self.mean_, scale, 0.0, [self.std_])
        return self
