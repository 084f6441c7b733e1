"""Measured experiments for the three challenges of chapter 6.

The source article names three open problems (too little or noisy data, models
that are hard to interpret, models that are not robust) and three remedies
without evidence. Each function here turns one claim into a seeded, repeatable
measurement built only from the rest of mathlib: networks are trained with
:func:`mathlib.training.fit_network`, input gradients come from the ``dX``
returned by :func:`mathlib.network.backward`.

Sweeps over a parameter (training-set size, label-noise fraction, attack size
epsilon, outlier fraction) are repeated over several seeds and returned as a
:class:`SeedSweep`, whose ``mean`` and ``std`` give the numbers the chapter
prints, plots with error bars and asserts.

Introduced in chapter 6, Challenges.
"""

from dataclasses import dataclass
import warnings

import numpy as np

from mathlib._validation import (
    as_float_array,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_same_length,
)
from mathlib.data import make_circles, make_moons, make_spirals, make_xor, noisy_line
from mathlib.layers import dense_forward
from mathlib.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    categorical_cross_entropy_with_logits,
    categorical_cross_entropy_with_logits_grad,
    huber,
    huber_grad,
    mse,
    mse_grad,
    one_hot,
)
from mathlib.network import backward, forward
from mathlib.training import TrainingDivergedWarning, fit_network

__all__ = [
    "DATASETS",
    "SeedSweep",
    "GridActivations",
    "RobustLineFit",
    "evaluate_classifier",
    "flip_labels",
    "augment_with_jitter",
    "learning_curve",
    "label_noise_curve",
    "augmentation_effect",
    "loss_input_gradient",
    "fgsm",
    "accuracy_under_attack",
    "robustness_comparison",
    "saliency",
    "hidden_activations_on_grid",
    "ablate_hidden_units",
    "InterpretabilityStudy",
    "rank_correlation",
    "interpretability_study",
    "fit_line_robust",
    "robust_line_comparison",
]

#: Two-class toy data sets of :mod:`mathlib.data` usable by the sweeps.
DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "spirals": make_spirals,
}

_CLASSIFICATION_TASKS = ("binary", "multiclass")
_TEST_SEED_OFFSET = 10_000


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedSweep:
    """Metrics measured over a swept parameter, repeated over seeds.

    Attributes
    ----------
    parameter : str
        Name of the swept parameter, for example ``"n_train"``.
    values : ndarray of shape (n_values,)
        The values of the swept parameter.
    seeds : ndarray of shape (n_seeds,)
        The seeds; seed ``s`` fixes the data draw, the network initialisation
        and any random perturbation of that repetition.
    metrics : dict of str to ndarray of shape (n_seeds, n_values)
        One array per measured quantity; row ``i`` belongs to ``seeds[i]``.
    """

    parameter: str
    values: np.ndarray
    seeds: np.ndarray
    metrics: dict

    def _metric(self, metric):
        check_choice("metric", metric, tuple(self.metrics))
        return self.metrics[metric]

    def mean(self, metric):
        """Mean over seeds of ``metric``, an ndarray of shape (n_values,)."""
        return self._metric(metric).mean(axis=0)

    def std(self, metric):
        """Sample standard deviation over seeds (``ddof=1``) of ``metric``.

        With a single seed there is no spread to estimate and zeros are
        returned.
        """
        values = self._metric(metric)
        if values.shape[0] < 2:
            return np.zeros(values.shape[1])
        return values.std(axis=0, ddof=1)

    def table(self, *metrics):
        """Rows ``(value, mean_1, std_1, mean_2, std_2, ...)`` for printing.

        Parameters
        ----------
        *metrics : str
            Metric names; all metrics in insertion order when none is given.

        Returns
        -------
        list of tuple of float
            One row per swept value.
        """
        names = metrics or tuple(self.metrics)
        columns = [self.values]
        for name in names:
            columns += [self.mean(name), self.std(name)]
        return [tuple(float(c[k]) for c in columns) for k in range(len(self.values))]


@dataclass(frozen=True)
class GridActivations:
    """Activations of one hidden layer over a grid of the input plane.

    Attributes
    ----------
    x1 : ndarray of shape (resolution,)
        Grid coordinates along the first input feature (image columns).
    x2 : ndarray of shape (resolution,)
        Grid coordinates along the second input feature (image rows).
    A : ndarray of shape (n_units, resolution, resolution)
        ``A[k, i, j]`` is unit ``k``'s activation at the point
        ``(x1[j], x2[i])``, so ``A[k]`` can be passed to ``imshow`` with
        ``origin="lower"``.
    """

    x1: np.ndarray
    x2: np.ndarray
    A: np.ndarray


@dataclass(frozen=True)
class RobustLineFit:
    """Result of :func:`fit_line_robust`.

    Attributes
    ----------
    w, b : float
        Final slope and intercept.
    loss : ndarray of shape (n_epochs_run + 1,)
        Training loss; index 0 is at the initial parameters, index k after
        epoch k.
    loss_name : str
        ``"mse"`` or ``"huber"``.
    delta : float
        Huber threshold (also stored for ``"mse"``, where it is unused).
    diverged : bool
        Whether the loss became non-finite (training then stopped early).
    """

    w: float
    b: float
    loss: np.ndarray
    loss_name: str
    delta: float
    diverged: bool


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------


def _check_seeds(seeds):
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds must contain at least one seed, got an empty sequence")
    return np.array([check_int("each seed", s, minimum=0) for s in seeds])


def _check_sweep(name, values, check):
    values = tuple(values)
    if not values:
        raise ValueError(
            f"{name} must contain at least one value, got an empty sequence"
        )
    return np.array([check(f"each value of {name}", v) for v in values])


def _check_hidden_units(hidden_units):
    if isinstance(hidden_units, (int, np.integer)) and not isinstance(
        hidden_units, bool
    ):
        hidden_units = (hidden_units,)
    return tuple(
        check_int("each entry of hidden_units", h, minimum=1) for h in hidden_units
    )


def _check_classification_data(X, y, task):
    check_choice("task", task, _CLASSIFICATION_TASKS)
    X = as_float_array("X", X, ndim=2)
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must be a 1-D array of integer class labels, got shape {y.shape} "
            f"and dtype {y.dtype}"
        )
    check_same_length("X", X, "y", y)
    if y.min() < 0:
        raise ValueError(f"y must contain labels >= 0, got minimum {y.min()}")
    if task == "binary" and y.max() > 1:
        raise ValueError(
            f"y must contain labels 0 and 1 for task='binary', got max {y.max()}"
        )
    return X, y


