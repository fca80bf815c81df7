"""``glassnet predict``: a saved model's predictions for a table, as CSV,
one output row per input row (see :mod:`glassnet.tabular.predictions`)."""

from __future__ import annotations

import sys

from . import EXIT_USAGE, CliError, wrote
from ._outputs import Output, check_outputs
from ._io import note_extrapolation, notes_on_stderr, read_data, read_model


def run(args) -> int:
    from .._atomic import atomic_path
    from ..tabular.predictions import prediction_table

    if args.drop_missing:
        raise CliError("predict never drops a row: a row with an empty cell is filled as in training, or, when "
                       "the model does not impute, written with empty predictions and a note saying why",
                       hint="--drop-missing applies to train and evaluate", code=EXIT_USAGE)
    check_outputs([Output("-o", args.output, "predictions")], [("MODEL", args.model), ("DATA", args.data)],
                  args.force)
    model = read_model(args.model)
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
