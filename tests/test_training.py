"""Tests of mathlib.training: convergence, reference loops, divergence, bad input."""

import time
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mathlib.data import make_moons, seed_line
from mathlib.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    categorical_cross_entropy_with_logits,
    categorical_cross_entropy_with_logits_grad,
    mse,
    mse_grad,
    one_hot,
)
from mathlib.network import backward, forward, init_params
from mathlib.optim import gradient_descent_step, minibatch_indices, momentum_step
from mathlib.regularization import penalty, penalty_grad
from mathlib.training import (
    LinearHistory,
    NetworkHistory,
    TrainingDivergedWarning,
    critical_learning_rate,
    fit_linear_regression,
    fit_network,
    loss_surface,
    predict_network,
)

X_LINE, Y_LINE = seed_line()
X_MOONS, Y_MOONS = make_moons(200, noise=0.1, seed=0)


def _three_blobs(n_per_class=40, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    X = np.concatenate([c + 0.4 * rng.normal(size=(n_per_class, 2)) for c in centres])
    return X, np.repeat(np.arange(3), n_per_class)


def _reference_line(x, y, *, learning_rate, epochs, batch_size=None, momentum=0.0,
                    regularization="none", strength=0.0, w0=0.0, b0=0.0, seed=0,
                    convention="half"):
    """Straightforward gradient descent on a line with the public functions."""
    rng = np.random.default_rng(seed)
    params, velocity = {"w": w0, "b": b0}, None
    path = [(w0, b0)]
    for _ in range(epochs):
        if batch_size is None:
            batches = [np.arange(x.size)]
        else:
            batches = minibatch_indices(x.size, batch_size, rng)
        for idx in batches:
            y_hat = params["w"] * x[idx] + params["b"]
            g = mse_grad(y[idx], y_hat, convention=convention)
            grads = {"w": float(g @ x[idx]), "b": float(g.sum())}
            if regularization != "none":
                grads["w"] += float(penalty_grad(regularization, np.array(params["w"]),
                                                 strength))
            if momentum:
                params, velocity = momentum_step(params, grads, velocity,
                                                 learning_rate, momentum)
            else:
                params = gradient_descent_step(params, grads, learning_rate)
        path.append((params["w"], params["b"]))
    return np.array(path)


# ------------------------------------------------------- linear regression


def test_fit_linear_regression_converges_to_the_seed_line():
    history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=0.1, epochs=1000)
    assert isinstance(history, LinearHistory)
    assert abs(history.w - 2) < 1e-9 and abs(history.b - 1) < 1e-9
    assert not history.diverged and history.diverged_epoch is None
    assert history.message == ""
    assert history.loss.shape == history.w_path.shape == history.b_path.shape == (1001,)
    assert history.w_path[0] == 0.0 and history.b_path[0] == 0.0
    assert history.epochs_run == 1000 and history.steps_per_epoch == 1
    assert np.all(np.diff(history.loss) <= 1e-15)  # full-batch GD below the limit
    assert history.loss[-1] < 1e-20