def _check_params(params, n_features):
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(
            "params must be a non-empty list of {'W', 'b'} dicts as returned by "
            f"mathlib.network.init_params, got {type(params).__name__}"
        )
    n_inputs = np.shape(params[0]["W"])[1]
    if n_features is not None and n_inputs != n_features:
        raise ValueError(
            f"X has {n_features} features but the first layer's W has shape "
            f"{np.shape(params[0]['W'])} (expects {n_inputs} inputs)"
        )
    return params


# ---------------------------------------------------------------------------
# Classification building blocks
# ---------------------------------------------------------------------------


def _logits(params, X, activation):
    Z, cache = forward(params, X, activation=activation, output_activation="identity")
    return Z, cache


def _loss_and_logit_grad(Z, y, task):
    if task == "binary":
        if Z.shape[1] != 1:
            raise ValueError(
                f"task='binary' needs a network with 1 output, got {Z.shape[1]} outputs"
            )
        Y = y.reshape(-1, 1).astype(float)
        loss = binary_cross_entropy_with_logits(Y, Z)
        return loss, binary_cross_entropy_with_logits_grad(Y, Z)
    if y.max() >= Z.shape[1]:
        raise ValueError(
            f"y contains label {y.max()} but the network has only {Z.shape[1]} outputs"
        )
    Y = one_hot(y, Z.shape[1])
    loss = categorical_cross_entropy_with_logits(Y, Z)
    return loss, categorical_cross_entropy_with_logits_grad(Y, Z)


def _labels_from_logits(Z, task):
    if task == "binary":
        return (Z[:, 0] > 0).astype(int)
    return np.argmax(Z, axis=1)


def evaluate_classifier(params, X, y, *, activation="tanh", task="binary"):
    """Mean cross-entropy loss and accuracy of a trained classifier.

    Parameters
    ----------
    params : list of dict
        Network parameters ``[{"W": ..., "b": ...}, ...]``.
    X : ndarray of shape (n_samples, n_features)
        Inputs.
    y : ndarray of shape (n_samples,)
        Integer class labels.
    activation : str, default="tanh"
        Hidden-layer activation the network was trained with.
    task : {"binary", "multiclass"}, default="binary"
        ``"binary"``: one output logit z, class 1 when z > 0 (that is when
        sigmoid(z) > 0.5). ``"multiclass"``: one logit per class, arg max.

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float}``; the loss is the binary or
        categorical cross-entropy computed from the logits.

    Notes
    -----
    The output layer is read as logits (pre-activation), so the loss is
    computed the numerically stable way whatever output activation the
    network was trained with. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.array([[1.0, 0.0]]), "b": np.array([0.0])}]
    >>> X = np.array([[2.0, 0.0], [-2.0, 0.0]])
    >>> evaluate_classifier(params, X, np.array([1, 0]))["accuracy"]
    1.0
    """
    X, y = _check_classification_data(X, y, task)
    params = _check_params(params, X.shape[1])
    Z, _ = _logits(params, X, activation)
    loss, _ = _loss_and_logit_grad(Z, y, task)
    accuracy = float(np.mean(_labels_from_logits(Z, task) == y))
    return {"loss": float(loss), "accuracy": accuracy}


def _train(
    X,
    y,
    *,
    hidden_units,
    activation,
    learning_rate,
    momentum,
    epochs,
    seed,
    regularization="none",
    strength=0.0,
):
    history = fit_network(
        X,
        y,
        hidden_units=hidden_units,
        activation=activation,
        task="binary",
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
        regularization=regularization,
        strength=strength,
        seed=int(seed),
    )
    return history.params


def _draw(dataset, n_samples, noise, seed):
    X, y = DATASETS[dataset](n_samples, noise=noise, seed=int(seed))
    order = np.random.default_rng(int(seed)).permutation(n_samples)
    return X[order], y[order]


# ---------------------------------------------------------------------------
# Challenge 1: data
# ---------------------------------------------------------------------------


def flip_labels(y, *, fraction, seed=0):
    """Replace a fraction of class labels by a different, random class.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Integer class labels ``0 .. n_classes - 1`` with ``n_classes >= 2``.
    fraction : float in [0, 1]
        Fraction of labels to corrupt; exactly ``round(fraction * n_samples)``
        labels change.
    seed : int, default=0
        Seed of the random choice of samples and of their new classes.

    Returns
    -------
    ndarray of shape (n_samples,)
        A new label array; ``y`` itself is not modified.

    Notes
    -----
    A chosen label :math:`y_i` becomes
    :math:`(y_i + u_i) \\bmod K` with :math:`u_i` uniform in
    :math:`\\{1, \\dots, K-1\\}`, so it always changes; for two classes this
    is the flip :math:`y_i \\mapsto 1 - y_i`. The number of classes
    :math:`K` is ``y.max() + 1``. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> int(np.sum(flip_labels(y, fraction=0.25, seed=1) != y))
    2
    """
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or y.size == 0:
        raise ValueError(
            f"y must be a non-empty 1-D array of integer labels, got shape {y.shape} "
            f"and dtype {y.dtype}"
        )
    fraction = check_in_range("fraction", fraction, 0.0, 1.0)
    seed = check_int("seed", seed, minimum=0)
    if y.min() < 0:
        raise ValueError(f"y must contain labels >= 0, got minimum {y.min()}")
    n_classes = int(y.max()) + 1
    if n_classes < 2:
        raise ValueError(
            "y must contain at least two classes (max label >= 1), got only 0"
        )

    rng = np.random.default_rng(seed)
    n_flip = int(round(fraction * y.size))
    chosen = rng.choice(y.size, size=n_flip, replace=False)
    y_noisy = y.copy()
    y_noisy[chosen] = (y[chosen] + rng.integers(1, n_classes, size=n_flip)) % n_classes
    return y_noisy


def augment_with_jitter(X, y, *, copies, scale, seed=0):
    """Enlarge a data set with noisy copies of every sample (input jitter).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Inputs.
    y : ndarray of shape (n_samples,)
        Targets or labels; copied unchanged to every jittered copy.
    copies : int >= 0
        Number of noisy copies of each sample.
    scale : float >= 0
        Standard deviation of the Gaussian jitter, in the units of ``X``.
    seed : int, default=0
        Seed of the jitter.

    Returns
    -------
    X_aug : ndarray of shape ((copies + 1) * n_samples, n_features)
        The original rows first, then copy 1 of every row, copy 2, ...
    y_aug : ndarray of shape ((copies + 1) * n_samples,)
        ``y`` repeated ``copies + 1`` times in the same order.

    Notes
    -----
    Copy :math:`c` of sample :math:`i` is

    .. math:: \\tilde x_i^{(c)} = x_i + \\sigma\\,\\varepsilon_i^{(c)},
       \\qquad \\varepsilon_i^{(c)} \\sim \\mathcal N(0, I),

    with the label of :math:`x_i`. This assumes that the label does not
    change within a distance of about :math:`\\sigma` of a sample, which is
    a statement about the problem, not a property of the method. Training
    with small input noise acts like a penalty on the model's input
    gradient (Bishop, 1995). Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> X_aug, y_aug = augment_with_jitter(np.zeros((3, 2)), np.arange(3),
    ...                                    copies=2, scale=0.1, seed=0)
    >>> X_aug.shape, y_aug.tolist()
    ((9, 2), [0, 1, 2, 0, 1, 2, 0, 1, 2])
    """
    X = as_float_array("X", X, ndim=2)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    check_same_length("X", X, "y", y)
    copies = check_int("copies", copies, minimum=0)
    scale = check_nonnegative("scale", scale)
    seed = check_int("seed", seed, minimum=0)

    rng = np.random.default_rng(seed)
    noise = scale * rng.standard_normal((copies, *X.shape))
    X_aug = np.concatenate([X[None], X[None] + noise]).reshape(-1, X.shape[1])
    y_aug = np.tile(y, copies + 1)
    return X_aug, y_aug


