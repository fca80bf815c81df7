"""``glassnet inspect``: what a saved model is, without running it."""

from __future__ import annotations

import numpy as np


def _architecture(network) -> list[str]:
    lines = ["architecture", f"  {'layer':<8}{'units':>7}  {'activation':<12}{'weights':>9}{'biases':>8}"]
    lines.append(f"  {'input':<8}{network.layer_sizes[0]:>7}")
    total = 0
    for index, (W, b, activation) in enumerate(zip(network.weights, network.biases, network.activations), 1):
        biases = b.size if network.bias else 0
        total += W.size + biases
        name = "output" if index == network.n_layers else f"hidden {index}"
        lines.append(f"  {name:<8}{W.shape[1]:>7}  {activation.name:<12}{W.size:>9}{biases:>8}")
    lines.append(f"  {total} parameters, {np.dtype(network.dtype).name}, loss {network.loss.name}")
    return lines


def _weights(network) -> list[str]:
    lines = ["weights", f"  {'layer':<8}{'mean':>10}{'std':>10}{'min':>10}{'max':>10}{'|w|<1e-3':>10}"]
    for index, W in enumerate(network.weights, 1):
        small = np.mean(np.abs(W) < 1e-3)
        lines.append(f"  {index:<8}{W.mean():>10.4f}{W.std():>10.4f}{W.min():>10.4f}{W.max():>10.4f}{small:>10.1%}")
    return lines


def _preprocessing(model) -> list[str]:
    columns = model.columns
    lines = ["preprocessing", f"  target {model.target!r} ({model.task}; {model.target_encoding.describe()})"]
    lines.append(f"  numeric columns ({len(columns.numeric)}): {', '.join(columns.numeric) or 'none'}")
    for name, values in columns.categories.items():
        lines.append(f"  one-hot {name!r}: {len(values)} categories ({', '.join(values[:8])}{', ...' if len(values) > 8 else ''})")
    imputation = getattr(model, "imputation", None)
    lines.append("  empty cells: " + ("not filled (--impute none, or a file from before imputation)" if imputation is None
                                      else "filled with the " + imputation.describe(columns.numeric, columns.text)))
    if getattr(model, "id_column", None):
        lines.append(f"  identifier column: {model.id_column} (copied into predictions)")
    lines.append(f"  scaler: {model.scaler_name}" + ("" if model.scaler is None else f" ({model.scaler!r}, fitted on the training part)"))
    if model.training_range is not None:
        lines.append("  training range:")
        for name, low, high in zip(model.training_range.names, model.training_range.low, model.training_range.high):
            lines.append(f"    {name}: [{low:g}, {high:g}]")
    lines.append(f"  training data columns: {', '.join(columns.features)}")
    return lines


def _settings(model) -> list[str]:
    from ..tabular.report import format_report

    lines = ["settings"] + [f"  {key}: {value}" for key, value in model.settings.items()]
    lines.append(f"  trained for {model.n_iter_} epoch(s), final training loss {model.loss_:.4g}"
                 + (" (of the standardised target)" if getattr(model.target_encoding, "standardised", False) else ""))
    if model.report:
        lines += ["final metrics (test part)"] + [f"  {line}" for line in format_report(model.report)]
    return lines


def _inputs(adapter) -> list[str]:
    """What the model takes and predicts, from the protocol's answers."""
    lines = ["inputs and outputs"]
    names = adapter.feature_names
    if names is not None:
        lines.append(f"  features ({len(names)}): {', '.join(names)}")
    lines.append(f"  network inputs ({len(adapter.input_names)}): {', '.join(adapter.input_names[:12])}"
                 + (", ..." if len(adapter.input_names) > 12 else ""))
    classes = adapter.classes
    if classes is not None:
        lines.append(f"  classes ({len(classes)}): {', '.join(map(str, classes))}")
    try:
        epochs = len(adapter.history) if adapter.history is not None else None
    except ValueError:
        epochs = None
    if epochs is not None:
        lines.append(f"  trained for {epochs} epoch(s)")
    return lines


def run(args) -> int:
    from ..persistence import load
    from ..protocol import adapt
    from ..tabular import TabularModel

    model = load(args.model)
    adapter = adapt(model, "glassnet inspect")
    network = adapter.network
    what = "model trained by glassnet train" if isinstance(model, TabularModel) else adapter.kind
    sections = [[f"{args.model}: a glassnet {what}"], _architecture(network), _weights(network)]
    if isinstance(model, TabularModel):
        # the table's own preprocessing and the settings and report glassnet train kept
        sections += [_preprocessing(model), _settings(model)]
    else:
        sections.append(_inputs(adapter))
    print("\n\n".join("\n".join(section) for section in sections))
    return 0