def test_fit_linear_regression_losses_are_the_mse_of_the_path():
    for convention in ("half", "mean"):
        history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=0.05, epochs=30,
                                        w0=-1.0, b0=2.0, convention=convention)
        expected = [mse(Y_LINE, w * X_LINE + b, convention=convention)
                    for w, b in zip(history.w_path, history.b_path)]
        assert_allclose(history.loss, expected, rtol=1e-12, atol=1e-15)
        assert_allclose(history.data_loss, history.loss)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"learning_rate": 0.3, "epochs": 40},
        {"learning_rate": 0.3, "epochs": 40, "convention": "mean", "w0": 1.5},
        {"learning_rate": 0.1, "epochs": 25, "batch_size": 16, "seed": 3},
        {"learning_rate": 0.1, "epochs": 25, "batch_size": 7, "convention": "mean"},
        {"learning_rate": 0.05, "epochs": 30, "momentum": 0.8},
        {"learning_rate": 0.05, "epochs": 20, "momentum": 0.5, "batch_size": 32},
        {"learning_rate": 0.1, "epochs": 30, "regularization": "l2", "strength": 0.5},
        {"learning_rate": 0.1, "epochs": 30, "regularization": "l1", "strength": 0.3,
         "batch_size": 25},
    ],
)
def test_fit_linear_regression_matches_a_plain_reference_loop(kwargs):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 3, size=60)
    y = 0.7 * x - 1.2 + 0.3 * rng.normal(size=60)
    history = fit_linear_regression(x, y, **kwargs)
    path = _reference_line(x, y, **kwargs)
    assert_allclose(history.w_path, path[:, 0], rtol=0, atol=1e-12)
    assert_allclose(history.b_path, path[:, 1], rtol=0, atol=1e-12)
    expected_steps = 1 if "batch_size" not in kwargs else -(-60 // kwargs["batch_size"])
    assert history.steps_per_epoch == expected_steps


def test_blocks_of_permutations_equal_successive_permutations():
    # _fit_line draws many epochs' orders at once with rng.permuted; it relies on
    # this giving the same numbers as successive rng.permutation calls.
    a = np.random.default_rng(11).permuted(np.tile(np.arange(37), (9, 1)), axis=1)
    rng = np.random.default_rng(11)
    b = np.array([rng.permutation(37) for _ in range(9)])
    assert_array_equal(a, b)


def test_minibatch_line_uses_many_epochs_with_large_data():
    # More samples than one block of permutations holds: still equals the reference.
    rng = np.random.default_rng(1)
    x = rng.normal(size=3000)
    y = 2 * x + 1
    history = fit_linear_regression(x, y, learning_rate=0.05, epochs=200,
                                    batch_size=1000)
    path = _reference_line(x, y, learning_rate=0.05, epochs=200, batch_size=1000)
    assert_allclose(history.w_path, path[:, 0], atol=1e-12)


def test_l2_shrinks_w_to_the_ridge_solution():
    history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=0.5, epochs=2000,
                                    regularization="l2", strength=0.2)
    # Minimise 1/(2n) sum (w x + b - y)^2 + lambda w^2 / 2:
    # w = cov(x, y) / (var x + lambda).
    var = X_LINE.var()
    assert_allclose(history.w, 2 * var / (var + 0.2), rtol=1e-10)
    assert_allclose(history.b, 1.0, rtol=1e-10)
    assert abs(history.w) < 2 - 0.5  # measurably shrunk
    penalty_part = history.loss - history.data_loss
    assert_allclose(penalty_part, 0.1 * history.w_path**2, atol=1e-15)


def test_l1_drives_w_to_the_soft_threshold_or_zero():
    var, cov = X_LINE.var(), 2 * X_LINE.var()
    small = fit_linear_regression(X_LINE, Y_LINE, learning_rate=0.1, epochs=3000,
                                  regularization="l1", strength=0.2)
    # Soft thresholding: w = (cov - lambda) / var when cov > lambda.
    assert abs(small.w - (cov - 0.2) / var) < 0.1 * 0.2
    large = fit_linear_regression(X_LINE, Y_LINE, learning_rate=0.1, epochs=3000,
                                  regularization="l1", strength=1.0)
    # cov < lambda: the minimiser is w = 0; subgradient steps hover within alpha lambda.
    assert abs(large.w) <= 0.1 * 1.0
    assert abs(large.b - 1) < 1e-6
    assert_allclose(large.loss - large.data_loss, np.abs(large.w_path), atol=1e-15)


def test_strength_is_ignored_without_regularization():
    a = fit_linear_regression(X_LINE, Y_LINE, epochs=20, strength=5.0)
    b = fit_linear_regression(X_LINE, Y_LINE, epochs=20)
    assert_array_equal(a.w_path, b.w_path)