def learning_curve(
    sizes,
    *,
    dataset="moons",
    noise=0.25,
    n_test=400,
    seeds=(0, 1, 2, 3, 4),
    hidden_units=(16,),
    activation="tanh",
    learning_rate=0.5,
    momentum=0.9,
    epochs=200,
):
    """Train and test loss and accuracy as functions of the training-set size.

    Parameters
    ----------
    sizes : sequence of int >= 2
        Training-set sizes. For one seed the training sets are nested: the
        set of size ``n`` is the first ``n`` samples of one shuffled draw.
    dataset : {"moons", "circles", "xor", "spirals"}, default="moons"
        Generator from :mod:`mathlib.data`.
    noise : float >= 0, default=0.25
        Noise level passed to the generator.
    n_test : int >= 1, default=400
        Size of the test set, drawn independently (seed + 10000).
    seeds : sequence of int, default=(0, 1, 2, 3, 4)
        One repetition per seed (data, initialisation).
    hidden_units : tuple of int, default=(16,)
        Hidden-layer widths of the classifier.
    activation : str, default="tanh"
        Hidden activation.
    learning_rate : float > 0, default=0.5
        Full-batch gradient-descent step size.
    momentum : float in [0, 1), default=0.9
        Heavy-ball momentum of :func:`mathlib.training.fit_network`; without
        it a few hundred full-batch steps leave the network nearly linear.
    epochs : int >= 1, default=200
        Number of full-batch steps.

    Returns
    -------
    SeedSweep
        ``parameter="n_train"``; metrics ``"train_loss"``, ``"test_loss"``,
        ``"train_accuracy"``, ``"test_accuracy"``.

    Notes
    -----
    With :math:`\\ell` the cross-entropy of one sample, the two curves are the
    empirical risk on the training set and an estimate of the expected risk,

    .. math:: \\hat R_{\\text{train}}(n) = \\frac1n \\sum_{i=1}^{n}
       \\ell(f_n(x_i), y_i), \\qquad
       \\hat R_{\\text{test}}(n) = \\frac1m \\sum_{j=1}^{m}
       \\ell(f_n(x'_j), y'_j),

    where :math:`f_n` was trained on the first :math:`n` samples and the
    :math:`m` test samples were not. Their difference is the
    generalisation gap. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> sweep = learning_curve([10, 40], seeds=[0], n_test=50, epochs=20)
    >>> sweep.metrics["test_loss"].shape
    (1, 2)
    """
    check_choice("dataset", dataset, tuple(DATASETS))
    sizes = _check_sweep("sizes", sizes, lambda n, v: check_int(n, v, minimum=2))
    noise = check_nonnegative("noise", noise)
    n_test = check_int("n_test", n_test, minimum=1)
    seeds = _check_seeds(seeds)
    hidden_units = _check_hidden_units(hidden_units)
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    epochs = check_int("epochs", epochs, minimum=1)

    config = dict(
        hidden_units=hidden_units,
        activation=activation,
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
    )
    names = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    metrics = {name: np.zeros((len(seeds), len(sizes))) for name in names}
    for i, seed in enumerate(seeds):
        X_all, y_all = _draw(dataset, int(sizes.max()), noise, seed)
        X_test, y_test = _draw(dataset, n_test, noise, seed + _TEST_SEED_OFFSET)
        for k, n in enumerate(sizes):
            X, y = X_all[:n], y_all[:n]
            params = _train(X, y, seed=seed, **config)
            train = evaluate_classifier(params, X, y, activation=activation)
            test = evaluate_classifier(params, X_test, y_test, activation=activation)
            metrics["train_loss"][i, k], metrics["train_accuracy"][i, k] = (
                train.values()
            )
            metrics["test_loss"][i, k], metrics["test_accuracy"][i, k] = test.values()
    return SeedSweep("n_train", sizes, seeds, metrics)


def label_noise_curve(
    fractions,
    *,
    dataset="moons",
    noise=0.2,
    n_train=200,
    n_test=400,
    seeds=(0, 1, 2, 3, 4),
    hidden_units=(16,),
    activation="tanh",
    learning_rate=0.5,
    momentum=0.9,
    epochs=200,
):
    """Test accuracy on clean labels after training on corrupted labels.

    Parameters
    ----------
    fractions : sequence of float in [0, 1]
        Fractions of training labels flipped with :func:`flip_labels`.
    dataset, noise, n_test, seeds, hidden_units, activation
        As in :func:`learning_curve`.
    learning_rate, momentum, epochs
        As in :func:`learning_curve`.
    n_train : int >= 2, default=200
        Training-set size.

    Returns
    -------
    SeedSweep
        ``parameter="label_noise"``; metrics ``"test_accuracy"`` (clean test
        labels), ``"train_accuracy"`` (against the corrupted labels the
        network was fitted to) and ``"test_loss"``.

    Notes
    -----
    With two classes and a flip probability :math:`\\rho < 1/2` independent
    of :math:`x`, the noisy posterior is
    :math:`\\tilde p(1\\mid x) = \\rho + (1 - 2\\rho)\\,p(1\\mid x)`: the best
    decision boundary is unchanged, but the signal shrinks by
    :math:`1 - 2\\rho`, so a finite sample and a flexible network fit the
    noise more. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> sweep = label_noise_curve([0.0, 0.3], n_train=40, n_test=50, seeds=[0],
    ...                           epochs=20)
    >>> sweep.values.tolist()
    [0.0, 0.3]
    """
    check_choice("dataset", dataset, tuple(DATASETS))
    fractions = _check_sweep(
        "fractions", fractions, lambda n, v: check_in_range(n, v, 0.0, 1.0)
    )
    noise = check_nonnegative("noise", noise)
    n_train = check_int("n_train", n_train, minimum=2)
    n_test = check_int("n_test", n_test, minimum=1)
    seeds = _check_seeds(seeds)
    hidden_units = _check_hidden_units(hidden_units)
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    epochs = check_int("epochs", epochs, minimum=1)

    config = dict(
        hidden_units=hidden_units,
        activation=activation,
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
    )
    names = ("test_accuracy", "train_accuracy", "test_loss")
    metrics = {name: np.zeros((len(seeds), len(fractions))) for name in names}
    for i, seed in enumerate(seeds):
        X, y = _draw(dataset, n_train, noise, seed)
        X_test, y_test = _draw(dataset, n_test, noise, seed + _TEST_SEED_OFFSET)
        for k, fraction in enumerate(fractions):
            y_noisy = flip_labels(y, fraction=fraction, seed=int(seed))
            params = _train(X, y_noisy, seed=seed, **config)
            test = evaluate_classifier(params, X_test, y_test, activation=activation)
            train = evaluate_classifier(params, X, y_noisy, activation=activation)
            metrics["test_accuracy"][i, k] = test["accuracy"]
            metrics["test_loss"][i, k] = test["loss"]
            metrics["train_accuracy"][i, k] = train["accuracy"]
    return SeedSweep("label_noise", fractions, seeds, metrics)


