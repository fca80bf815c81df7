"""``glassnet evaluate``: a saved model's metrics on a labelled table."""

from __future__ import annotations

import json
from collections import Counter

from . import EXIT_USAGE, CliError, wrote
from ._io import (PLOT_SUFFIXES, data_inputs, note, note_extrapolation, note_outside, notes_on_stderr, read_data,
                  read_model, table_source)
from ._outputs import Output, check_outputs


def _scored(model, frame, args, counts: Counter):
    """``frame`` without rows lacking a target and, with --drop-missing,
    without rows with an empty feature cell (counted in ``counts``)."""
    from ..tabular.columns import drop_missing_rows

    if model.target not in frame.columns:
        return frame  # model.labels names the missing target
    frame, no_target = drop_missing_rows(frame, [model.target])
    counts["no_target"] += no_target
    if args.drop_missing:
        frame, dropped = drop_missing_rows(frame, [name for name in model.columns.features if name in frame.columns])
        counts["dropped"] += dropped
    return frame


def _note_left_out(model, counts: Counter, rows: int, source: str) -> None:
    if counts["no_target"]:
        note(f"{counts['no_target']} row(s) with an empty target {model.target!r} are not scored")
    if counts["dropped"]:
        note(f"--drop-missing dropped {counts['dropped']} row(s) with an empty cell")
    if not rows:
        raise CliError(f"no row of {source} is left to score")


def _streamed(model, args):
    """The figures of DATA read in chunks (--chunk-rows): ``(figures, rows, source)``."""
    from ..tabular.stream_report import streamed_report
    from ..tabular.tally import EncodedTally

    if args.plot:
        raise CliError("--plot draws every row at once; leave out --chunk-rows to plot, or evaluate a sample",
                       code=EXIT_USAGE)
    table = table_source(args)
    source, counts, tally = table.name, Counter(), EncodedTally(model)
    frames = (frame for frame in (_scored(model, chunk, args, counts) for chunk in table.chunks()) if len(frame))
    with notes_on_stderr():
        figures = streamed_report(model, frames, source, notes=tally)
    _note_left_out(model, counts, tally.rows, source)
    outside, by_feature = tally.extrapolation()
    note_outside(outside, tally.rows, by_feature)
    return figures, tally.rows, source


def run(args) -> int:
    from ..tabular.report import format_report, report

    check_outputs([Output("--plot", args.plot, "picture", PLOT_SUFFIXES)], [("MODEL", args.model), *data_inputs(args)],
                  args.force)
    model = read_model(args.model)
    if args.chunk_rows:
        figures, rows, source = _streamed(model, args)
    else:
        source, counts = repr(args.data), Counter()
        frame = _scored(model, read_data(args.data, args), args, counts)
        _note_left_out(model, counts, len(frame), source)
        with notes_on_stderr():
            figures = report(model, frame, source)
        note_extrapolation(model, frame, source)
        rows = len(frame)
    # the metrics first: a picture that fails to draw never hides them
    if args.json:
        print(json.dumps(figures), flush=True)
    else:
        print(f"{rows} rows of {source}, target {model.target!r}")
        for line in format_report(figures):
            print(f"  {line}")
    if args.plot:
        from ..plot import confusion_matrix, predicted_vs_actual

        draw = confusion_matrix if model.task == "classify" else predicted_vs_actual
        draw(model, frame, path=args.plot)
        wrote(args.plot)
    return 0
