"""One explorer object that works with a kernel and in the static web book.

An explorer is a set of named sliders and a pure render function
``params -> matplotlib Figure`` (or PNG bytes). From them :class:`Explorer`
builds two views of the same figure:

* a **static view**: the figure precomputed as a PNG for every point of the
  grid of the "static" sliders, held in nested :class:`ipywidgets.Stack`
  widgets. Each level's ``selected_index`` is linked in the browser
  (:func:`ipywidgets.jslink`) to the ``index`` of its slider, so moving a
  slider switches the image in the built HTML page with no kernel at all;
* a **live view**: one :class:`ipywidgets.Image` redrawn by Python observers,
  so that every slider (including the "live-only" ones, such as epochs)
  retrains the model with :mod:`mathlib` when a kernel is running (Jupyter,
  Voila).

How the explorer knows a kernel is there: a hidden "probe" widget is linked
in the browser to the first slider. When the page loads, the browser-side
link copies the slider's index into the probe; with a kernel, that change
reaches Python, whose observer switches to live mode (it unlinks the browser
links, enables the live-only sliders and shows the live view). Without a
kernel nothing reaches Python and the static view stays. Any Python-side
change of a slider also switches to live mode (this is how tests drive it).

Retraining runs in one background thread when a kernel is present: a burst of
slider changes only keeps the latest request, so at most one retraining runs
and at most one waits (changes are coalesced, never queued).
"""

from __future__ import annotations

import io
import itertools
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np

__all__ = ["SliderSpec", "Explorer", "blit_image", "figure_to_png", "format_value"]

#: Resolution of every explorer image (pixels per inch). Small on purpose:
#: a chapter page embeds a hundred of these images.
DPI = 72

_KINDS = ("slider", "dropdown", "toggle")


def format_value(value) -> str:
    """Short label of a slider value: ``0.001``, ``1``, ``None`` -> ``full``."""
    if value is None:
        return "full"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class SliderSpec:
    """Description of one control of an explorer.

    Parameters
    ----------
    name : str
        Key of the value in the ``params`` dict given to the render function.
    values : sequence
        The allowed values, in slider order.
    default : object
        Initial value; must be one of ``values``.
    label : str, optional
        Text shown next to the control (defaults to ``name``).
    kind : {"slider", "dropdown", "toggle"}, default="slider"
        Widget used: :class:`ipywidgets.SelectionSlider`,
        :class:`ipywidgets.Dropdown` or :class:`ipywidgets.ToggleButtons`.
    static : bool, default=True
        Whether the control is part of the precomputed grid (works in the
        static page). A live-only control is disabled in the static page and
        enabled as soon as a kernel answers.
    labels : sequence of str, optional
        Display labels of the values (defaults to :func:`format_value`).
    """

    name: str
    values: Sequence[Any]
    default: Any
    label: str | None = None
    kind: str = "slider"
    static: bool = True
    labels: Sequence[str] | None = field(default=None)

    def __post_init__(self):
        values = tuple(self.values)
        object.__setattr__(self, "values", values)
        if not values:
            raise ValueError(f"slider {self.name!r}: values must not be empty")
        if self.default not in values:
            raise ValueError(
                f"slider {self.name!r}: default {self.default!r} is not one of "
                f"the values {values!r}"
            )
        if self.kind not in _KINDS:
            raise ValueError(
                f"slider {self.name!r}: kind must be one of {_KINDS}, got {self.kind!r}"
            )
        labels = tuple(format_value(v) for v in values) if self.labels is None else tuple(
            self.labels
        )
        if len(labels) != len(values):
            raise ValueError(
                f"slider {self.name!r}: {len(labels)} labels for {len(values)} values"
            )
        if len(set(labels)) != len(labels):
            raise ValueError(f"slider {self.name!r}: labels must be distinct, got {labels}")
        object.__setattr__(self, "labels", labels)

    @property
    def default_index(self) -> int:
        return self.values.index(self.default)

    def make_control(self) -> widgets.Widget:
        """Build the ipywidgets control (a Selection widget with an ``index``)."""
        options = list(zip(self.labels, range(len(self.values))))
        common = dict(
            options=options,
            value=self.default_index,
            description=self.label or self.name,
            style={"description_width": "9em"},
        )
        if self.kind == "slider":
            return widgets.SelectionSlider(
                continuous_update=True, layout=widgets.Layout(width="26em"), **common
            )
        if self.kind == "dropdown":
            return widgets.Dropdown(layout=widgets.Layout(width="20em"), **common)
        return widgets.ToggleButtons(
            style={"description_width": "9em", "button_width": "6em"},
            **{k: v for k, v in common.items() if k != "style"},
        )


