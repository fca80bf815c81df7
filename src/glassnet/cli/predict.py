"""``glassnet predict``: a saved model's predictions for a table, as CSV,
one output row per input row (see :mod:`glassnet.tabular.predictions`)."""

from __future__ import annotations

import sys

from . import EXIT_USAGE, CliError, wrote
from ._io import data_inputs, note_extrapolation, note_outside, notes_on_stderr, read_data, read_model, table_source
from ._outputs import Output, check_outputs


def run(args) -> int:
    from .._atomic import atomic_path
    from ..tabular.predictions import prediction_table

    if args.drop_missing:
        raise CliError("predict never drops a row: a row with an empty cell is filled as in training, or, when "
                       "the model does not impute, written with empty predictions and a note saying why",
                       hint="--drop-missing applies to train and evaluate", code=EXIT_USAGE)
    check_outputs([Output("-o", args.output, "predictions")], [("MODEL", args.model), *data_inputs(args)],
                  args.force)
    model = read_model(args.model)
    if args.chunk_rows:
        return _streamed(model, args)
    frame = read_data(args.data, args)
    source = repr(args.data)
    with notes_on_stderr():
        table, encoded = prediction_table(model, frame, source, args.id_column)
    note_extrapolation(model, frame, source, encoded)
    if args.output:
        with atomic_path(args.output) as temporary:
            table.to_csv(temporary, index=False)
        wrote(args.output)
        print(f"{len(table)} rows written to {args.output}", file=sys.stderr)
    else:
        table.to_csv(sys.stdout, index=False)
    return 0


def _write_chunks(model, table, args, output, tally) -> None:
    """Each chunk's predictions appended to ``output`` (one header)."""
    from ..tabular.predictions import NOTE_COLUMN, identifier_column, prediction_rows

    identifier = None
    for index, frame in enumerate(table.chunks()):
        if index == 0:
            identifier = identifier_column(model, frame, args.id_column, table.name)
        rows, encoded = prediction_rows(model, frame, table.name, identifier)
        tally.add(encoded, frame, table.name, extrapolation=True)
        rows.to_csv(output, index=False, header=index == 0)
    tally.warn_filled(table.name)
    tally.warn_problems(NOTE_COLUMN)


def _streamed(model, args) -> int:
    """``glassnet predict MODEL DATA --chunk-rows N``: the predictions written chunk by chunk."""
    from .._atomic import atomic_path
    from ..tabular.tally import EncodedTally

    table, tally = table_source(args), EncodedTally(model)
    with notes_on_stderr():
        if args.output:
            with atomic_path(args.output) as temporary, open(temporary, "w", newline="") as output:
                _write_chunks(model, table, args, output, tally)
        else:
            _write_chunks(model, table, args, sys.stdout, tally)
    outside, by_feature = tally.extrapolation()
    note_outside(outside, tally.rows, by_feature)
    if args.output:
        wrote(args.output)
        print(f"{tally.rows} rows written to {args.output}", file=sys.stderr)
    return 0
