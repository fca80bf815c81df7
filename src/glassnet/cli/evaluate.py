"""``glassnet evaluate``: a saved model's metrics on a labelled table."""

from __future__ import annotations

import json

from ._io import PLOT_SUFFIXES, check_output_path, note, note_extrapolation, notes_on_stderr, read_data, read_model


def run(args) -> int:
    from ..tabular.columns import drop_empty_rows
    from ..tabular.report import format_report, report

    if args.plot:
        check_output_path(args.plot, PLOT_SUFFIXES)
    model = read_model(args.model)
    frame = read_data(args.data)
    source = repr(args.data)
    if args.drop_missing:
        frame, dropped = drop_empty_rows(frame, [*model.columns.features, model.target])
        if dropped:
            note(f"--drop-missing dropped {dropped} row(s) with an empty cell")
    with notes_on_stderr():
        figures = report(model, frame, source)
    note_extrapolation(model, frame, source)
    if args.plot:
        if model.task != "classify":
            from . import CliError

            raise CliError("--plot draws a confusion matrix, which needs a classifier; this model regresses")
        from ..plot import confusion_matrix

        confusion_matrix(model, frame, path=args.plot)
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{len(frame)} rows of {source}, target {model.target!r}")
        for line in format_report(figures):
            print(f"  {line}")
    return 0