def augmentation_effect(
    sizes,
    *,
    copies=10,
    scale=0.15,
    dataset="moons",
    noise=0.25,
    n_test=400,
    seeds=(0, 1, 2, 3, 4),
    hidden_units=(32,),
    activation="tanh",
    learning_rate=0.5,
    momentum=0.9,
    epochs=200,
):
    """Test accuracy with and without jitter augmentation, per training size.

    Parameters
    ----------
    sizes : sequence of int >= 2
        Sizes of the original (un-augmented) training sets, nested per seed.
    copies : int >= 0, default=10
        Jittered copies per sample, see :func:`augment_with_jitter`.
    scale : float >= 0, default=0.15
        Standard deviation of the jitter.
    dataset, noise, n_test, seeds, hidden_units, activation
        As in :func:`learning_curve`; both networks of a repetition start
        from the same initialisation and take the same number of steps.
    learning_rate, momentum, epochs
        As in :func:`learning_curve`.

    Returns
    -------
    SeedSweep
        ``parameter="n_train"``; metrics ``"plain_test_accuracy"``,
        ``"jitter_test_accuracy"``, ``"plain_test_loss"``,
        ``"jitter_test_loss"``.

    Notes
    -----
    Augmentation adds no information about the labels: it encodes the prior
    belief that the label is constant within about ``scale`` of each
    sample (see :func:`augment_with_jitter`). It helps most when the
    training set is small. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> sweep = augmentation_effect([10], copies=2, n_test=50, seeds=[0],
    ...                             epochs=20)
    >>> sorted(sweep.metrics)[:2]
    ['jitter_test_accuracy', 'jitter_test_loss']
    """
    check_choice("dataset", dataset, tuple(DATASETS))
    sizes = _check_sweep("sizes", sizes, lambda n, v: check_int(n, v, minimum=2))
    copies = check_int("copies", copies, minimum=0)
    scale = check_nonnegative("scale", scale)
    noise = check_nonnegative("noise", noise)
    n_test = check_int("n_test", n_test, minimum=1)
    seeds = _check_seeds(seeds)
    hidden_units = _check_hidden_units(hidden_units)
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    epochs = check_int("epochs", epochs, minimum=1)

    names = (
        "plain_test_accuracy",
        "jitter_test_accuracy",
        "plain_test_loss",
        "jitter_test_loss",
    )
    metrics = {name: np.zeros((len(seeds), len(sizes))) for name in names}
    config = dict(
        hidden_units=hidden_units,
        activation=activation,
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
    )
    for i, seed in enumerate(seeds):
        X_all, y_all = _draw(dataset, int(sizes.max()), noise, seed)
        X_test, y_test = _draw(dataset, n_test, noise, seed + _TEST_SEED_OFFSET)
        for k, n in enumerate(sizes):
            X_aug, y_aug = augment_with_jitter(
                X_all[:n], y_all[:n], copies=copies, scale=scale, seed=int(seed)
            )
            for kind, (X, y) in (
                ("plain", (X_all[:n], y_all[:n])),
                ("jitter", (X_aug, y_aug)),
            ):
                params = _train(X, y, seed=seed, **config)
                test = evaluate_classifier(
                    params, X_test, y_test, activation=activation
                )
                metrics[f"{kind}_test_accuracy"][i, k] = test["accuracy"]
                metrics[f"{kind}_test_loss"][i, k] = test["loss"]
    return SeedSweep("n_train", sizes, seeds, metrics)


# ---------------------------------------------------------------------------
# Challenge 3: robustness (input gradients first, they serve saliency too)
# ---------------------------------------------------------------------------


def loss_input_gradient(params, X, y, *, activation="tanh", task="binary"):
    """Gradient of the mean cross-entropy loss with respect to the inputs.

    Parameters
    ----------
    params : list of dict
        Network parameters.
    X : ndarray of shape (n_samples, n_features)
        Inputs.
    y : ndarray of shape (n_samples,)
        Integer class labels.
    activation : str, default="tanh"
        Hidden activation.
    task : {"binary", "multiclass"}, default="binary"
        See :func:`evaluate_classifier`.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        :math:`\\partial L / \\partial X`, the ``dX`` of
        :func:`mathlib.network.backward`.

    Notes
    -----
    For the mean loss :math:`L = \\frac1n \\sum_i \\ell(f(x_i), y_i)`, row
    :math:`i` of the result is :math:`\\frac1n \\nabla_{x_i} \\ell(f(x_i),
    y_i)`: samples do not interact, so each row only depends on its own
    sample. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.array([[3.0, -1.0]]), "b": np.array([0.0])}]
    >>> g = loss_input_gradient(params, np.zeros((1, 2)), np.array([1]))
    >>> g.round(3).tolist()   # (sigmoid(0) - 1) * W
    [[-1.5, 0.5]]
    """
    X, y = _check_classification_data(X, y, task)
    params = _check_params(params, X.shape[1])
    Z, cache = _logits(params, X, activation)
    _, dZ = _loss_and_logit_grad(Z, y, task)
    _, dX = backward(params, cache, dZ)
    return dX


