"""Pictures, drawn with matplotlib.

Figures are built with ``matplotlib.figure.Figure`` directly rather than
``pyplot``, so they need no display and leave pyplot's global state alone.
Each function returns the Figure and, given a path, saves it (PNG, SVG or
PDF by the file's extension). One module per kind of picture:

- :func:`error_development` (curves): the per-epoch error
- :func:`learning_curves` (curves): training and validation loss and metrics per epoch
- :func:`confusion_matrix` (confusion): true against predicted classes
- :func:`predicted_vs_actual` (regression): a regressor's predictions against the truth, and its residuals
- :func:`network` (diagram): nodes and edges, weights by colour and width
- :func:`decision_boundary` (boundary): a model's output over 2-feature data
- :func:`activations` (histograms): each layer's activations, dead and saturated units
- :func:`training_dynamics` (dynamics): per-layer norms, update ratios, dead and saturated shares per epoch
"""

from ._common import save_figure
from .boundary import decision_boundary
from .confusion import confusion_matrix
from .curves import error_development, learning_curves
from .diagram import network
from .dynamics import training_dynamics
from .histograms import activation_health, activations
from .regression import predicted_vs_actual

__all__ = ["error_development", "learning_curves", "confusion_matrix", "predicted_vs_actual", "network", "decision_boundary", "activations", "activation_health", "training_dynamics", "save_figure"]