def test_epochs_zero_keeps_the_initial_parameters():
    history = fit_linear_regression(X_LINE, Y_LINE, epochs=0, w0=0.5, b0=-1.0)
    assert history.w == 0.5 and history.b == -1.0 and history.loss.shape == (1,)


def test_critical_learning_rate_separates_convergence_from_divergence():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, size=50)  # mean != 0: both eigenvalues matter
    y = -x + 3
    limit = critical_learning_rate(x)
    below = fit_linear_regression(x, y, learning_rate=0.98 * limit, epochs=3000)
    assert not below.diverged and abs(below.w + 1) < 1e-6
    with pytest.warns(TrainingDivergedWarning):
        above = fit_linear_regression(x, y, learning_rate=1.02 * limit, epochs=3000)
    assert above.diverged
    assert_allclose(critical_learning_rate(x, convention="mean"), limit / 2)
    assert_allclose(critical_learning_rate(X_LINE), 2.0, rtol=1e-12)
    assert critical_learning_rate(np.zeros(3)) == 2.0  # only b matters


# ------------------------------------------------------------ loss_surface


def test_loss_surface_matches_mse_on_a_grid():
    rng = np.random.default_rng(2)
    x = rng.normal(3.0, 0.5, size=40)  # offset data: the identity must not cancel
    y = 1.5 * x - 4 + rng.normal(size=40)
    W, B = np.meshgrid(np.linspace(-3, 5, 7), np.linspace(-9, 2, 5))
    for convention in ("half", "mean"):
        surface = loss_surface(x, y, W, B, convention=convention)
        expected = np.vectorize(
            lambda w, b: mse(y, w * x + b, convention=convention))(W, B)
        assert surface.shape == W.shape
        assert_allclose(surface, expected, rtol=1e-12)
    l2 = loss_surface(x, y, W, B, regularization="l2", strength=0.3)
    assert_allclose(l2 - loss_surface(x, y, W, B), 0.15 * W**2, atol=1e-12)
    l1 = loss_surface(x, y, W, B, regularization="l1", strength=0.3)
    assert_allclose(l1 - loss_surface(x, y, W, B), 0.3 * np.abs(W), atol=1e-12)


def test_loss_surface_scalar_and_minimum():
    assert 0.0 <= loss_surface(X_LINE, Y_LINE, 2.0, 1.0) < 1e-30
    assert isinstance(loss_surface(X_LINE, Y_LINE, 0.0, 0.0), float)
    at_origin = loss_surface(X_LINE, Y_LINE, 0.0, 0.0)
    assert at_origin == pytest.approx(mse(Y_LINE, 0 * Y_LINE))


def test_loss_surface_rejects_bad_input():
    match = (
        r"b_grid has shape \(3,\) but w_grid has shape "
        r"\(2,\)"
    )
    with pytest.raises(ValueError, match=match):
        loss_surface(X_LINE, Y_LINE, np.zeros(2), np.zeros(3))
    match = r"y has shape \(99,\) but x has shape \(100,\)"
    with pytest.raises(ValueError, match=match):
        loss_surface(X_LINE, Y_LINE[1:], 0.0, 0.0)
    with pytest.raises(ValueError, match=r"convention must be one of 'half', 'mean'"):
        loss_surface(X_LINE, Y_LINE, 0.0, 0.0, convention="sum")
    with pytest.raises(ValueError, match=r"w_grid must be finite"):
        loss_surface(X_LINE, Y_LINE, np.nan, 0.0)


# --------------------------------------------------------------- divergence


def _assert_only_divergence_warning(records):
    categories = {record.category for record in records}
    assert categories == {TrainingDivergedWarning}, categories
    assert issubclass(TrainingDivergedWarning, UserWarning)
    assert not issubclass(TrainingDivergedWarning, RuntimeWarning)