def fgsm(params, X, y, *, epsilon, activation="tanh", task="binary"):
    """Adversarial inputs by the fast gradient sign method (FGSM).

    Parameters
    ----------
    params : list of dict
        Network parameters (the attacked model).
    X : ndarray of shape (n_samples, n_features)
        Clean inputs.
    y : ndarray of shape (n_samples,)
        Their true labels.
    epsilon : float >= 0
        Size of the perturbation in the max-norm.
    activation : str, default="tanh"
        Hidden activation.
    task : {"binary", "multiclass"}, default="binary"
        See :func:`evaluate_classifier`.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        ``X_adv`` with :math:`\\|x^{adv}_i - x_i\\|_\\infty = \\varepsilon`
        for every sample whose loss gradient has a non-zero entry.

    Notes
    -----
    Goodfellow, Shlens and Szegedy (2015) linearise the loss around
    :math:`x` and take the step that increases it most under a max-norm
    budget :math:`\\varepsilon`:

    .. math:: x^{adv} = x + \\varepsilon\\,
       \\operatorname{sign}\\big(\\nabla_x \\ell(f(x), y)\\big).

    The sign discards the gradient's 1/n factor, so the mean loss's
    gradient gives the same step. Coordinates with an exactly zero gradient
    are not moved (sign(0) = 0). Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.array([[3.0, -1.0]]), "b": np.array([0.0])}]
    >>> fgsm(params, np.zeros((1, 2)), np.array([1]), epsilon=0.1).tolist()
    [[-0.1, 0.1]]
    """
    epsilon = check_nonnegative("epsilon", epsilon)
    dX = loss_input_gradient(params, X, y, activation=activation, task=task)
    return as_float_array("X", X, ndim=2) + epsilon * np.sign(dX)


def accuracy_under_attack(
    params, X, y, *, epsilons, activation="tanh", task="binary", attack="fgsm", seed=0
):
    """Accuracy on perturbed inputs, one value per perturbation size.

    Parameters
    ----------
    params, X, y, activation, task
        As in :func:`fgsm`.
    epsilons : sequence of float >= 0
        Perturbation sizes in the max-norm; ``0`` gives the clean accuracy.
    attack : {"fgsm", "random_sign"}, default="fgsm"
        ``"fgsm"``: the worst-case step of :func:`fgsm`. ``"random_sign"``:
        the baseline :math:`x + \\varepsilon s` with each entry of :math:`s`
        drawn uniformly from {-1, +1}, a perturbation of the same max-norm
        but a random direction.
    seed : int, default=0
        Seed of the random signs (unused by ``"fgsm"``).

    Returns
    -------
    ndarray of shape (n_epsilons,)
        Accuracy on the perturbed inputs for each ``epsilon``.

    Notes
    -----
    The FGSM attack is white-box: it uses the attacked model's own input
    gradient. The same direction is scaled for every ``epsilon``.
    Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.array([[1.0, 0.0]]), "b": np.array([0.0])}]
    >>> X = np.array([[0.5, 0.0], [-0.5, 0.0]])
    >>> accuracy_under_attack(params, X, np.array([1, 0]),
    ...                       epsilons=[0.0, 0.4, 0.6]).tolist()
    [1.0, 1.0, 0.0]
    """
    epsilons = _check_sweep("epsilons", epsilons, check_nonnegative)
    check_choice("attack", attack, ("fgsm", "random_sign"))
    seed = check_int("seed", seed, minimum=0)
    X, y = _check_classification_data(X, y, task)
    if attack == "fgsm":
        direction = np.sign(
            loss_input_gradient(params, X, y, activation=activation, task=task)
        )
    else:
        params = _check_params(params, X.shape[1])
        direction = np.random.default_rng(seed).choice([-1.0, 1.0], size=X.shape)
    accuracies = []
    for epsilon in epsilons:
        Z, _ = _logits(params, X + epsilon * direction, activation)
        accuracies.append(np.mean(_labels_from_logits(Z, task) == y))
    return np.array(accuracies, dtype=float)


def robustness_comparison(
    epsilons,
    *,
    dataset="moons",
    noise=0.2,
    n_train=200,
    n_test=400,
    seeds=(0, 1, 2, 3, 4),
    hidden_units=(16,),
    activation="tanh",
    learning_rate=0.5,
    momentum=0.9,
    epochs=200,
    jitter_copies=5,
    jitter_scale=0.15,
    l2_strength=0.01,
    adversarial_epsilon=0.15,
):
    """Accuracy under FGSM for a plain network and three remedies.

    Parameters
    ----------
    epsilons : sequence of float >= 0
        Attack sizes for :func:`accuracy_under_attack`.
    dataset, noise, n_test, seeds, hidden_units, activation
        As in :func:`learning_curve`.
    learning_rate, momentum, epochs
        As in :func:`learning_curve`.
    n_train : int >= 2, default=200
        Training-set size.
    jitter_copies, jitter_scale : int, float, default=5, 0.15
        Random-noise augmentation, see :func:`augment_with_jitter`.
    l2_strength : float >= 0, default=0.01
        Strength of the L2 penalty on the weights.
    adversarial_epsilon : float >= 0, default=0.15
        Size of the FGSM examples added to the training set by the
        ``"adversarial"`` remedy.

    Returns
    -------
    SeedSweep
        ``parameter="epsilon"``; metrics (accuracies on attacked test inputs)
        ``"plain"``, ``"jitter"`` (random input noise), ``"l2"`` (weight
        decay) and ``"adversarial"``: one round of adversarial data
        augmentation, that is the plain network's FGSM examples of the
        training set (true labels) added to it before training a new network
        from the same initialisation.

    Notes
    -----
    Every model is attacked with its own gradients. The adversarial remedy
    is a one-round approximation of the adversarial training of Goodfellow,
    Shlens and Szegedy (2015), which regenerates the examples at every step.
    Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> sweep = robustness_comparison([0.0, 0.2], n_train=40, n_test=50,
    ...                               seeds=[0], epochs=20)
    >>> list(sweep.metrics)
    ['plain', 'jitter', 'l2', 'adversarial']
    """
    check_choice("dataset", dataset, tuple(DATASETS))
    epsilons = _check_sweep("epsilons", epsilons, check_nonnegative)
    noise = check_nonnegative("noise", noise)
    n_train = check_int("n_train", n_train, minimum=2)
    n_test = check_int("n_test", n_test, minimum=1)
    seeds = _check_seeds(seeds)
    hidden_units = _check_hidden_units(hidden_units)
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    epochs = check_int("epochs", epochs, minimum=1)
    jitter_copies = check_int("jitter_copies", jitter_copies, minimum=0)
    jitter_scale = check_nonnegative("jitter_scale", jitter_scale)
    l2_strength = check_nonnegative("l2_strength", l2_strength)
    adversarial_epsilon = check_nonnegative("adversarial_epsilon", adversarial_epsilon)

    names = ("plain", "jitter", "l2", "adversarial")
    metrics = {name: np.zeros((len(seeds), len(epsilons))) for name in names}
    config = dict(
        hidden_units=hidden_units,
        activation=activation,
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
    )
    for i, seed in enumerate(seeds):
        X, y = _draw(dataset, n_train, noise, seed)
        X_test, y_test = _draw(dataset, n_test, noise, seed + _TEST_SEED_OFFSET)
        plain = _train(X, y, seed=seed, **config)
        X_jit, y_jit = augment_with_jitter(
            X, y, copies=jitter_copies, scale=jitter_scale, seed=int(seed)
        )
        X_adv = fgsm(plain, X, y, epsilon=adversarial_epsilon, activation=activation)
        models = {
            "plain": plain,
            "jitter": _train(X_jit, y_jit, seed=seed, **config),
            "l2": _train(
                X, y, seed=seed, regularization="l2", strength=l2_strength, **config
            ),
            "adversarial": _train(
                np.concatenate([X, X_adv]), np.concatenate([y, y]), seed=seed, **config
            ),
        }
        for name, params in models.items():
            metrics[name][i] = accuracy_under_attack(
                params, X_test, y_test, epsilons=epsilons, activation=activation
            )
    return SeedSweep("epsilon", epsilons, seeds, metrics)


