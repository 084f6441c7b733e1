"""The explorer machinery and the two small explorers (chapters 1 and 3).

Drives the widgets from Python the way a kernel would: set a slider, check the
state, the live image and the static image that the browser would show.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import explorers
from explorers import Explorer, SliderSpec, figure_to_png
from explorers.small import ACTIVATION_SPECS, LOSS_SPECS


def figure_texts(figure):
    return " ".join(t.get_text() for t in figure.findobj(Text))


def _toy_render(params):
    figure = Figure(figsize=(2, 1))
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, params["a"] * params["b"] + params["c"]])
    ax.set_ylim(-20, 20)
    ax.set_title(f"{params['a']} {params['b']} {params['c']}")
    return figure


@pytest.fixture
def toy():
    specs = [
        SliderSpec("a", [1, 2, 3], 2),
        SliderSpec("b", [-1.0, 1.0], 1.0, kind="toggle"),
        SliderSpec("c", [0, 5], 0, kind="dropdown", static=False),
    ]
    return Explorer(specs, _toy_render, threaded=False, dpi=30)


# -- SliderSpec -------------------------------------------------------------


def test_slider_spec_rejects_bad_input():
    with pytest.raises(ValueError, match="default 9 is not one of"):
        SliderSpec("a", [1, 2], 9)
    with pytest.raises(ValueError, match="values must not be empty"):
        SliderSpec("a", [], None)
    with pytest.raises(ValueError, match="kind must be one of"):
        SliderSpec("a", [1], 1, kind="knob")
    with pytest.raises(ValueError, match="1 labels for 2 values"):
        SliderSpec("a", [1, 2], 1, labels=["one"])
    with pytest.raises(ValueError, match="labels must be distinct"):
        SliderSpec("a", [0.1, 0.10000000001], 0.1)


def test_slider_spec_controls_and_labels():
    spec = SliderSpec("batch_size", [None, 8, 0.5], 8)
    assert spec.labels == ("full", "8", "0.5")
    assert spec.default_index == 1
    for kind in ("slider", "dropdown", "toggle"):
        control = SliderSpec("x", [1, 2, 3], 3, kind=kind, label="x label").make_control()
        assert control.index == 2
        assert control.description == "x label"


def test_explorer_rejects_bad_specs():
    with pytest.raises(ValueError, match="distinct"):
        Explorer([SliderSpec("a", [1], 1), SliderSpec("a", [2], 2)], _toy_render)
    with pytest.raises(ValueError, match="at least one slider"):
        Explorer([], _toy_render)


# -- Explorer: static view --------------------------------------------------


def test_static_view_is_nested_stacks_linked_to_sliders(toy):
    outer = toy.static_view
    assert len(outer.children) == 3  # values of a
    assert all(len(inner.children) == 2 for inner in outer.children)  # values of b
    assert toy.n_static_images == 6
    # one jslink per stack: the outer one and one per value of a
    assert len(toy._links) == 4
    sources = {(link.source[0].description, link.source[1]) for link in toy._links}
    assert sources == {("a", "index"), ("b", "index")}
    assert {link.target[1] for link in toy._links} == {"selected_index"}
    # the live-only slider is greyed out in the static page, with a note
    assert toy.controls["c"].disabled and not toy.controls["a"].disabled
    assert "need a running kernel" in toy.note.value
    assert toy.view.children == (toy.static_view,)
    assert not toy.live


def test_every_static_position_shows_its_own_figure(toy):
    images = {}
    for i in range(3):
        for j in range(2):
            png = toy.static_image({"a": i, "b": j})
            assert png.startswith(b"\x89PNG")
            images[(i, j)] = png
    assert len(set(images.values())) == 6
    params = {"a": 3, "b": -1.0, "c": 0}
    assert images[(2, 0)] == toy.render_png(params)


def test_canonical_shares_equal_images():
    specs = [SliderSpec("a", [1, 2], 1), SliderSpec("b", [-1.0, 1.0], 1.0)]
    explorer = Explorer(
        specs,
        lambda p: _toy_render({**p, "c": 0}),
        canonical=lambda p: {**p, "b": 1.0} if p["a"] == 1 else p,
        threaded=False,
        dpi=30,
    )
    assert explorer.n_static_images == 3
    first = explorer.static_view.children[0]
    assert first.children[0] is first.children[1]


# -- Explorer: live mode ----------------------------------------------------


def test_python_side_change_switches_to_live_mode(toy):
    before = toy.static_image()
    toy.set(a=3)
    assert toy.live
    assert toy._links == []  # browser links dropped
    assert not toy.controls["c"].disabled
    assert toy.view.children == (toy.live_image,)
    assert toy.live_image.value != before
    assert toy.live_image.value == toy.render_png({"a": 3, "b": 1.0, "c": 0}, compact=False)
    shown = toy.live_image.value
    toy.set(c=5)  # a live-only slider now redraws too
    assert toy.params == {"a": 3, "b": 1.0, "c": 5}
    assert toy.live_image.value != shown


def test_kernel_probe_switches_to_live_mode(toy):
    toy._probe.value = 1  # what the browser-side link does when a kernel runs
    assert toy.live and not toy.controls["c"].disabled
    assert toy.live_image.value == toy.static_image({"a": 1, "b": 1})


def test_live_renders_are_cached(toy):
    toy.set(c=5)
    toy.set(c=0)
    count = toy.render_count
    toy.set(c=5)
    assert toy.render_count == count


def test_set_rejects_unknown_names_and_values(toy):
    with pytest.raises(ValueError, match="unknown slider 'z'"):
        toy.set(z=1)
    with pytest.raises(ValueError, match="a must be one of"):
        toy.set(a=7)


def test_render_error_is_shown_not_raised():
    def broken(params):
        if params["a"] == 2:
            raise ValueError("no figure here")
        return _toy_render({**params, "b": 1, "c": 0})

    explorer = Explorer(
        [SliderSpec("a", [1, 2], 1, static=False)], broken, threaded=False, dpi=30
    )
    assert explorer.n_static_images == 1 and explorer.controls["a"].disabled
    explorer.set(a=2)
    assert "no figure here" in explorer.status.value


def test_threaded_mode_coalesces_bursts():
    calls = []

    def slow(params):
        calls.append(params["a"])
        return _toy_render({**params, "b": 1, "c": 0})

    explorer = Explorer(
        [SliderSpec("a", list(range(30)), 0)], slow, precompute=False, threaded=True, dpi=20
    )
    for value in range(1, 30):
        explorer.set(a=value)
    assert explorer.wait(timeout=60)
    assert calls[-1] == 29  # the last request always wins
    assert explorer.live_image.value == explorer.render_png({"a": 29}, compact=False)
    assert len(calls) < 30  # some requests were coalesced or served...
    # ...and never more renders than distinct requests
    assert len(calls) == len(set(calls))


def test_precompute_false_starts_live():
    explorer = Explorer([SliderSpec("a", [1, 2], 1)], lambda p: _toy_render({**p, "b": 1, "c": 0}),
                        precompute=False, threaded=False, dpi=20)
    assert explorer.live and explorer.shown_png.startswith(b"\x89PNG")
    assert explorer.static_view.children == ()


def test_voila_kernel_skips_the_static_images(monkeypatch):
    monkeypatch.setenv("VOILA_APP_PORT", "8866")
    specs = [SliderSpec("a", [1, 2], 1), SliderSpec("c", [0, 5], 0, static=False)]
    explorer = Explorer(specs, lambda p: _toy_render({**p, "b": 1}), threaded=False, dpi=20)
    assert explorer.live and explorer.n_static_images == 0
    assert not explorer.controls["c"].disabled  # live from the start
    explorer.set(c=5)
    assert explorer.render_count == 2


def test_figure_to_png_palette_is_smaller():
    figure = _toy_render({"a": 1, "b": 1, "c": 0})
    full = figure_to_png(figure, dpi=60, colors=None)
    small = figure_to_png(figure, dpi=60)
    assert full.startswith(b"\x89PNG") and small.startswith(b"\x89PNG")
    assert len(small) < len(full)
    assert figure_to_png(b"\x89PNGabc") == b"\x89PNGabc"


# -- activation explorer ----------------------------------------------------


def test_activation_curves_use_mathlib():
    from mathlib.activations import relu, sigmoid_grad

    x = np.linspace(-3, 3, 7)
    z, a, a_grad = explorers.activation_curves("sigmoid", 2.0, 1.0, x=x)
    np.testing.assert_allclose(z, 2 * x + 1)
    np.testing.assert_allclose(a_grad, sigmoid_grad(2 * x + 1))
    _, a, _ = explorers.activation_curves("relu", 1.0, -1.0, x=x)
    np.testing.assert_allclose(a, relu(x - 1))


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_render_activation_reports_saturation(name):
    figure = explorers.render_activation({"activation": name, "weight": 4.0, "bias": 2.0})
    text = figure_texts(figure)
    assert "% of inputs saturated" in text
    if name == "sigmoid":
        assert "max 0.25" in figure_texts(explorers.render_activation({"activation": name}))
    # ReLU's gradient is 0 for every negative input: 1/3 of x for w=4, b=2
    if name == "relu":  # f'(z) = 0 for z = 4 x + 2 <= 0, that is x <= -0.5
        share = np.mean(explorers.small.ACTIVATION_X <= -0.5)
        assert f"{100 * share:.0f}% of inputs saturated" in text


@pytest.fixture(scope="module")
def activation():
    return explorers.activation_explorer(threaded=False)


def test_activation_explorer_static_and_live(activation):
    explorer = activation
    count = explorer.render_count
    assert explorer.n_static_images == 3 * 4 * 3
    assert explorer.live_names == []
    default = explorer.static_image()
    for name in ("weight", "bias"):  # every extreme of every slider
        for index in (0, len(explorer.specs[name].values) - 1):
            indices = {n: explorer.controls[n].index for n in explorer.static_names}
            indices[name] = index
            if explorer.specs[name].default_index != index:
                assert explorer.static_image(indices) != default
    explorer.set(activation="relu")
    assert explorer.live and explorer.live_image.value != default
    assert explorer.render_count == count  # grid positions are never recomputed


def test_activation_explorer_grid_points_differ(activation):
    explorer = activation
    images = [image.value for image in explorer._precomputed.values()]
    assert len(set(images)) == len(images)
    assert explorer.specs["activation"].values == ("sigmoid", "tanh", "relu")
    assert ACTIVATION_SPECS[0].kind == "toggle"


# -- loss explorer ----------------------------------------------------------


def test_loss_curves_match_mathlib_values():
    curves = explorers.loss_curves(1.0, 1.0, y_hat=np.array([-1.0, 0.5, 1.0, 3.0]))
    np.testing.assert_allclose(curves["mse_half"][0], [2.0, 0.125, 0.0, 2.0])
    np.testing.assert_allclose(curves["mse_mean"][0], [4.0, 0.25, 0.0, 4.0])
    np.testing.assert_allclose(curves["mse_mean"][1], [-4.0, -1.0, 0.0, 4.0])
    np.testing.assert_allclose(curves["huber"][0], [1.5, 0.125, 0.0, 1.5])
    np.testing.assert_allclose(curves["huber"][1], [-1.0, -0.5, 0.0, 1.0])
    bce, bce_grad = curves["bce"]
    assert np.isnan(bce[0]) and np.isnan(bce[3])  # not probabilities
    np.testing.assert_allclose(bce[1], np.log(2))
    np.testing.assert_allclose(bce_grad[1], -2.0)


def test_render_loss_names_all_four_losses():
    text = figure_texts(explorers.render_loss({"target": 0.25, "delta": 2.0}))
    for label in ("1/(2n)", "Keras", "Huber", "cross-entropy", "target y = 0.25",
                  "delta = 2"):
        assert label in text


def test_loss_explorer_every_position():
    explorer = explorers.loss_explorer(threaded=False)
    assert explorer.n_static_images == 5 * 3
    seen = set()
    for i in range(len(LOSS_SPECS[0].values)):
        for j in range(len(LOSS_SPECS[1].values)):
            seen.add(explorer.static_image({"target": i, "delta": j}))
    assert len(seen) == 15
    before = explorer.static_image()
    explorer.set(target=0.0)
    assert explorer.live_image.value != before