@pytest.mark.parametrize("learning_rate", [2.5, 5.0, 1e6, 1e300])
def test_linear_regression_divergence_is_reported(learning_rate):
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=learning_rate,
                                        epochs=1000)
    _assert_only_divergence_warning(records)
    assert history.diverged and isinstance(history.diverged_epoch, int)
    assert history.diverged_epoch < 1000
    assert history.loss.shape == (history.diverged_epoch + 1,)
    assert history.w_path.shape == (history.diverged_epoch + 1,)
    assert history.message == str(records[0].message)
    assert history.message.startswith(f"diverged at epoch {history.diverged_epoch}: "
                                      f"the loss grew from 1.18 to ")
    assert f"try a smaller learning rate (now {learning_rate:g})" in history.message


def test_divergence_message_format_and_pytest_warns():
    with pytest.warns(TrainingDivergedWarning,
                      match=r"^diverged at epoch 19: the loss grew from 1.18 to "
                            r"2.46e\+06; "
                            r"try a smaller learning rate \(now 2.5\)$"):
        history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=2.5, epochs=100)
    assert history.diverged_epoch == 19
    assert history.loss[-1] > 1e6 * history.loss[0] > history.loss[-2]


def test_divergence_with_momentum_suggests_less_momentum():
    with pytest.warns(TrainingDivergedWarning, match=r"or less momentum \(now 0.95\)"):
        fit_linear_regression(X_LINE, Y_LINE, learning_rate=4.5, momentum=0.95,
                              epochs=2000)


def test_minibatch_divergence_is_reported():
    with pytest.warns(TrainingDivergedWarning, match="diverged at epoch"):
        history = fit_linear_regression(X_LINE, Y_LINE, learning_rate=50.0, epochs=50,
                                        batch_size=10)
    assert history.diverged


@pytest.mark.parametrize("task", ["regression", "binary", "multiclass"])
def test_network_divergence_is_reported(task):
    X, y = (X_MOONS, Y_MOONS) if task != "multiclass" else _three_blobs()
    y = y.astype(float) * 3 if task == "regression" else y
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        history = fit_network(X, y, task=task, activation="relu", hidden_units=(16,),
                              learning_rate=1e4, epochs=200)
    _assert_only_divergence_warning(records)
    assert history.diverged and history.message == str(records[0].message)
    assert history.loss.shape == (history.diverged_epoch + 1,)
    assert history.weight_norms.shape == (history.diverged_epoch + 1, 2)
    assert "try a smaller learning rate (now 10000)" in history.message


def test_no_divergence_warning_when_training_is_fine():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit_linear_regression(X_LINE, Y_LINE, learning_rate=1.9, epochs=500)
        fit_network(X_MOONS, Y_MOONS, learning_rate=1.0, epochs=50)


# ------------------------------------------------------------------ networks


def test_fit_network_learns_the_moons():
    history = fit_network(X_MOONS, Y_MOONS, hidden_units=(16,), learning_rate=1.0,
                          epochs=300)
    assert isinstance(history, NetworkHistory)
    assert history.accuracy[-1] > 0.95 and history.accuracy[0] < 0.9
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert history.loss.shape == history.accuracy.shape == (301,)
    assert history.weight_norms.shape == (301, 2)
    assert history.val_loss is None and history.val_accuracy is None
    assert [p["W"].shape for p in history.params] == [(16, 2), (1, 16)]
    p = history.predict(X_MOONS)
    assert p.shape == (200,) and np.all((p >= 0) & (p <= 1))
    assert np.mean((p > 0.5) == Y_MOONS) == pytest.approx(history.accuracy[-1])