# ---------------------------------------------------------------------------
# Challenge 2: interpretability
# ---------------------------------------------------------------------------


def saliency(params, X, *, activation="tanh", output=0):
    """Input-gradient saliency: derivative of one output logit w.r.t. the input.

    Parameters
    ----------
    params : list of dict
        Network parameters.
    X : ndarray of shape (n_samples, n_features)
        Points at which to explain the network.
    activation : str, default="tanh"
        Hidden activation.
    output : int, default=0
        Index of the output unit (the logit of a class, or the regression
        output) to differentiate.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        Row :math:`i` is :math:`\\partial z_{\\text{output}}(x_i) /
        \\partial x_i`.

    Notes
    -----
    Simonyan, Vedaldi and Zisserman (2014) rank input features by the size
    of

    .. math:: s(x) = \\frac{\\partial z_c(x)}{\\partial x},

    the gradient of the class score :math:`z_c` (the logit, before the
    sigmoid or softmax). It is computed by one backward pass seeded with
    :math:`\\partial L / \\partial z_c = 1` for every sample; since samples
    do not interact, row :math:`i` only involves sample :math:`i`. The
    gradient of the probability is :math:`\\sigma'(z)\\,s(x)`, which
    vanishes far from the boundary. A gradient is a local, first-order
    explanation: it says how the score changes for a small change of
    :math:`x`, not which feature "caused" a decision. Introduced in
    chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.array([[3.0, -1.0]]), "b": np.array([0.5])}]
    >>> saliency(params, np.ones((2, 2))).tolist()   # a linear model: W
    [[3.0, -1.0], [3.0, -1.0]]
    """
    X = as_float_array("X", X, ndim=2)
    params = _check_params(params, X.shape[1])
    Z, cache = _logits(params, X, activation)
    output = check_int("output", output, minimum=0)
    if output >= Z.shape[1]:
        raise ValueError(
            f"output must be < {Z.shape[1]} (the number of outputs), got {output}"
        )

    dZ = np.zeros_like(Z)
    dZ[:, output] = 1.0
    _, dX = backward(params, cache, dZ)
    return dX


def hidden_activations_on_grid(
    params,
    *,
    activation="tanh",
    layer=0,
    x1_range=(-1.5, 2.5),
    x2_range=(-1.0, 1.5),
    resolution=50,
):
    """Activations of the units of one hidden layer over a 2-D input grid.

    Parameters
    ----------
    params : list of dict
        Parameters of a network with 2 inputs and at least one hidden layer.
    activation : str, default="tanh"
        Hidden activation.
    layer : int, default=0
        Index of the hidden layer (0 is the first); the output layer is not a
        hidden layer.
    x1_range, x2_range : tuple of float, default=(-1.5, 2.5), (-1.0, 1.5)
        Extent of the grid along each input feature (``low < high``).
    resolution : int >= 2, default=50
        Grid points per axis.

    Returns
    -------
    GridActivations
        Grid coordinates and the activations ``A`` of shape
        (n_units, resolution, resolution).

    Notes
    -----
    Unit :math:`k` of the first hidden layer computes
    :math:`a_k(x) = f(w_k^\\top x + b_k)`, a soft step across the line
    :math:`w_k^\\top x + b_k = 0`; deeper units combine these. Plotting
    :math:`a_k` over the plane shows which region each unit responds to.
    Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.eye(2), "b": np.zeros(2)},
    ...           {"W": np.ones((1, 2)), "b": np.zeros(1)}]
    >>> grid = hidden_activations_on_grid(params, activation="relu",
    ...                                   resolution=3, x1_range=(-1, 1),
    ...                                   x2_range=(-1, 1))
    >>> grid.A[0].tolist()   # relu(x1): grows along the columns
    [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    """
    params = _check_params(params, 2)
    layer = check_int("layer", layer, minimum=0)
    if layer >= len(params) - 1:
        raise ValueError(
            f"layer must be < {len(params) - 1} (the number of hidden layers), "
            f"got {layer}"
        )
    resolution = check_int("resolution", resolution, minimum=2)
    axes = []
    for name, extent in (("x1_range", x1_range), ("x2_range", x2_range)):
        low, high = as_float_array(name, extent, ndim=1)
        if not low < high:
            raise ValueError(f"{name} must satisfy low < high, got {tuple(extent)}")
        axes.append(np.linspace(low, high, resolution))

    X1, X2 = np.meshgrid(*axes)
    A = np.column_stack([X1.ravel(), X2.ravel()])
    for p in params[: layer + 1]:
        A, _ = dense_forward(A, p["W"], p["b"], activation)
    return GridActivations(axes[0], axes[1], A.T.reshape(-1, resolution, resolution))


