"""``glassnet evaluate``: a saved model's metrics on a labelled table."""

from __future__ import annotations

import json

from . import wrote
from ._io import PLOT_SUFFIXES, note, note_extrapolation, notes_on_stderr, read_data, read_model
from ._outputs import Output, check_outputs


def _usable_rows(model, frame, args, source):
    """``frame`` without rows lacking a target (noted) and, with --drop-missing,
    without rows with an empty feature cell."""
    from ..tabular.columns import drop_missing_rows

    if model.target not in frame.columns:
        return frame  # model.labels names the missing target
    frame, no_target = drop_missing_rows(frame, [model.target])
    if no_target:
        note(f"{no_target} row(s) with an empty target {model.target!r} are not scored")
    if args.drop_missing:
        frame, dropped = drop_missing_rows(frame, [name for name in model.columns.features if name in frame.columns])
        if dropped:
            note(f"--drop-missing dropped {dropped} row(s) with an empty cell")
    if frame.empty:
        from . import CliError

        raise CliError(f"no row of {source} is left to score")
    return frame


def run(args) -> int:
    from ..tabular.report import format_report, report

    check_outputs([Output("--plot", args.plot, "picture", PLOT_SUFFIXES)], [("MODEL", args.model), ("DATA", args.data)],
                  args.force)
    model = read_model(args.model)
    source = repr(args.data)
    frame = _usable_rows(model, read_data(args.data, args), args, source)
    with notes_on_stderr():
        figures = report(model, frame, source)
    note_extrapolation(model, frame, source)
    # the metrics first: a picture that fails to draw never hides them
    if args.json:
        print(json.dumps(figures), flush=True)
    else:
        print(f"{len(frame)} rows of {source}, target {model.target!r}")
        for line in format_report(figures):
            print(f"  {line}")
    if args.plot:
        from ..plot import confusion_matrix, predicted_vs_actual

        draw = confusion_matrix if model.task == "classify" else predicted_vs_actual
        draw(model, frame, path=args.plot)
        wrote(args.plot)
    return 0