def test_fit_network_multiclass_and_validation():
    X, y = _three_blobs(seed=0)
    X_val, y_val = _three_blobs(n_per_class=10, seed=1)
    history = fit_network(X, y, task="multiclass", hidden_units=(8,), learning_rate=0.5,
                          epochs=200, X_val=X_val, y_val=y_val)
    assert history.accuracy[-1] > 0.97 and history.val_accuracy[-1] > 0.95
    assert history.val_loss.shape == history.val_accuracy.shape == (201,)
    probs = predict_network(history.params, X_val, activation="tanh", task="multiclass")
    assert probs.shape == (30, 3)
    assert_allclose(probs.sum(axis=1), 1.0)
    Z, _ = forward(history.params, X_val, activation="tanh")
    assert history.val_loss[-1] == pytest.approx(
        categorical_cross_entropy_with_logits(one_hot(y_val, 3), Z), rel=1e-12)


def test_fit_network_regression():
    x = np.linspace(-2, 2, 80)
    X, y = x[:, None], np.sin(2 * x)
    history = fit_network(X, y, task="regression", hidden_units=(16,),
                          learning_rate=0.2, momentum=0.9, epochs=500)
    assert history.accuracy is None
    assert history.loss[-1] < 0.01 < history.loss[0]
    y_hat = predict_network(history.params, X, activation="tanh", task="regression")
    assert y_hat.shape == (80,)
    assert mse(y, y_hat) == pytest.approx(history.loss[-1], rel=1e-12)
    # Several outputs.
    Y2 = np.column_stack([y, -y])
    h2 = fit_network(X, Y2, task="regression", epochs=5)
    assert predict_network(h2.params, X, task="regression").shape == (80, 2)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("regularization", ["none", "l1", "l2"])
def test_fit_network_steps_equal_public_forward_backward(activation, task,
                                                         regularization):
    # Two epochs of fit_network equal two hand-written steps with the public
    # functions of mathlib.network, losses, regularization and optim.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(12, 3))
    if task == "binary":
        y = rng.integers(0, 2, size=12)
        Y = y[:, None].astype(float)
        loss = binary_cross_entropy_with_logits
        grad = binary_cross_entropy_with_logits_grad
    elif task == "multiclass":
        y = rng.integers(0, 3, size=12)
        Y = one_hot(y, 3)
        loss = categorical_cross_entropy_with_logits
        grad = categorical_cross_entropy_with_logits_grad
    else:
        y = rng.normal(size=12)
        Y = y[:, None]
        loss, grad = mse, mse_grad
    strength = 0.0 if regularization == "none" else 0.05
    history = fit_network(X, y, task=task, activation=activation, hidden_units=(5, 4),
                          learning_rate=0.3, epochs=2, regularization=regularization,
                          strength=strength, seed=9)

    init = "he_uniform" if activation == "relu" else "glorot_uniform"
    params = init_params([3, 5, 4, Y.shape[1]], init=init, seed=9)
    losses = []
    for _ in range(3):
        Z, cache = forward(params, X, activation=activation)
        weights = [p["W"] for p in params]
        losses.append(loss(Y, Z) + penalty(regularization, weights, strength))
        grads, _ = backward(params, cache, grad(Y, Z))
        for g, r in zip(grads, penalty_grad(regularization, weights, strength)):
            g["W"] = g["W"] + r
        params = gradient_descent_step(params, grads, 0.3)
        if len(losses) == 3:
            break
    # `params` went one step further than history: compare the losses and the
    # parameters after two steps.
    assert_allclose(history.loss, losses, rtol=1e-12)
    Z_hist, _ = forward(history.params, X, activation=activation)
    final_weights = [p["W"] for p in history.params]
    assert_allclose(loss(Y, Z_hist) + penalty(regularization, final_weights, strength),
                    losses[2], rtol=1e-12)


