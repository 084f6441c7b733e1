"""Interactive training explorers for the book (ipywidgets + matplotlib over mathlib).

Every explorer is a pure, tested render function ``params -> Figure`` wrapped
by :class:`Explorer`, which builds sliders that work both with a running
kernel (each change retrains with :mod:`mathlib`) and in the static web book
(the figures of a grid of slider positions are precomputed and switched in
the browser).

Usage in a chapter::

    from explorers import activation_explorer
    activation_explorer()
"""

from ._machinery import DPI, Explorer, SliderSpec, figure_to_png, format_value
from .classification import (
    CLASSIFICATION_DEFAULTS,
    ClassificationExplorer,
    ClassificationFigure,
    ClassifierRun,
    classification_data,
    render_classification,
    train_classifier,
    weight_summary,
)
from .regression import (
    REGRESSION_DEFAULTS,
    RegressionExplorer,
    RegressionFigure,
    RegressionRun,
    describe_run,
    regression_data,
    render_regression,
    train_regression,
)
from .small import (
    ACTIVATION_DEFAULTS,
    LOSS_DEFAULTS,
    activation_curves,
    activation_explorer,
    loss_curves,
    loss_explorer,
    render_activation,
    render_loss,
)

__all__ = [
    "CLASSIFICATION_DEFAULTS",
    "ClassificationExplorer",
    "ClassificationFigure",
    "ClassifierRun",
    "classification_data",
    "render_classification",
    "train_classifier",
    "weight_summary",
    "REGRESSION_DEFAULTS",
    "RegressionExplorer",
    "RegressionFigure",
    "RegressionRun",
    "describe_run",
    "regression_data",
    "render_regression",
    "train_regression",
    "DPI",
    "Explorer",
    "SliderSpec",
    "figure_to_png",
    "format_value",
    "ACTIVATION_DEFAULTS",
    "LOSS_DEFAULTS",
    "activation_curves",
    "activation_explorer",
    "loss_curves",
    "loss_explorer",
    "render_activation",
    "render_loss",
]
