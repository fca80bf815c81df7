"""``glassnet predict``: a saved model's predictions for a table, as CSV."""

from __future__ import annotations

import sys

from ._io import check_output_path, note, note_extrapolation, read_data, read_model


def run(args) -> int:
    import pandas as pd

    from ..persistence import atomic_path
    from ..tabular.columns import drop_empty_rows

    if args.output:
        check_output_path(args.output)
    model = read_model(args.model)
    frame = read_data(args.data)
    source = repr(args.data)
    if args.drop_missing:
        frame, dropped = drop_empty_rows(frame, model.columns.features)
        if dropped:
            note(f"--drop-missing dropped {dropped} row(s) with an empty cell")
    out = pd.DataFrame({f"predicted_{model.target}": model.predict(frame, source)})
    if model.task == "classify":
        proba = model.predict_proba(frame, source)
        for index, label in enumerate(model.classes_):
            out[f"probability_{label}"] = proba[:, index]
    note_extrapolation(model, frame, source)
    if args.output:
        with atomic_path(args.output) as temporary:
            out.to_csv(temporary, index=False)
        print(f"{len(out)} predictions written to {args.output}", file=sys.stderr)
    else:
        out.to_csv(sys.stdout, index=False)
    return 0