def test_fit_network_minibatch_and_momentum_equal_reference():
    X, y = X_MOONS[:50], Y_MOONS[:50]
    Y = y[:, None].astype(float)
    history = fit_network(X, y, hidden_units=(6,), learning_rate=0.5, momentum=0.7,
                          batch_size=16, epochs=3, seed=2)
    params, velocity = init_params([2, 6, 1], seed=2), None
    rng = np.random.default_rng([2, 1])
    for _ in range(3):
        for idx in minibatch_indices(50, 16, rng):
            Z, cache = forward(params, X[idx])
            grads, _ = backward(params, cache,
                                binary_cross_entropy_with_logits_grad(Y[idx], Z))
            params, velocity = momentum_step(params, grads, velocity, 0.5, 0.7)
    for got, want in zip(history.params, params):
        assert_allclose(got["W"], want["W"], rtol=1e-12, atol=1e-14)
        assert_allclose(got["b"], want["b"], rtol=1e-12, atol=1e-14)


def test_l1_zeroes_weights_and_l2_shrinks_norms():
    kwargs = dict(hidden_units=(16,), learning_rate=0.5, epochs=300, seed=1)
    plain = fit_network(X_MOONS, Y_MOONS, **kwargs)
    l1 = fit_network(X_MOONS, Y_MOONS, regularization="l1", strength=0.01, **kwargs)
    l2 = fit_network(X_MOONS, Y_MOONS, regularization="l2", strength=0.01, **kwargs)

    def near_zero_fraction(history):
        W = np.concatenate([p["W"].ravel() for p in history.params])
        return np.mean(np.abs(W) < 0.01)

    # Measured: none ~2% of weights below 0.01, L1 ~30%.
    assert near_zero_fraction(l1) > near_zero_fraction(plain) + 0.15
    assert np.sum(l2.weight_norms[-1]) < 0.8 * np.sum(plain.weight_norms[-1])
    assert np.sum(l1.weight_norms[-1]) < np.sum(plain.weight_norms[-1])
    assert_allclose(plain.weight_norms[-1],
                    [np.linalg.norm(p["W"]) for p in plain.params], rtol=1e-12)
    assert_allclose(l2.loss - l2.data_loss,
                    0.005 * np.sum(l2.weight_norms**2, axis=1), rtol=1e-10)


def test_fit_network_seeding_float32_and_epochs_zero():
    a = fit_network(X_MOONS, Y_MOONS, epochs=20, seed=3)
    b = fit_network(X_MOONS, Y_MOONS, epochs=20, seed=3)
    c = fit_network(X_MOONS, Y_MOONS, epochs=20, seed=4)
    assert_array_equal(a.loss, b.loss)
    assert not np.array_equal(a.loss, c.loss)
    f32 = fit_network(X_MOONS, Y_MOONS, epochs=20, seed=3, dtype="float32")
    assert_allclose(f32.loss, a.loss, rtol=1e-5)
    assert f32.params[0]["W"].dtype == np.float64
    zero = fit_network(X_MOONS, Y_MOONS, epochs=0)
    assert zero.loss.shape == (1,) and zero.epochs_run == 0
    none = fit_network(X_MOONS, Y_MOONS, hidden_units=(), epochs=50, learning_rate=1.0)
    assert len(none.params) == 1 and none.accuracy[-1] > 0.8  # logistic regression


def test_fit_network_is_fast_enough_for_sliders():
    # ~200 samples, 16 hidden units, 300 full-batch epochs. CPU time, so that a
    # busy machine does not make the test flaky; measured ~20-50 ms.
    fit_network(X_MOONS, Y_MOONS, hidden_units=(16,), epochs=5)
    start = time.process_time()
    fit_network(X_MOONS, Y_MOONS, hidden_units=(16,), learning_rate=1.0, epochs=300)
    assert time.process_time() - start < 0.5


