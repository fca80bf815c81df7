"""``glassnet trace`` and ``glassnet gradcheck``: the glass box of a saved
model, on rows of a file."""

from __future__ import annotations

import sys

from . import CliError
from ._io import read_data, read_model


def _rows(args, max_rows: int | None = None):
    frame = read_data(args.data, args)
    return frame if max_rows is None else frame.iloc[:max_rows]


def run_trace(args) -> int:
    model = read_model(args.model)
    frame = _rows(args)
    if not 1 <= args.row <= len(frame):
        raise CliError(f"--row {args.row} is outside {args.data!r}, whose rows are numbered 1 to {len(frame)}")
    row = frame.iloc[[args.row - 1]]
    source = repr(args.data)
    x = model.inputs(row, source)[0]
    # an empty target cell is a row to trace forward only, like a file without the target
    has_target = model.target in row.columns and row[model.target].iloc[0].strip() != ""
    y = model.labels(row, source)[0] if has_target else None
    print(f"row {args.row} of {args.data}" + ("" if y is None else f", target {model.target} = {y}"))
    print("network inputs after preprocessing: " + ", ".join(
        f"{name}={value:.4g}" for name, value in zip(model.columns.input_names, x)))
    model.trace(x, y)
    return 0


def run_gradcheck(args) -> int:
    from ..glassbox.gradcheck import check_gradients

    model = read_model(args.model)
    frame = _rows(args, args.max_rows)
    source = repr(args.data)
    check = check_gradients(model, model.inputs(frame, source), model.labels(frame, source),
                            detail=True, rtol=args.tol)
    error = check.error
    print(check)
    verdict = "agree" if check.agree else "DISAGREE"
    print(f"largest disagreement beyond the finite differences' noise, relative to the largest gradient, "
          f"on {len(frame)} rows: {error:.3g} (tolerance {args.tol:g}): they {verdict}")
    if not check.agree:
        print(f"error: the gradients disagree with finite differences ({error:.3g} > {args.tol:g})", file=sys.stderr)
        return 1
    return 0