def figure_to_png(
    figure, *, dpi: int = DPI, colors: int | None = 96, compress_level: int = 6
) -> bytes:
    """Encode a matplotlib figure (or pass PNG bytes through) as compact PNG.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, PIL.Image.Image or bytes
        The figure to encode. Bytes are returned unchanged; an image is
        encoded as it is (``dpi`` is then unused).
    dpi : int, default=DPI
        Resolution of the image.
    colors : int or None, default=96
        Reduce the image to a palette of this many colours (PNG size drops
        by about a factor of three; line plots look the same). ``None``
        keeps full colour.
    compress_level : int, default=6
        zlib level of the full-colour PNG (1 is fastest; used in live mode,
        where speed matters more than size).
    """
    from PIL import Image

    if isinstance(figure, (bytes, bytearray)):
        return bytes(figure)
    if isinstance(figure, Image.Image):  # already drawn (e.g. by blitting)
        image = figure.convert("RGB")
    else:
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format="png", dpi=dpi, facecolor="white",
            pil_kwargs={"compress_level": compress_level},
        )
        if colors is None:
            return buffer.getvalue()
        buffer.seek(0)
        with Image.open(buffer) as opened:
            image = opened.convert("RGB")
    out = io.BytesIO()
    if colors is None:
        image.save(out, format="png", compress_level=compress_level)
        return out.getvalue()
    palette = image.quantize(
        colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


def blit_image(canvas, backgrounds, key, dynamic, *, keep=24):
    """Draw a figure as a PIL image, reusing a cached background.

    Everything but the ``dynamic`` artists (axes, ticks, labels: the costly
    text) is drawn once per layout ``key`` and kept in ``backgrounds`` (an
    OrderedDict, at most ``keep`` entries); a new run only restores that
    background and draws its own artists on top, in the order given.
    """
    from PIL import Image

    for artist in dynamic:
        artist.set_animated(True)  # left out of canvas.draw()
    try:
        background = backgrounds.get(key)
        if background is None:
            canvas.draw()
            backgrounds[key] = canvas.copy_from_bbox(canvas.figure.bbox)
            while len(backgrounds) > keep:
                backgrounds.popitem(last=False)
        else:
            backgrounds.move_to_end(key)
            canvas.restore_region(background)
        for artist in dynamic:
            if artist.get_visible():
                canvas.figure.draw_artist(artist)
    finally:
        for artist in dynamic:
            artist.set_animated(False)
    return Image.fromarray(np.asarray(canvas.buffer_rgba()).copy(), "RGBA")


def _in_kernel() -> bool:
    """True when running inside an IPython kernel (Jupyter, Voila, nbclient)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _in_voila() -> bool:
    """True in a kernel started by Voila (it sets VOILA_APP_PORT)."""
    return "VOILA_APP_PORT" in os.environ


class Explorer(widgets.VBox):
    """Sliders over a pure render function, static and live in one widget.

    Parameters
    ----------
    specs : sequence of SliderSpec
        The controls, in display order. Those with ``static=True`` form the
        precomputed grid, nested in that order.
    render : callable
        ``render(params) -> Figure or bytes`` where ``params`` maps every
        spec name to a value. Must be pure (same params, same figure).
    canonical : callable, optional
        ``canonical(params) -> params`` mapping parameter sets that give the
        same figure to one representative (for example the strength when the
        regularization is "none"); equal images are computed and embedded
        once.
    title : str, optional
        HTML shown above the controls.
    note : str, optional
        HTML shown below the controls (for example which sliders need a
        kernel). A default note is written when some sliders are live-only.
    precompute : bool, optional
        Build the static view. ``False`` gives a live-only explorer (faster to
        create); the static view is then an empty stack. By default True,
        except under Voila (its kernel always answers, so the static
        images would never be seen).
    threaded : bool, optional
        Render live changes in a background thread (coalescing bursts). By
        default, True inside a kernel and False elsewhere (tests get
        synchronous updates).
    dpi : int, default=DPI
        Resolution of the images.
    cache_size : int, default=64
        Number of live renders kept (moving back to a value is instant).

    Attributes
    ----------
    controls : dict
        Name -> ipywidgets control (each has ``index`` and ``value``; the
        ``value`` is the index, use :attr:`params` for the real values).
    static_view : ipywidgets.Stack
        Outer stack of the precomputed images.
    live_image : ipywidgets.Image
        Image redrawn by Python in live mode.
    live : bool
        Whether the explorer switched to live mode.
    """

    def __init__(
        self,
        specs: Sequence[SliderSpec],
        render: Callable[[dict], Any],
        *,
        canonical: Callable[[dict], dict] | None = None,
        title: str | None = None,
        note: str | None = None,
        precompute: bool | None = None,
        threaded: bool | None = None,
        dpi: int = DPI,
        cache_size: int = 64,
        **kwargs,
    ):
        specs = tuple(specs)
        if precompute is None:
            precompute = not _in_voila()
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must be distinct, got {names}")
        if not specs:
            raise ValueError("an explorer needs at least one slider")
        self.specs = {s.name: s for s in specs}
        self.static_names = [s.name for s in specs if s.static]
        self.live_names = [s.name for s in specs if not s.static]
        self.render_function = render
        self.canonical = canonical or (lambda params: dict(params))
        self.dpi = dpi
        self.threaded = _in_kernel() if threaded is None else bool(threaded)
        self.live = False
        self.render_count = 0
        self.last_render_seconds = None
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._precomputed: dict = {}
        self._lock = threading.Lock()
        self._pending = None
        self._wakeup = threading.Condition(self._lock)
        self._busy = False
        self._worker = None
        self.precompute_seconds = 0.0

        # Controls.
        self.controls = {s.name: s.make_control() for s in specs}
        if precompute:  # greyed out in the static page until a kernel answers
            for name in self.live_names:
                self.controls[name].disabled = True

        # Static view: nested stacks of precomputed images.
        self._links: list = []
        started = time.perf_counter()
        if precompute and self.static_names:
            self.static_view = self._build_stack(level=0, prefix={})
        elif precompute:  # only live sliders: the static page shows the defaults
            self.static_view = widgets.Stack(
                children=[self._image_for(self.defaults())], selected_index=0
            )
        else:
            self.static_view = widgets.Stack(children=[], selected_index=None)
        self.precompute_seconds = time.perf_counter() - started

        # Live view.
        self.live_image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        if not precompute:
            self.live_image.value = self.render_png(self.params, compact=False)
            self.live = True  # nothing static to show: start live
        self.status = widgets.HTML(value="", layout=widgets.Layout(min_height="1.4em"))
        self.view = widgets.Box(
            children=[self.live_image if self.live else self.static_view],
            layout=widgets.Layout(width="100%"),
        )

        # Kernel probe: the browser copies the first control's index into it.
        first = self.controls[self.static_names[0] if self.static_names else names[0]]
        self._probe = widgets.IntText(value=-1)
        self._probe_link = widgets.jsdlink((first, "index"), (self._probe, "value"))
        self._probe.observe(self._on_probe, names="value")
        for control in self.controls.values():
            control.observe(self._on_control, names="index")

        if note is None and self.live_names:
            labels = ", ".join(self.specs[n].label or n for n in self.live_names)
            note = (
                f"<i>In the static web page the figure is precomputed for every "
                f"position of the enabled sliders; {labels} need a running kernel "
                f"(open the notebook in Jupyter or Voila) and stay greyed out "
                f"until one answers.</i>"
            )
        self.note = widgets.HTML(value=note or "")
        header = [widgets.HTML(value=title)] if title else []
        box = widgets.VBox(
            [self.controls[n] for n in names],
            layout=widgets.Layout(flex="0 0 auto"),
        )
        super().__init__(
            children=[*header, box, self.note, self.status, self.view], **kwargs
        )
        self.add_class("dlmath-explorer")  # lets browser tests find each explorer

    # -- parameters -------------------------------------------------------
    @property
    def params(self) -> dict:
        """Current values of every control, by name."""
        return {
            name: spec.values[self.controls[name].index]
            for name, spec in self.specs.items()
        }

    def set(self, **values) -> None:
        """Set controls by value (not index), e.g. ``set(learning_rate=0.1)``."""
        for name, value in values.items():
            if name not in self.specs:
                raise ValueError(f"unknown slider {name!r}; sliders are {list(self.specs)}")
            spec = self.specs[name]
            if value not in spec.values:
                raise ValueError(
                    f"{name} must be one of {list(spec.values)}, got {value!r}"
                )
            self.controls[name].index = spec.values.index(value)

    def defaults(self) -> dict:
        """Default value of every control, by name."""
        return {name: spec.default for name, spec in self.specs.items()}

    def static_grid(self):
        """Iterate the parameter sets of the static grid (live sliders at default)."""
        static_specs = [self.specs[n] for n in self.static_names]
        for combo in itertools.product(*(s.values for s in static_specs)):
            params = self.defaults()
            params.update(zip(self.static_names, combo))
            yield params

    # -- rendering --------------------------------------------------------
    def _key(self, params):
        canonical = self.canonical(dict(params))
        return tuple((name, canonical[name]) for name in self.specs)

    def render_png(self, params: Mapping, *, compact: bool = True) -> bytes:
        """PNG of the figure for ``params`` (cached).

        ``compact=True`` (static images) reduces the PNG to a palette to keep
        the page small; live redraws use ``compact=False``, which is faster.
        """
        key = self._key(params)
        if key in self._precomputed:
            return bytes(self._precomputed[key].value)
        key = (key, compact)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        started = time.perf_counter()
        figure = self.render_function(dict(self.canonical(dict(params))))
        if compact:
            png = figure_to_png(figure, dpi=self.dpi)
        else:
            png = figure_to_png(figure, dpi=self.dpi, colors=None, compress_level=1)
        self.last_render_seconds = time.perf_counter() - started
        self.render_count += 1
        self._cache[key] = png
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return png

    def _image_for(self, params) -> widgets.Image:
        key = self._key(params)
        image = self._precomputed.get(key)
        if image is None:
            image = widgets.Image(
                value=self.render_png(params),
                format="png",
                layout=widgets.Layout(max_width="100%"),
            )
            self._precomputed[key] = image
        return image

    def _build_stack(self, level: int, prefix: dict) -> widgets.Widget:
        name = self.static_names[level]
        spec = self.specs[name]
        children = []
        for value in spec.values:
            here = {**prefix, name: value}
            if level + 1 == len(self.static_names):
                params = self.defaults()
                params.update(here)
                children.append(self._image_for(params))
            else:
                children.append(self._build_stack(level + 1, here))
        stack = widgets.Stack(children=children, selected_index=spec.default_index)
        self._links.append(widgets.jslink((self.controls[name], "index"), (stack, "selected_index")))
        return stack

    @property
    def n_static_images(self) -> int:
        """Number of distinct precomputed images embedded in the page."""
        return len(self._precomputed)

    def static_image(self, indices: Mapping[str, int] | None = None) -> bytes:
        """PNG the static view shows for the given slider indices (default: current).

        Walks the nested stacks the way the browser does, so tests can check
        that every slider position of the static page shows the right figure.
        """
        indices = dict(indices or {n: self.controls[n].index for n in self.static_names})
        node = self.static_view
        for name in self.static_names:
            node = node.children[indices[name]]
        if not self.static_names:
            node = node.children[0]
        return bytes(node.value)

    @property
    def shown_png(self) -> bytes:
        """PNG currently shown (live image in live mode, else the static one)."""
        return bytes(self.live_image.value) if self.live else self.static_image()

    # -- live mode ----------------------------------------------------------
    def go_live(self) -> None:
        """Switch to live mode: drop browser links, enable sliders, show live image."""
        if self.live:
            return
        self.live = True
        for link in self._links:
            link.unlink()
        self._links = []
        self._probe_link.unlink()
        for name in self.live_names:
            self.controls[name].disabled = False
        if self.static_view.children:  # show something at once, then redraw
            self.live_image.value = self.static_image()
        self.view.children = [self.live_image]
        self.note.value = ""
        self.request(self.params)

    def _on_probe(self, change):
        self.go_live()

    def _on_control(self, change):
        if not self.live:
            self.go_live()  # draws the current params
            return
        self.request(self.params)

    def request(self, params: Mapping) -> None:
        """Redraw the live image for ``params`` (coalesced when threaded)."""
        if not self.threaded:
            self._show(params)
            return
        with self._lock:
            self._pending = dict(params)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._work, name="explorer-render", daemon=True
                )
                self._worker.start()
            self._wakeup.notify()

    def _show(self, params) -> None:
        key = self._key(params)
        fresh = (key, False) not in self._cache and key not in self._precomputed
        if fresh:
            self.status.value = "<small>retraining…</small>"
        try:
            png = self.render_png(params, compact=False)
        except Exception as error:  # noqa: BLE001 - show, never crash the widget
            self.status.value = (
                f"<span style='color:#b00'>could not draw this setting: "
                f"{type(error).__name__}: {error}</span>"
            )
            return
        self.live_image.value = png
        if fresh and self.last_render_seconds is not None:
            self.status.value = (
                f"<small>retrained and drawn in {1000 * self.last_render_seconds:.0f} ms"
                f"</small>"
            )
        else:
            self.status.value = "<small>&nbsp;</small>"

    def _work(self) -> None:
        while True:
            with self._lock:
                while self._pending is None:
                    self._busy = False
                    self._wakeup.notify_all()
                    if not self._wakeup.wait(timeout=60) and self._pending is None:
                        self._worker = None
                        return
                params, self._pending = self._pending, None
                self._busy = True
            self._show(params)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until pending live renders are done (threaded mode). True if idle."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending is not None or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wakeup.wait(timeout=remaining)
        return True
