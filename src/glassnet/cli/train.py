"""``glassnet train``: a CSV file (or a bundled dataset) in, a model file out.

Ctrl-C during training stops it, keeps the weights of the last completed
epoch, saves that model and exits with 130. A second Ctrl-C, or one before
training starts, aborts with nothing written.
"""

from __future__ import annotations

import contextlib
import signal
import sys

from . import EXIT_INTERRUPTED, EXIT_USAGE, CliError, wrote
from ._io import PLOT_SUFFIXES, data_inputs, note, notes_on_stderr, read_data
from ._outputs import Output, check_outputs

_INTERRUPTED_WARNING = "Training interrupted by user."


class _InterruptCounter:
    """A SIGINT handler that counts, then raises KeyboardInterrupt as usual.

    The training loop catches the first interrupt and ends at the last
    completed epoch; the count tells us afterwards that it happened.
    """

    def __init__(self):
        self.count = 0
        self._previous = None

    def __call__(self, signum, frame):
        self.count += 1
        raise KeyboardInterrupt

    def __enter__(self):
        self._previous = signal.signal(signal.SIGINT, self)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._previous)


def _source(args):
    from ..tabular.datasets import load_dataset

    if args.dataset and args.data:
        raise CliError("give either a DATA file or --dataset, not both", code=EXIT_USAGE)
    if args.dataset:
        frame, default_target = load_dataset(args.dataset)
        return frame, args.target or default_target, f"dataset {args.dataset!r}"
    if not args.data:
        raise CliError("no data: give a CSV file or --dataset NAME", hint="glassnet train DATA.csv --target COLUMN -o MODEL",
                       code=EXIT_USAGE)
    if not args.target:
        raise CliError("--target is required with a data file: name the column to predict", code=EXIT_USAGE)
    return read_data(args.data, args), args.target, repr(args.data)


def _options(args, target: str, show_bar: bool):
    from ..tabular.fitting import Options

    return Options(target=target, task=args.task, hidden=args.hidden, activation=args.activation,
                   solver=args.solver, epochs=args.epochs, batch_size=args.batch_size,
                   learning_rate=args.learning_rate, scaler=args.scaler, test_size=args.test_size,
                   seed=args.seed, early_stopping=args.early_stopping, class_weight=args.class_weight,
                   drop_missing=args.drop_missing, progress=show_bar, impute=args.impute,
                   ignore=args.ignore, keep=args.keep, id_column=args.id_column, record_stats=args.record_stats,
                   dropout=args.dropout, normalization=args.normalization, weight_decay=args.weight_decay,
                   clip_grad_norm=args.clip_grad_norm, schedule=args.schedule, warmup_epochs=args.warmup_epochs,
                   label_smoothing=args.label_smoothing)


def _streamed(args, show_bar: bool):
    """``glassnet train DATA --chunk-rows N``: ``(model, test rows, interrupted)``."""
    from ..progress import RowProgress
    from ..tabular.sources import TableSource
    from ..tabular.stream_fit import check_streamable, fit_stream

    if args.dataset:
        raise CliError("--chunk-rows reads a DATA file in chunks; a --dataset is in memory already", code=EXIT_USAGE)
    if not args.data or not args.target:
        _source(args)  # says what is missing
    options = _options(args, args.target, False)
    check_streamable(options)
    table = TableSource(args.data, args.chunk_rows, sep=args.sep, encoding=args.encoding)
    with _InterruptCounter() as interrupts, notes_on_stderr(ignore=[_INTERRUPTED_WARNING], show=not args.quiet), \
            (RowProgress() if show_bar else contextlib.nullcontext()) as progress:
        model, run = fit_stream(table, options, progress, stop_requested=lambda: interrupts.count > 0)
    if run.interrupted:
        return model, None, f"pass {run.passes} of {options.epochs}"
    return model, model.settings["rows_test"], None


def _in_memory(args, show_bar: bool):
    """``glassnet train DATA``: ``(model, test rows, interrupted)``."""
    from ..tabular.fitting import fit_table
    from ..tabular.report import report

    frame, target, source = _source(args)
    options = _options(args, target, show_bar)
    with _InterruptCounter() as interrupts, notes_on_stderr(ignore=[_INTERRUPTED_WARNING], show=not args.quiet):
        model, test, dropped = fit_table(frame, options, source)
    if interrupts.count:
        return model, None, f"epoch {model.n_iter_} of {options.epochs}"
    with notes_on_stderr(show=not args.quiet):
        model.report = report(model, test, f"the test part of {source}")
    return model, len(test), None


def run(args) -> int:
    from ..persistence import save
    from ..tabular.report import format_report

    check_outputs([Output("-o", args.output, "model"), Output("--plot", args.plot, "picture", PLOT_SUFFIXES)],
                  data_inputs(args), args.force)
    show_bar = not args.quiet and sys.stderr.isatty()
    model, test_rows, interrupted = (_streamed if args.chunk_rows else _in_memory)(args, show_bar)
    dropped = model.settings["rows_dropped"]
    if dropped and not args.quiet:
        note(f"--drop-missing dropped {dropped} row(s) with an empty cell")
    if interrupted:
        # the loop kept the last completed epoch (streamed: step); save that model as it is
        save(model, args.output)
        wrote(args.output)
        print(f"interrupted at {interrupted}; model saved to {args.output}", file=sys.stderr)
        return EXIT_INTERRUPTED
    save(model, args.output)
    wrote(args.output)
    if args.plot:
        from ..plot import learning_curves

        learning_curves(model, args.plot)
        wrote(args.plot)
    if not args.quiet:
        settings = model.settings
        kind = {"classify": "classifier", "regress": "regressor"}[model.task]
        shape = "-".join(map(str, [len(model.columns.input_names), *settings["hidden"], model.network.n_outputs]))
        done, loss = f"{model.n_iter_} epoch(s)", model.loss_
        if "passes" in settings:
            done = f"{settings['passes']} pass(es) in chunks of {settings['chunk_rows']} rows"
            loss = settings["pass_losses"][-1]
        print(f"trained a {kind} {shape} on {settings['rows_train']} rows "
              f"of {settings['source']}; {done}, final loss {loss:.4g}"
              + (" (of the standardised target)" if model.task == "regress" else ""))
        print(f"test report ({test_rows} held-out rows):")
        for line in format_report(model.report):
            print(f"  {line}")
        print(f"model saved to {args.output}" + (f"; learning curves in {args.plot}" if args.plot else ""))
    return 0