# ---------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"learning_rate": 0.0}, ValueError, r"learning_rate must be > 0, got 0.0"),
        ({"learning_rate": -1.0}, ValueError, r"learning_rate must be > 0, got -1.0"),
        ({"learning_rate": np.nan}, ValueError,
         r"learning_rate must be finite, got nan"),
        ({"learning_rate": np.inf}, ValueError,
         r"learning_rate must be finite, got inf"),
        ({"learning_rate": "0.1"}, TypeError, r"learning_rate must be a real number"),
        ({"epochs": -1}, ValueError, r"epochs must be >= 0, got -1"),
        ({"epochs": 10.0}, TypeError, r"epochs must be an integer, got 10.0"),
        ({"batch_size": 0}, ValueError, r"batch_size must be >= 1, got 0"),
        ({"batch_size": 2.5}, TypeError, r"batch_size must be an integer, got 2.5"),
        ({"regularization": "l3"}, ValueError,
         r"regularization must be one of 'none', 'l1', 'l2'; got 'l3'"),
        ({"strength": -0.1}, ValueError, r"strength must be >= 0, got -0.1"),
        ({"strength": np.nan}, ValueError, r"strength must be finite, got nan"),
        ({"momentum": 1.0}, ValueError, r"momentum must be in \[0.0, 1.0\), got 1.0"),
        ({"momentum": -0.5}, ValueError, r"momentum must be in \[0.0, 1.0\)"),
        ({"seed": -3}, ValueError, r"seed must be >= 0, got -3"),
        ({"seed": 1.5}, TypeError, r"seed must be an integer"),
    ],
)
def test_both_fits_reject_bad_hyperparameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_linear_regression(X_LINE, Y_LINE, **kwargs)
    with pytest.raises(error, match=match):
        fit_network(X_MOONS, Y_MOONS, **kwargs)


