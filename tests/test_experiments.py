"""Tests of mathlib.experiments, the measurements of chapter 6 (Challenges)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mathlib import experiments as E
from mathlib.gradcheck import numerical_gradient
from mathlib.layers import dense_forward
from mathlib.network import forward, init_params
from mathlib.training import TrainingDivergedWarning, fit_network

LINEAR = [{"W": np.array([[3.0, -1.0]]), "b": np.array([0.5])}]


def random_params(seed, layer_sizes=(2, 5, 1)):
    """Non-trivial parameters: random weights AND random biases."""
    params = init_params(list(layer_sizes), seed=seed)
    rng = np.random.default_rng(seed + 1)
    return [{"W": p["W"], "b": rng.normal(0, 0.5, p["b"].shape)} for p in params]


@pytest.fixture(scope="module")
def trained_moons():
    X, y = E._draw("moons", 200, 0.2, 0)
    X_test, y_test = E._draw("moons", 300, 0.2, 10_000)
    history = fit_network(
        X, y, hidden_units=(16,), learning_rate=0.5, momentum=0.9, epochs=200, seed=0
    )
    return history.params, X_test, y_test


# -------------------------------------------------------------------------- SeedSweep


def test_seed_sweep_mean_std_and_table():
    sweep = E.SeedSweep(
        "n",
        np.array([1.0, 2.0]),
        np.array([0, 1, 2]),
        {"m": np.array([[1.0, 4.0], [2.0, 4.0], [3.0, 4.0]])},
    )
    np.testing.assert_allclose(sweep.mean("m"), [2.0, 4.0])
    np.testing.assert_allclose(sweep.std("m"), [1.0, 0.0])  # ddof=1
    assert sweep.table("m") == [(1.0, 2.0, 1.0), (2.0, 4.0, 0.0)]
    assert sweep.table() == sweep.table("m")
    with pytest.raises(ValueError, match="metric"):
        sweep.mean("nope")


def test_seed_sweep_single_seed_has_zero_spread():
    sweep = E.SeedSweep("n", np.array([1.0]), np.array([0]), {"m": np.array([[5.0]])})
    np.testing.assert_array_equal(sweep.std("m"), [0.0])


# ----------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "fraction, expected", [(0.0, 0), (0.1, 10), (0.25, 25), (1.0, 100)]
)
def test_flip_labels_changes_exactly_the_requested_number(fraction, expected):
    y = np.repeat([0, 1], 50)
    y_noisy = E.flip_labels(y, fraction=fraction, seed=3)
    assert int(np.sum(y_noisy != y)) == expected
    assert set(np.unique(y_noisy)) <= {0, 1}


def test_flip_labels_multiclass_keeps_range_and_always_changes():
    y = np.tile([0, 1, 2, 3], 25)
    y_noisy = E.flip_labels(y, fraction=1.0, seed=0)
    assert np.all(y_noisy != y)
    assert y_noisy.min() >= 0 and y_noisy.max() <= 3


def test_flip_labels_is_seeded_and_does_not_mutate():
    y = np.repeat([0, 1], 20)
    before = y.copy()
    a = E.flip_labels(y, fraction=0.3, seed=5)
    b = E.flip_labels(y, fraction=0.3, seed=5)
    c = E.flip_labels(y, fraction=0.3, seed=6)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(y, before)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(y=np.array([0, 1]), fraction=1.5), ValueError, "fraction"),
        (dict(y=np.array([0.0, 1.0]), fraction=0.1), ValueError, "integer"),
        (dict(y=np.array([0, 0]), fraction=0.1), ValueError, "two classes"),
        (dict(y=np.array([-1, 1]), fraction=0.1), ValueError, ">= 0"),
        (dict(y=np.array([0, 1]), fraction=0.1, seed=-1), ValueError, "seed"),
    ],
)
def test_flip_labels_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        E.flip_labels(kwargs.pop("y"), **kwargs)


# ----------------------------------------------------------------------------- jitter


def test_jitter_shapes_order_and_labels():
    X = np.arange(10.0).reshape(5, 2)
    y = np.array([0, 1, 0, 1, 1])
    X_aug, y_aug = E.augment_with_jitter(X, y, copies=3, scale=0.1, seed=0)
    assert X_aug.shape == (20, 2) and y_aug.shape == (20,)
    np.testing.assert_array_equal(X_aug[:5], X)
    np.testing.assert_array_equal(y_aug, np.tile(y, 4))
    assert np.all(np.abs(X_aug[5:] - np.tile(X, (3, 1))) > 0)


def test_jitter_seeding_and_scale():
    X, y = np.zeros((400, 2)), np.zeros(400, dtype=int)
    a, _ = E.augment_with_jitter(X, y, copies=5, scale=0.3, seed=1)
    b, _ = E.augment_with_jitter(X, y, copies=5, scale=0.3, seed=1)
    c, _ = E.augment_with_jitter(X, y, copies=5, scale=0.3, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(a[400:].std() - 0.3) < 0.01  # 4000 draws: std error ~0.003
    zero, _ = E.augment_with_jitter(X[:3], y[:3], copies=2, scale=0.0)
    np.testing.assert_array_equal(zero, np.zeros((9, 2)))
    none, _ = E.augment_with_jitter(X[:3], y[:3], copies=0, scale=1.0)
    assert none.shape == (3, 2)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(copies=-1, scale=0.1), ValueError, "copies"),
        (dict(copies=1.5, scale=0.1), TypeError, "copies"),
        (dict(copies=1, scale=-0.1), ValueError, "scale"),
    ],
)
def test_jitter_rejects_bad_hyperparameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        E.augment_with_jitter(np.zeros((3, 2)), np.zeros(3, dtype=int), **kwargs)


def test_jitter_rejects_bad_shapes():
    with pytest.raises(ValueError, match="same number of samples"):
        E.augment_with_jitter(np.zeros((3, 2)), np.zeros(4), copies=1, scale=0.1)
    with pytest.raises(ValueError, match="1-D"):
        E.augment_with_jitter(np.zeros((3, 2)), np.zeros((3, 1)), copies=1, scale=0.1)
    with pytest.raises(ValueError, match="dimension"):
        E.augment_with_jitter(np.zeros(3), np.zeros(3), copies=1, scale=0.1)


# ------------------------------------------------------------------------- evaluation


def test_evaluate_classifier_known_values():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    result = E.evaluate_classifier(LINEAR, X, np.array([1, 0, 1]))
    z = np.array([3.5, -0.5, 0.5])
    y = np.array([1.0, 0.0, 1.0])
    expected = np.mean(np.log1p(np.exp(z)) - y * z)
    assert result["accuracy"] == 1.0
    assert result["loss"] == pytest.approx(expected, rel=1e-12)


def test_evaluate_classifier_multiclass():
    params = [{"W": np.eye(3)[:, :2] * 5.0, "b": np.array([0.0, 0.0, 1.0])}]
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]])
    result = E.evaluate_classifier(params, X, np.array([0, 1, 2, 2]), task="multiclass")
    assert result["accuracy"] == 0.75


@pytest.mark.parametrize(
    "X, y, task, error, match",
    [
        (np.zeros((2, 2)), np.array([0, 2]), "binary", ValueError, "0 and 1"),
        (np.zeros((2, 2)), np.array([0.0, 1.0]), "binary", ValueError, "integer"),
        (np.zeros((2, 2)), np.array([0, 1, 1]), "binary", ValueError, "same number"),
        (np.zeros((2, 3)), np.array([0, 1]), "binary", ValueError, "features"),
        (np.zeros((2, 2)), np.array([0, 1]), "ternary", ValueError, "task"),
        (np.zeros((2, 2)), np.array([0, 3]), "multiclass", ValueError, "outputs"),
    ],
)
def test_evaluate_classifier_rejects_bad_input(X, y, task, error, match):
    with pytest.raises(error, match=match):
        E.evaluate_classifier(LINEAR, X, y, task=task)


def test_evaluate_classifier_rejects_bad_params():
    with pytest.raises(TypeError, match="params"):
        E.evaluate_classifier({"W": 1}, np.zeros((2, 2)), np.array([0, 1]))


# -------------------------------------------------------------------------- gradients


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), activation=st.sampled_from(["tanh", "sigmoid"]))
def test_loss_input_gradient_matches_central_differences(seed, activation):
    params = random_params(seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 2))
    y = rng.integers(0, 2, size=4)

    def loss(X_):
        return E.evaluate_classifier(params, X_, y, activation=activation)["loss"]

    analytic = E.loss_input_gradient(params, X, y, activation=activation)
    numeric = numerical_gradient(loss, X)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_loss_input_gradient_multiclass_matches_central_differences():
    params = random_params(7, layer_sizes=(2, 6, 3))
    X = np.random.default_rng(0).normal(size=(5, 2))
    y = np.array([0, 1, 2, 1, 0])

    def loss(X_):
        return E.evaluate_classifier(params, X_, y, task="multiclass")["loss"]

    analytic = E.loss_input_gradient(params, X, y, task="multiclass")
    np.testing.assert_allclose(
        analytic, numerical_gradient(loss, X), rtol=1e-5, atol=1e-8
    )


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), activation=st.sampled_from(["tanh", "sigmoid"]))
def test_saliency_matches_numerical_gradient_of_the_logit(seed, activation):
    params = random_params(seed, layer_sizes=(2, 4, 3, 1))
    X = np.random.default_rng(seed).normal(size=(3, 2))

    def total_logit(X_):
        return float(forward(params, X_, activation=activation)[0][:, 0].sum())

    analytic = E.saliency(params, X, activation=activation)
    np.testing.assert_allclose(
        analytic, numerical_gradient(total_logit, X), rtol=1e-5, atol=1e-8
    )


def test_saliency_of_a_single_point_matches_per_sample_gradient():
    params = random_params(3)
    X = np.array([[0.3, -0.2], [1.0, 0.5]])
    for i in range(2):

        def logit(x):
            return float(forward(params, x[None, :])[0][0, 0])

        np.testing.assert_allclose(
            E.saliency(params, X)[i], numerical_gradient(logit, X[i]), rtol=1e-5
        )


def test_saliency_of_a_linear_model_is_its_weight_row():
    params = [{"W": np.array([[1.0, 2.0], [-3.0, 4.0]]), "b": np.zeros(2)}]
    np.testing.assert_array_equal(
        E.saliency(params, np.ones((3, 2)), output=1), np.tile([-3.0, 4.0], (3, 1))
    )
    with pytest.raises(ValueError, match="output"):
        E.saliency(params, np.ones((3, 2)), output=2)


# ------------------------------------------------------------------------------- FGSM


@pytest.mark.parametrize("epsilon", [0.0, 0.05, 0.3])
def test_fgsm_perturbation_has_max_norm_epsilon_and_follows_the_gradient_sign(epsilon):
    params = random_params(1)
    X = np.random.default_rng(1).normal(size=(20, 2))
    y = np.random.default_rng(2).integers(0, 2, size=20)
    X_adv = E.fgsm(params, X, y, epsilon=epsilon)
    delta = X_adv - X
    np.testing.assert_allclose(
        np.abs(delta).max(axis=1), epsilon, rtol=1e-12, atol=1e-15
    )
    if epsilon > 0:
        grad = E.loss_input_gradient(params, X, y)
        np.testing.assert_array_equal(np.sign(delta), np.sign(grad))


def test_fgsm_increases_the_loss_of_every_sample():
    params = random_params(2)
    X = np.random.default_rng(3).normal(size=(30, 2))
    y = np.random.default_rng(4).integers(0, 2, size=30)
    X_adv = E.fgsm(params, X, y, epsilon=0.05)
    for i in range(30):
        clean = E.evaluate_classifier(params, X[i : i + 1], y[i : i + 1])["loss"]
        attacked = E.evaluate_classifier(params, X_adv[i : i + 1], y[i : i + 1])["loss"]
        assert attacked > clean


def test_fgsm_lowers_accuracy_of_a_trained_network(trained_moons):
    params, X_test, y_test = trained_moons
    accuracy = E.accuracy_under_attack(params, X_test, y_test, epsilons=[0.0, 0.1, 0.3])
    assert accuracy[0] > 0.9  # the network did learn the moons
    assert accuracy[1] < accuracy[0] - 0.03
    assert accuracy[2] < accuracy[0] - 0.15


def test_accuracy_under_attack_of_a_linear_model_is_exact():
    params = [{"W": np.array([[1.0, 0.0]]), "b": np.array([0.0])}]
    X = np.array([[0.1, 5.0], [0.2, -1.0], [-0.3, 0.0], [-0.4, 2.0]])
    y = np.array([1, 1, 0, 0])
    accuracy = E.accuracy_under_attack(
        params, X, y, epsilons=[0.0, 0.15, 0.25, 0.35, 0.5]
    )
    np.testing.assert_array_equal(accuracy, [1.0, 0.75, 0.5, 0.25, 0.0])


def test_fgsm_rejects_bad_epsilon():
    with pytest.raises(ValueError, match="epsilon"):
        E.fgsm(LINEAR, np.zeros((1, 2)), np.array([1]), epsilon=-0.1)
    with pytest.raises(ValueError, match="epsilons"):
        E.accuracy_under_attack(LINEAR, np.zeros((1, 2)), np.array([1]), epsilons=[])


# ----------------------------------------------------------------------- hidden units


def test_hidden_activations_on_grid_matches_dense_forward():
    params = random_params(4, layer_sizes=(2, 3, 2, 1))
    grid = E.hidden_activations_on_grid(
        params, layer=1, resolution=7, x1_range=(-1, 2), x2_range=(0, 1)
    )
    assert grid.A.shape == (2, 7, 7)
    i, j = 5, 2
    point = np.array([[grid.x1[j], grid.x2[i]]])
    A1, _ = dense_forward(point, params[0]["W"], params[0]["b"], "tanh")
    A2, _ = dense_forward(A1, params[1]["W"], params[1]["b"], "tanh")
    np.testing.assert_allclose(grid.A[:, i, j], A2[0], rtol=1e-12)
    np.testing.assert_allclose(grid.x1[[0, -1]], [-1, 2])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(layer=2), "hidden layers"),
        (dict(resolution=1), "resolution"),
        (dict(x1_range=(1.0, 0.0)), "low < high"),
    ],
)
def test_hidden_activations_on_grid_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        E.hidden_activations_on_grid(random_params(0, (2, 3, 2, 1)), **kwargs)


def test_hidden_activations_needs_two_inputs():
    with pytest.raises(ValueError, match="features"):
        E.hidden_activations_on_grid(random_params(0, (3, 2, 1)))


# ------------------------------------------------------------------------ robust line


@pytest.mark.parametrize("loss", ["mse", "huber"])
def test_fit_line_robust_recovers_a_clean_line(loss):
    x = np.linspace(-1, 1, 40)
    fit = E.fit_line_robust(x, 2 * x + 1, loss=loss, epochs=1000)
    assert fit.w == pytest.approx(2.0, abs=1e-6) and fit.b == pytest.approx(
        1.0, abs=1e-6
    )
    assert fit.loss.shape == (1001,) and not fit.diverged
    assert np.all(np.diff(fit.loss) <= 1e-15)  # convex, small step: monotone


def test_huber_with_large_delta_equals_mse():
    x = np.linspace(-1, 1, 30)
    y = 2 * x + 1 + np.sin(7 * x)
    mse_fit = E.fit_line_robust(x, y, loss="mse", epochs=300)
    huber_fit = E.fit_line_robust(x, y, loss="huber", delta=100.0, epochs=300)
    assert huber_fit.w == pytest.approx(mse_fit.w, rel=1e-12)
    assert huber_fit.b == pytest.approx(mse_fit.b, rel=1e-12)


def test_mse_line_matches_least_squares():
    from mathlib.data import noisy_line

    x, y = noisy_line(60, noise=0.3, outlier_fraction=0.1, seed=2)
    fit = E.fit_line_robust(x, y, loss="mse", epochs=2000)
    w, b = np.polyfit(x, y, 1)
    assert fit.w == pytest.approx(w, abs=1e-8) and fit.b == pytest.approx(b, abs=1e-8)


def test_huber_line_is_closer_to_truth_than_mse_with_outliers():
    from mathlib.data import noisy_line

    for seed in range(3):
        x, y = noisy_line(100, noise=0.1, outlier_fraction=0.15, seed=seed)
        errors = {}
        for loss in ("mse", "huber"):
            fit = E.fit_line_robust(x, y, loss=loss, delta=0.5, epochs=400)
            errors[loss] = np.hypot(fit.w - 2.0, fit.b - 1.0)
        assert errors["huber"] < 0.5 * errors["mse"]


def test_fit_line_robust_reports_divergence():
    x = np.linspace(-1, 1, 20)
    with pytest.warns(TrainingDivergedWarning, match="learning_rate"):
        fit = E.fit_line_robust(x, 2 * x + 1, learning_rate=1e3, epochs=2000)
    assert fit.diverged and len(fit.loss) < 2001


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(loss="l1"), ValueError, "loss"),
        (dict(delta=0.0), ValueError, "delta"),
        (dict(learning_rate=-1.0), ValueError, "learning_rate"),
        (dict(epochs=0), ValueError, "epochs"),
        (dict(w0="a"), TypeError, "w0"),
    ],
)
def test_fit_line_robust_rejects_bad_hyperparameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        E.fit_line_robust(np.zeros(3), np.zeros(3), **kwargs)


def test_fit_line_robust_rejects_bad_data():
    with pytest.raises(ValueError, match="same number"):
        E.fit_line_robust(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="finite"):
        E.fit_line_robust(np.array([0.0, np.nan]), np.zeros(2))


def test_robust_line_comparison_favours_huber():
    sweep = E.robust_line_comparison([0.0, 0.2], seeds=[0, 1], epochs=300)
    assert sweep.metrics["mse_slope_error"].shape == (2, 2)
    assert (
        sweep.mean("huber_intercept_error")[1]
        < 0.5 * sweep.mean("mse_intercept_error")[1]
    )
    assert sweep.mean("mse_intercept_error")[0] < 0.05  # no outliers: both fine
    with pytest.raises(ValueError, match="outlier_fractions"):
        E.robust_line_comparison([1.0])


# ----------------------------------------------------------------------------- sweeps


def test_learning_curve_gap_shrinks_with_more_data():
    sweep = E.learning_curve([10, 160], seeds=[0, 1], n_test=200, epochs=150)
    gap = sweep.mean("test_loss") - sweep.mean("train_loss")
    assert gap[0] > gap[1] + 0.2
    assert sweep.mean("test_accuracy")[1] > sweep.mean("test_accuracy")[0]


def test_label_noise_lowers_clean_test_accuracy():
    sweep = E.label_noise_curve(
        [0.0, 0.4], n_train=100, n_test=200, seeds=[0, 1], epochs=150
    )
    assert sweep.mean("test_accuracy")[0] > sweep.mean("test_accuracy")[1] + 0.05
    assert sweep.parameter == "label_noise"


def test_augmentation_effect_returns_paired_metrics():
    sweep = E.augmentation_effect([10, 20], copies=2, n_test=50, seeds=[0], epochs=30)
    assert set(sweep.metrics) == {
        "plain_test_accuracy",
        "jitter_test_accuracy",
        "plain_test_loss",
        "jitter_test_loss",
    }
    assert np.all(
        (sweep.metrics["plain_test_accuracy"] >= 0)
        & (sweep.metrics["plain_test_accuracy"] <= 1)
    )


def test_robustness_comparison_is_seeded():
    kwargs = dict(n_train=40, n_test=60, seeds=[3], epochs=30)
    a = E.robustness_comparison([0.0, 0.2], **kwargs)
    b = E.robustness_comparison([0.0, 0.2], **kwargs)
    for name in a.metrics:
        np.testing.assert_array_equal(a.metrics[name], b.metrics[name])


@pytest.mark.parametrize(
    "func, kwargs, error, match",
    [
        (E.learning_curve, dict(sizes=[1]), ValueError, "sizes"),
        (E.learning_curve, dict(sizes=[10], dataset="iris"), ValueError, "dataset"),
        (E.learning_curve, dict(sizes=[10], seeds=[]), ValueError, "seeds"),
        (E.learning_curve, dict(sizes=[10], momentum=1.0), ValueError, "momentum"),
        (
            E.learning_curve,
            dict(sizes=[10], hidden_units=(0,)),
            ValueError,
            "hidden_units",
        ),
        (E.label_noise_curve, dict(fractions=[1.2]), ValueError, "fractions"),
        (E.augmentation_effect, dict(sizes=[10], copies=-1), ValueError, "copies"),
        (E.robustness_comparison, dict(epsilons=[-0.1]), ValueError, "epsilons"),
        (
            E.robustness_comparison,
            dict(epsilons=[0.1], l2_strength=-1.0),
            ValueError,
            "l2_strength",
        ),
    ],
)
def test_sweeps_reject_bad_input_before_training(func, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(**kwargs)


def test_experiments_are_quiet(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        E.robust_line_comparison([0.1], seeds=[0], epochs=20)
    assert capsys.readouterr() == ("", "")


# -------------------------------------------------------------------- random baseline


def test_random_sign_attack_is_never_worse_than_fgsm_on_a_linear_model():
    params = [{"W": np.array([[1.0, 0.5]]), "b": np.array([0.1])}]
    X = np.random.default_rng(0).normal(size=(200, 2))
    y = (X @ np.array([1.0, 0.5]) + 0.1 > 0).astype(int)
    eps = [0.0, 0.1, 0.3, 0.6]
    worst = E.accuracy_under_attack(params, X, y, epsilons=eps)
    rand = E.accuracy_under_attack(
        params, X, y, epsilons=eps, attack="random_sign", seed=1
    )
    assert worst[0] == rand[0] == 1.0
    assert np.all(rand >= worst) and rand[-1] > worst[-1] + 0.1
    again = E.accuracy_under_attack(
        params, X, y, epsilons=eps, attack="random_sign", seed=1
    )
    np.testing.assert_array_equal(rand, again)


def test_accuracy_under_attack_rejects_unknown_attack():
    with pytest.raises(ValueError, match="attack"):
        E.accuracy_under_attack(
            LINEAR, np.zeros((1, 2)), np.array([1]), epsilons=[0.1], attack="pgd"
        )


# --------------------------------------------------------------------------- ablation


def test_ablation_matches_a_network_with_the_unit_replaced_by_its_mean():
    params = random_params(5, layer_sizes=(2, 4, 1))
    X = np.random.default_rng(5).normal(size=(60, 2))
    y = (forward(params, X)[0][:, 0] > 0).astype(int)  # the network is 100% right
    drops = E.ablate_hidden_units(params, X, y)
    A, _ = dense_forward(X, params[0]["W"], params[0]["b"], "tanh")
    for k in range(4):
        V = params[1]["W"].copy()
        b = params[1]["b"] + V[:, k] * A[:, k].mean()
        V[:, k] = 0.0
        ablated = [params[0], {"W": V, "b": b}]
        expected = 1.0 - E.evaluate_classifier(ablated, X, y)["accuracy"]
        assert drops[k] == pytest.approx(expected, abs=1e-12)


def test_ablating_a_unit_with_zero_output_weight_costs_nothing():
    params = random_params(6, layer_sizes=(2, 3, 1))
    params[1]["W"][0, 1] = 0.0
    X = np.random.default_rng(6).normal(size=(40, 2))
    y = np.random.default_rng(7).integers(0, 2, size=40)
    assert E.ablate_hidden_units(params, X, y)[1] == 0.0


def test_ablation_needs_a_hidden_layer():
    with pytest.raises(ValueError, match="hidden layer"):
        E.ablate_hidden_units(LINEAR, np.zeros((2, 2)), np.array([0, 1]))


# ------------------------------------------------------------------- rank correlation


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
        ([1, 2, 3], [10, 30, 20], 0.5),
        ([0, 0, 1], [1, 2, 3], np.sqrt(3) / 2),  # tie: ranks (0.5, 0.5, 2)
    ],
)
def test_rank_correlation_known_values(a, b, expected):
    assert E.rank_correlation(np.array(a, float), np.array(b, float)) == pytest.approx(
        expected, abs=1e-12
    )


def test_rank_correlation_is_invariant_to_monotone_maps():
    a = np.random.default_rng(0).normal(size=30)
    b = a + np.random.default_rng(1).normal(size=30)
    assert E.rank_correlation(a, b) == pytest.approx(
        E.rank_correlation(np.exp(a), b**3)
    )


@pytest.mark.parametrize(
    "a, b, match",
    [
        ([1.0, 1.0], [1.0, 2.0], "constant"),
        ([1.0], [2.0], "at least 2"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "same number"),
    ],
)
def test_rank_correlation_rejects_bad_input(a, b, match):
    with pytest.raises(ValueError, match=match):
        E.rank_correlation(a, b)


def test_interpretability_study_shapes_and_baseline():
    study = E.interpretability_study(seeds=[0, 1], n_units=4, n_test=200, epochs=150)
    assert study.weight_magnitude.shape == study.ablation_drop.shape == (2, 4)
    assert np.all(study.weight_magnitude >= 0)
    assert np.all(study.network_accuracy > study.logistic_accuracy)  # moons are curved
    with pytest.raises(ValueError, match="n_units"):
        E.interpretability_study(n_units=1)


# ------------------------------------------------------------------------ documentation


PUBLIC_FUNCTIONS = [
    getattr(E, name)
    for name in E.__all__
    if callable(getattr(E, name)) and not isinstance(getattr(E, name), type)
]


@pytest.mark.parametrize("func", PUBLIC_FUNCTIONS, ids=lambda f: f.__name__)
def test_public_functions_have_numpydoc_sections_and_name_the_chapter(func):
    doc = func.__doc__
    for section in ("Parameters\n", "Returns\n", "Notes\n", "Examples\n"):
        assert section in doc, f"{func.__name__} lacks a {section.strip()} section"
    assert "chapter 6, Challenges" in doc


def test_hidden_units_may_be_an_int():
    a = E.learning_curve([20], seeds=[0], n_test=50, epochs=10, hidden_units=4)
    b = E.learning_curve([20], seeds=[0], n_test=50, epochs=10, hidden_units=(4,))
    np.testing.assert_array_equal(a.metrics["test_loss"], b.metrics["test_loss"])