def ablate_hidden_units(params, X, y, *, activation="tanh", task="binary"):
    """Accuracy lost when each unit of the last hidden layer is mean-ablated.

    Parameters
    ----------
    params : list of dict
        Parameters of a network with at least one hidden layer.
    X : ndarray of shape (n_samples, n_features)
        Inputs on which the units are ablated and the accuracy measured.
    y : ndarray of shape (n_samples,)
        Integer class labels.
    activation : str, default="tanh"
        Hidden activation.
    task : {"binary", "multiclass"}, default="binary"
        See :func:`evaluate_classifier`.

    Returns
    -------
    ndarray of shape (n_units,)
        ``accuracy(params) - accuracy(params with unit k ablated)`` for each
        unit ``k`` of the last hidden layer (positive: the unit mattered).

    Notes
    -----
    With :math:`a_k(x)` the unit's activation and :math:`V` the output
    layer's weights, mean ablation replaces :math:`a_k(x)` by its average
    :math:`\\bar a_k` over ``X``:

    .. math:: z(x) = \\sum_{j \\ne k} V_{:, j}\\, a_j(x) + V_{:, k}\\,
       \\bar a_k + b,

    that is the unit's outgoing weights are set to zero and
    :math:`V_{:, k} \\bar a_k` is added to the output bias. The unit's
    information is removed while its average contribution is kept, which
    is fairer than setting :math:`a_k = 0` for a unit whose activation is
    rarely near zero. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> params = [{"W": np.eye(2), "b": np.zeros(2)},
    ...           {"W": np.array([[5.0, 0.0]]), "b": np.zeros(1)}]
    >>> X = np.array([[1.0, 1.0], [-1.0, 1.0]])
    >>> ablate_hidden_units(params, X, np.array([1, 0])).tolist()
    [0.5, 0.0]
    """
    X, y = _check_classification_data(X, y, task)
    params = _check_params(params, X.shape[1])
    if len(params) < 2:
        raise ValueError(
            "params must have at least one hidden layer to ablate, got 1 layer"
        )

    A = X
    for p in params[:-1]:
        A, _ = dense_forward(A, p["W"], p["b"], activation)
    V, b = np.asarray(params[-1]["W"], float), np.asarray(params[-1]["b"], float)
    a_bar = A.mean(axis=0)
    clean = np.mean(_labels_from_logits(A @ V.T + b, task) == y)
    drops = np.empty(V.shape[1])
    for k in range(V.shape[1]):
        V_k = V.copy()
        V_k[:, k] = 0.0
        Z = A @ V_k.T + b + V[:, k] * a_bar[k]
        drops[k] = clean - np.mean(_labels_from_logits(Z, task) == y)
    return drops


@dataclass(frozen=True)
class InterpretabilityStudy:
    """Result of :func:`interpretability_study` (one row per seed).

    Attributes
    ----------
    seeds : ndarray of shape (n_seeds,)
        The seeds.
    network_accuracy, logistic_accuracy : ndarray of shape (n_seeds,)
        Test accuracy of the hidden-layer network and of logistic regression
        (the same training with no hidden layer).
    weight_magnitude : ndarray of shape (n_seeds, n_units)
        :math:`|V_{1k}|`, the size of each hidden unit's output weight.
    ablation_drop : ndarray of shape (n_seeds, n_units)
        Test accuracy lost when the unit is mean-ablated
        (:func:`ablate_hidden_units`).
    rank_correlation : ndarray of shape (n_seeds,)
        Spearman correlation between the two rows above, per seed.
    """

    seeds: np.ndarray
    network_accuracy: np.ndarray
    logistic_accuracy: np.ndarray
    weight_magnitude: np.ndarray
    ablation_drop: np.ndarray
    rank_correlation: np.ndarray