@pytest.mark.parametrize(
    "x, y, kwargs, error, match",
    [
        (X_LINE, Y_LINE[:-1], {}, ValueError,
         r"y has shape \(99,\) but x has shape \(100,\)"),
        (X_LINE[:, None], Y_LINE, {}, ValueError, r"x must have 1 dimension\(s\), got "
         r"shape \(100, 1\)"),
        (np.r_[np.nan, X_LINE[1:]], Y_LINE, {}, ValueError,
         r"x must be finite, got 1 NaN or infinite value"),
        (X_LINE, np.r_[Y_LINE[:-1], np.inf], {}, ValueError, r"y must be finite"),
        (X_LINE, Y_LINE, {"convention": "sum"}, ValueError,
         r"convention must be one of 'half', 'mean'; got 'sum'"),
        (X_LINE, Y_LINE, {"w0": np.nan}, ValueError, r"w0 must be finite, got nan"),
        (X_LINE, Y_LINE, {"b0": "0"}, TypeError, r"b0 must be a real number"),
        ([], [], {}, ValueError, r"x must not be empty"),
    ],
)
def test_fit_linear_regression_rejects_bad_data(x, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_linear_regression(x, y, **kwargs)


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        (X_MOONS, Y_MOONS[:-1], {}, ValueError,
         r"X and y must have the same number of samples \(first dimension\), got X of "
         r"shape \(200, 2\) and y of shape \(199,\)"),
        (X_MOONS[:, 0], Y_MOONS, {}, ValueError, r"X must have 2 dimension"),
        (np.where(X_MOONS > 1.5, np.nan, X_MOONS), Y_MOONS, {}, ValueError,
         r"X must be finite, got \d+ NaN"),
        (X_MOONS, Y_MOONS + 1, {}, ValueError,
         r"y must hold labels 0 and 1 for task='binary', got 2; use task='multiclass'"),
        (X_MOONS, Y_MOONS - 0.5, {}, ValueError,
         r"y must hold integer class labels >= 0 for task='binary', got -0.5"),
        (X_MOONS, np.zeros(200), {"task": "multiclass"}, ValueError,
         r"y must contain at least 2 classes for task='multiclass'"),
        (X_MOONS, np.where(Y_MOONS == 1, np.nan, 0.0), {"task": "regression"},
         ValueError, r"y must be finite"),
        (X_MOONS, Y_MOONS, {"task": "ranking"}, ValueError,
         r"task must be one of 'binary', 'multiclass', 'regression'; got 'ranking'"),
        (X_MOONS, Y_MOONS, {"activation": "softplus"}, ValueError,
         r"activation must be one of 'sigmoid', 'tanh', 'relu', 'identity'; got "
         r"'softplus'"),
        (X_MOONS, Y_MOONS, {"hidden_units": (8, 0)}, ValueError,
         r"hidden_units\[1\] must be >= 1, got 0"),
        (X_MOONS, Y_MOONS, {"hidden_units": "8"}, TypeError,
         r"hidden_units must be an int or a tuple of ints"),
        (X_MOONS, Y_MOONS, {"X_val": X_MOONS}, ValueError,
         r"X_val and y_val must be given together"),
        (X_MOONS, Y_MOONS, {"X_val": X_MOONS[:, :1], "y_val": Y_MOONS}, ValueError,
         r"X_val has 1 features \(shape \(200, 1\)\) but X has 2"),
        (X_MOONS, Y_MOONS, {"X_val": X_MOONS, "y_val": Y_MOONS[:5]}, ValueError,
         r"X_val and y_val must have the same number of samples"),
        (X_MOONS, Y_MOONS, {"X_val": X_MOONS, "y_val": Y_MOONS + 1.5}, ValueError,
         r"y_val must hold integer class labels"),
        (X_MOONS, Y_MOONS, {"init": "ones"}, ValueError, r"init must be one of"),
        (X_MOONS, Y_MOONS, {"dtype": "float16"}, ValueError,
         r"dtype must be one of 'float64', 'float32'; got 'float16'"),
    ],
)
def test_fit_network_rejects_bad_data(X, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_network(X, y, **kwargs)


def test_fit_network_rejects_validation_labels_beyond_training_classes():
    X, y = _three_blobs()
    match = (
        r"y_val contains label 3 but the training labels"
        r" y only have 3 classes \(0 .. 2\)"
    )
    with pytest.raises(ValueError, match=match):
        fit_network(X, y, task="multiclass", X_val=X[:2], y_val=np.array([0, 3]))


def test_predict_network_rejects_bad_input():
    params = init_params([2, 3, 2])
    match = (
        r"task='binary' needs a network with 1 output, "
        r"got 2 outputs"
    )
    with pytest.raises(ValueError, match=match):
        predict_network(params, X_MOONS)
    with pytest.raises(ValueError, match=r"task must be one of"):
        predict_network(params, X_MOONS, task="softmax")
    with pytest.raises(ValueError, match=r"X has 3 features"):
        predict_network(params, np.ones((4, 3)), task="multiclass")


def test_line_loss_hessian_matches_finite_differences_of_the_loss():
    from mathlib.losses import mse
    from mathlib.training import line_loss_hessian

    rng = np.random.default_rng(3)
    x = rng.normal(1.0, 2.0, size=40)
    y = 3.0 * x - 0.5 + rng.normal(size=40)
    h = 1e-3
    for convention in ("half", "mean"):
        def loss(w, b):
            return mse(y, w * x + b, convention=convention)

        numeric = np.empty((2, 2))
        steps = [(h, 0.0), (0.0, h)]
        for i, (dw_i, db_i) in enumerate(steps):
            for j, (dw_j, db_j) in enumerate(steps):
                numeric[i, j] = (
                    loss(0.3 + dw_i + dw_j, 0.1 + db_i + db_j)
                    - loss(0.3 + dw_i - dw_j, 0.1 + db_i - db_j)
                    - loss(0.3 - dw_i + dw_j, 0.1 - db_i + db_j)
                    + loss(0.3 - dw_i - dw_j, 0.1 - db_i - db_j)
                ) / (4 * h * h)
        np.testing.assert_allclose(
            line_loss_hessian(x, convention=convention), numeric, rtol=1e-6
        )


def test_line_loss_hessian_rejects_2d_input():
    from mathlib.training import line_loss_hessian

    with pytest.raises(ValueError, match="x must have 1 dimension"):
        line_loss_hessian(np.ones((3, 1)))
