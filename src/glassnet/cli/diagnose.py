"""``glassnet diagnose``: the training doctor on a saved model and a table."""

from __future__ import annotations

import json

from ._io import note, read_data, read_model


def run(args) -> int:
    from rich.console import Console

    from ..glassbox.diagnose import diagnose
    from ..parameters import CLI
    from ..tabular.columns import drop_missing_rows

    model = read_model(args.model)
    frame = read_data(args.data, args)
    if model.target in frame.columns:
        # as evaluate does: a row without its target cannot be judged against it
        frame, no_target = drop_missing_rows(frame, [model.target])
        if no_target:
            note(f"{no_target} row(s) with an empty target {model.target!r} are left out")
    if args.drop_missing:
        columns = [name for name in (*model.columns.features, model.target) if name in frame.columns]
        frame, dropped = drop_missing_rows(frame, columns)
        if dropped:
            note(f"--drop-missing dropped {dropped} row(s) with an empty cell")
    if len(frame) == 0:
        from . import CliError

        raise CliError(f"{args.data!r} has no rows to diagnose the model on")
    # the suggestions name glassnet train's flags, whoever trained the model
    diagnosis = diagnose(model, frame, door=CLI)
    if args.json:
        print(json.dumps(diagnosis.as_dict()))
        return 0
    if model.target not in frame.columns:
        note(f"{args.data!r} has no column {model.target!r}: the checks that need targets were skipped")
    Console(highlight=False, soft_wrap=False).print(diagnosis)
    return 0