def _average_ranks(values):
    """Ranks 0..n-1 of ``values``, ties sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def rank_correlation(a, b):
    """Spearman rank correlation of two samples (average ranks for ties).

    Parameters
    ----------
    a, b : ndarray of shape (n_samples,)
        Paired samples, ``n_samples >= 2``, neither constant.

    Returns
    -------
    float
        The Pearson correlation of the ranks, in [-1, 1].

    Notes
    -----
    With :math:`r_i, s_i` the ranks of :math:`a_i, b_i`,
    :math:`\\rho = \\operatorname{corr}(r, s)`: 1 when the two orders
    agree, -1 when they are reversed. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> rank_correlation([1.0, 2.0, 3.0], [10.0, 30.0, 20.0])
    0.5
    """
    a = as_float_array("a", a, ndim=1)
    b = as_float_array("b", b, ndim=1)
    check_same_length("a", a, "b", b)
    if a.size < 2:
        raise ValueError(f"a and b need at least 2 samples, got {a.size}")
    for name, values in (("a", a), ("b", b)):
        if np.all(values == values[0]):
            raise ValueError(f"{name} is constant; its ranks have no correlation")
    ra, rb = _average_ranks(a), _average_ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    return float(ra @ rb / np.sqrt((ra @ ra) * (rb @ rb)))


def interpretability_study(
    *,
    dataset="moons",
    noise=0.2,
    n_train=200,
    n_test=400,
    seeds=(0, 1, 2, 3, 4),
    n_units=8,
    activation="tanh",
    learning_rate=0.5,
    momentum=0.9,
    epochs=200,
):
    """Is a unit's output weight a good guide to its importance?

    Parameters
    ----------
    dataset, noise, n_test, seeds, activation, learning_rate, momentum, epochs
        As in :func:`learning_curve`.
    n_train : int >= 2, default=200
        Training-set size.
    n_units : int >= 2, default=8
        Width of the single hidden layer.

    Returns
    -------
    InterpretabilityStudy
        Accuracies of the network and of logistic regression, and for each
        seed the weight magnitudes, the ablation drops and their rank
        correlation (NaN when no unit's ablation changes the accuracy).

    Notes
    -----
    Reading the weights is the cheapest explanation of a network; mean
    ablation (:func:`ablate_hidden_units`) measures what a unit actually
    contributes. Their rank correlation says how far the cheap reading can
    be trusted. Logistic regression,
    :math:`p(1 \\mid x) = \\sigma(w^\\top x + b)`, is the interpretable
    baseline: each :math:`w_j` is the change of the log-odds per unit of
    :math:`x_j`. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> study = interpretability_study(seeds=[0], n_test=50, epochs=30,
    ...                                n_units=3)
    >>> study.ablation_drop.shape
    (1, 3)
    """
    check_choice("dataset", dataset, tuple(DATASETS))
    noise = check_nonnegative("noise", noise)
    n_train = check_int("n_train", n_train, minimum=2)
    n_test = check_int("n_test", n_test, minimum=1)
    seeds = _check_seeds(seeds)
    n_units = check_int("n_units", n_units, minimum=2)
    learning_rate = check_positive("learning_rate", learning_rate)
    momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    epochs = check_int("epochs", epochs, minimum=1)

    config = dict(
        activation=activation,
        learning_rate=learning_rate,
        momentum=momentum,
        epochs=epochs,
    )
    rows = {name: [] for name in ("net", "logistic", "weight", "drop", "rho")}
    for seed in seeds:
        X, y = _draw(dataset, n_train, noise, seed)
        X_test, y_test = _draw(dataset, n_test, noise, seed + _TEST_SEED_OFFSET)
        net = _train(X, y, hidden_units=(n_units,), seed=seed, **config)
        logistic = _train(X, y, hidden_units=(), seed=seed, **config)
        weight = np.abs(net[-1]["W"][0])
        drop = ablate_hidden_units(net, X_test, y_test, activation=activation)
        rho = np.nan if np.all(drop == drop[0]) else rank_correlation(weight, drop)
        rows["net"].append(
            evaluate_classifier(net, X_test, y_test, activation=activation)["accuracy"]
        )
        rows["logistic"].append(
            evaluate_classifier(logistic, X_test, y_test, activation=activation)[
                "accuracy"
            ]
        )
        rows["weight"].append(weight)
        rows["drop"].append(drop)
        rows["rho"].append(rho)
    return InterpretabilityStudy(seeds, *(np.array(rows[k]) for k in rows))


# ---------------------------------------------------------------------------
# Challenge 3 (continued): robust regression
# ---------------------------------------------------------------------------


def fit_line_robust(
    x, y, *, loss="mse", delta=1.0, learning_rate=0.5, epochs=200, w0=0.0, b0=0.0
):
    """Fit y ≈ w x + b by full-batch gradient descent on MSE or Huber loss.

    Parameters
    ----------
    x, y : ndarray of shape (n_samples,)
        Inputs and targets.
    loss : {"mse", "huber"}, default="mse"
        ``"mse"``: the source's :math:`\\frac{1}{2n}\\sum (y_i-\\hat y_i)^2`
        (:func:`mathlib.losses.mse`); ``"huber"``:
        :func:`mathlib.losses.huber` with threshold ``delta``.
    delta : float > 0, default=1.0
        Huber threshold; residuals larger than ``delta`` count linearly.
    learning_rate : float > 0, default=0.5
        Step size.
    epochs : int >= 1, default=200
        Number of full-batch steps.
    w0, b0 : float, default=0.0
        Initial slope and intercept.

    Returns
    -------
    RobustLineFit
        Final ``w``, ``b``, the loss history and a divergence flag.

    Warns
    -----
    mathlib.training.TrainingDivergedWarning
        If the loss becomes non-finite; training stops and the message says
        to lower ``learning_rate``.

    Notes
    -----
    Huber (1964) replaces the square by

    .. math:: \\rho_\\delta(r) = \\begin{cases} \\tfrac12 r^2 & |r| \\le
       \\delta \\\\ \\delta\\,(|r| - \\tfrac12\\delta) & |r| > \\delta
       \\end{cases},

    whose derivative :math:`\\operatorname{clip}(r, -\\delta, \\delta)`
    caps the pull of any single residual, so a few gross outliers cannot
    drag the line. With :math:`g_i = \\partial L / \\partial \\hat y_i` from
    ``mse_grad`` or ``huber_grad`` and :math:`\\hat y_i = w x_i + b`, the
    chain rule gives :math:`\\partial L/\\partial w = \\sum_i g_i x_i` and
    :math:`\\partial L/\\partial b = \\sum_i g_i`. Both losses are convex in
    :math:`(w, b)`. Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-1, 1, 50)
    >>> fit = fit_line_robust(x, 2 * x + 1, loss="huber", epochs=2000)
    >>> round(fit.w, 3), round(fit.b, 3)
    (2.0, 1.0)
    """
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    check_same_length("x", x, "y", y)
    check_choice("loss", loss, ("mse", "huber"))
    delta = check_positive("delta", delta)
    learning_rate = check_positive("learning_rate", learning_rate)
    epochs = check_int("epochs", epochs, minimum=1)
    w = check_real_scalar("w0", w0)
    b = check_real_scalar("b0", b0)

    def value_and_grad(w, b):
        y_hat = w * x + b
        if loss == "mse":
            return mse(y, y_hat), mse_grad(y, y_hat)
        return huber(y, y_hat, delta=delta), huber_grad(y, y_hat, delta=delta)

    history, diverged = [], False
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            value, g = value_and_grad(w, b)
            history.append(value)
            if not np.isfinite(value):
                diverged = True
                break
            w, b = w - learning_rate * float(g @ x), b - learning_rate * float(g.sum())
            if not (np.isfinite(w) and np.isfinite(b)):  # the loss would reject it
                history.append(np.inf)
                diverged = True
                break
        else:
            history.append(value_and_grad(w, b)[0])
            diverged = not np.isfinite(history[-1])
    if diverged:
        warnings.warn(
            f"fit_line_robust diverged (loss {history[-1]}) with learning_rate="
            f"{learning_rate}; try a smaller learning_rate",
            TrainingDivergedWarning,
            stacklevel=2,
        )
    return RobustLineFit(float(w), float(b), np.array(history), loss, delta, diverged)


def robust_line_comparison(
    outlier_fractions,
    *,
    seeds=(0, 1, 2, 3, 4),
    n_samples=100,
    noise=0.1,
    outlier_scale=5.0,
    delta=0.5,
    learning_rate=0.5,
    epochs=200,
):
    """Slope and intercept errors of MSE and Huber lines versus outliers.

    Parameters
    ----------
    outlier_fractions : sequence of float in [0, 1)
        Fractions of outliers passed to :func:`mathlib.data.noisy_line`.
    seeds : sequence of int, default=(0, 1, 2, 3, 4)
        One data draw per seed.
    n_samples, noise, outlier_scale
        Passed to :func:`mathlib.data.noisy_line` (true line y = 2x + 1).
    delta, learning_rate, epochs
        Passed to :func:`fit_line_robust`.

    Returns
    -------
    SeedSweep
        ``parameter="outlier_fraction"``; metrics ``"mse_slope_error"``,
        ``"mse_intercept_error"``, ``"huber_slope_error"``,
        ``"huber_intercept_error"``: the absolute errors :math:`|w - 2|` and
        :math:`|b - 1|`.

    Notes
    -----
    Introduced in chapter 6, Challenges.

    Examples
    --------
    >>> sweep = robust_line_comparison([0.0], seeds=[0], epochs=50)
    >>> sweep.metrics["mse_slope_error"].shape
    (1, 1)
    """
    fractions = _check_sweep(
        "outlier_fractions",
        outlier_fractions,
        lambda n, v: check_in_range(n, v, 0.0, 1.0, high_open=True),
    )
    seeds = _check_seeds(seeds)
    names = (
        "mse_slope_error",
        "mse_intercept_error",
        "huber_slope_error",
        "huber_intercept_error",
    )
    metrics = {name: np.zeros((len(seeds), len(fractions))) for name in names}
    for i, seed in enumerate(seeds):
        for k, fraction in enumerate(fractions):
            x, y = noisy_line(
                n_samples,
                noise=noise,
                outlier_fraction=float(fraction),
                outlier_scale=outlier_scale,
                seed=int(seed),
            )
            for kind in ("mse", "huber"):
                fit = fit_line_robust(
                    x,
                    y,
                    loss=kind,
                    delta=delta,
                    learning_rate=learning_rate,
                    epochs=epochs,
                )
                metrics[f"{kind}_slope_error"][i, k] = abs(fit.w - 2.0)
                metrics[f"{kind}_intercept_error"][i, k] = abs(fit.b - 1.0)
    return SeedSweep("outlier_fraction", fractions, seeds, metrics)
