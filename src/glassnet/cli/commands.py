"""The command table: each command's name, help and arguments.

Only the arguments live here. A command's code is imported when it runs,
so ``glassnet --help`` and usage errors answer at once, without loading
scikit-learn, pandas or matplotlib.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module
from numbers import Integral, Real

from .. import parameters
from . import COMMANDS, Command


class RegistryNames(Sequence):
    """The names a registry holds, read when argparse first needs them (to
    check a value or print a command's help), so that ``glassnet --help``
    and the other commands do not import the engine to start. ``read`` is a
    function importing the registry's module itself (a plain import inside
    it) and returning the names."""

    def __init__(self, read):
        self.read = read
        self._names: list[str] | None = None

    @property
    def names(self) -> list[str]:
        if self._names is None:
            self._names = list(self.read())
        return self._names

    def __getitem__(self, index):
        return self.names[index]

    def __len__(self) -> int:
        return len(self.names)


def _dataset_names():
    from ..tabular.datasets import DATASETS

    return DATASETS.names()


DATASETS = RegistryNames(_dataset_names)


def _runs(module: str, function: str = "run"):
    """The ``run(args)`` of ``glassnet.cli.<module>``, imported on call."""

    def run(args):
        return getattr(import_module(f"{__package__}.{module}"), function)(args)

    return run


def _typed(flag: str, read):
    """An argparse type: ``read(text)``, its ValueError shown as argparse's
    error (one line naming the flag, what it allows and the value)."""

    def convert(text: str):
        try:
            return read(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = flag
    return convert


def constrained(flag: str, constraint: parameters.Constraint):
    """An argparse type for a flag outside the table, checked by a constraint
    of the table's kind, so its message reads as the table's do."""

    def read(text: str):
        value = parameters.from_text(constraint, text)
        constraint.validate(flag, value)
        return value

    return _typed(flag, read)


def setting_type(flag: str):
    """The argparse type of a table flag: text read and checked by the table
    (``--learning-rate -1``: "--learning-rate must be a real number in
    (0, inf), got -1"); a name comes back as the registry spells it, a list
    of sizes as a tuple."""
    setting = parameters.lookup(parameters.CLI, flag)

    def read(text: str):
        value = parameters.read(parameters.CLI, flag, text)
        if isinstance(setting.constraint, parameters.Options) and isinstance(value, str):
            return setting.constraint.canonical(value)
        return value

    return _typed(flag, read)


def _menu(constraint) -> bool:
    """Whether a flag takes names (shown as {a,b,c} in its usage), known without reading them."""
    members = constraint.members if isinstance(constraint, parameters.AnyOf) else (constraint,)
    return any(isinstance(member, parameters.Options) for member in members)


def add_setting(group, flag: str, **overrides):
    """Add a flag of ``glassnet train``'s model settings: its type, default,
    choices and help all come from the table (glassnet.parameters)."""
    setting = parameters.lookup(parameters.CLI, flag)
    spelled = setting.name(parameters.CLI)
    # argparse reads % in a help text as a format (the table's "30%")
    options = dict(default=spelled.default, help=parameters.cli_help(setting).replace("%", "%%"), dest=spelled.dest)
    if isinstance(setting.constraint, parameters.Boolean):
        options["action"] = "store_true"
    else:
        options["type"] = setting_type(flag)
        if spelled.metavar:
            options["metavar"] = spelled.metavar
        if _menu(setting.constraint):
            options["choices"] = RegistryNames(lambda: parameters.offered(parameters.CLI, flag))
    options.update(overrides)
    group.add_argument(flag, **options)


def _count(flag: str):
    return constrained(flag, parameters.Interval(Integral, 1))


def _positive(flag: str):
    return constrained(flag, parameters.Interval(Real, 0, None, closed="neither"))


def separator_argument(text: str) -> str:
    from ..tabular.reading import separator

    try:
        return separator(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix(f"--sep {text!r} is not a separator; ")) from None


def _reading_arguments(group):
    """How a data file is read: every command that reads one takes these (the table's
    settings; a separator's names are read by the reader's own rules)."""
    add_setting(group, "--sep", type=separator_argument)
    add_setting(group, "--encoding")


def _force_argument(group, replaces: str):
    """--force: replace an existing file that is not of the kind the command writes."""
    group.add_argument("--force", action="store_true",
                       help=f"replace an existing output file even when it is not {replaces} (an output is never "
                            "allowed to be one of the command's input files)")


def _chunk_argument(group, what: str):
    """--chunk-rows: read DATA (a file, a glob or a folder of them) in chunks of N rows."""
    group.add_argument("--chunk-rows", type=_count("--chunk-rows"), metavar="N",
                       help=f"read DATA in chunks of N rows, so that {what} a table larger than memory; DATA may "
                            "then also be a folder or a glob ('parts/*.csv') of files with the same columns "
                            "(default: read the whole file)")


def _demo_arguments(parser):
    add_setting(parser, "--seed", help="seed of the initial weights (default: 0)")
    add_setting(parser, "--scaler", default="minmax",
                help="scaler fitted on the training rows (default: minmax, clipped to the training range)")
    parser.add_argument("--plot", metavar="PATH", help="save the error development plot (.png or .svg)")
    _force_argument(parser, "a picture")
    parser.add_argument("--explain", action="store_true",
                        help="walk through the first epoch with every number (forward pass, error, deltas, "
                             "update), then train")
    parser.add_argument("--diagnose", action="store_true",
                        help="train the network badly on purpose (learning rate 50, no scaling) and let "
                             "glassnet.diagnose find out why")


def _train_arguments(parser):
    source = parser.add_argument_group("data")
    source.add_argument("data", nargs="?", metavar="DATA", help="a CSV file (or .parquet) with a header row")
    source.add_argument("--dataset", choices=DATASETS, help="train on a dataset shipped with scikit-learn or glassnet instead")
    # the data settings a model file keeps, from the one table too
    for flag in ("--target", "--ignore", "--keep", "--id", "--impute", "--drop-missing"):
        add_setting(source, flag)
    _reading_arguments(source)
    # how DATA is read, not what the model file keeps: a group of its own
    _chunk_argument(parser.add_argument_group("larger than memory"), "training streams")
    model = parser.add_argument_group("model")
    # every model setting: its type, default, choices and help from the one table
    # and what scikit-learn's MLP lacks: dropout, normalisation, decay, clipping, schedules, label smoothing
    for flag in ("--task", "--hidden", "--activation", "--solver", "--epochs", "--batch-size", "--learning-rate",
                 "--scaler", "--test-size", "--seed", "--early-stopping", "--class-weight", "--record-stats",
                 "--dropout", "--normalization", "--weight-decay", "--clip-grad-norm", "--schedule",
                 "--warmup-epochs", "--label-smoothing"):
        add_setting(model, flag)
    output = parser.add_argument_group("output")
    output.add_argument("-o", "--output", required=True, metavar="MODEL",
                        help="where to write the model file (an existing glassnet model file there is replaced)")
    output.add_argument("--plot", metavar="PATH", help="save the learning curves (.png or .svg)")
    _force_argument(output, "a glassnet model file (-o) or a picture (--plot)")
    output.add_argument("--quiet", action="store_true", help="print nothing but errors (no progress bar, notes or report)")


def _evaluate_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by 'glassnet train'")
    parser.add_argument("data", metavar="DATA", help="a CSV file with the model's columns and its target column")
    parser.add_argument("--json", action="store_true", help="print one JSON object of the metrics")
    parser.add_argument("--plot", metavar="PATH",
                        help="save the confusion matrix (classifiers) or predicted against actual values with a "
                             "residual histogram (regressors); .png, .svg or .pdf")
    _force_argument(parser, "a picture")
    parser.add_argument("--drop-missing", action="store_true",
                        help="drop rows with an empty cell instead of filling it as in training")
    _reading_arguments(parser)
    _chunk_argument(parser, "the metrics are tallied over")


def _predict_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by 'glassnet train'")
    parser.add_argument("data", metavar="DATA", help="a CSV file with the model's feature columns")
    parser.add_argument("-o", "--output", metavar="OUT.csv",
                        help="where to write the predictions (default: standard output); an existing file there is "
                             "replaced only when it holds predictions glassnet wrote")
    _force_argument(parser, "predictions glassnet wrote")
    parser.add_argument("--id", dest="id_column", metavar="COL",
                        help="copy this column into the predictions (default: the model's --id column when the "
                             "file has it, else the row number)")
    # predict never drops a row; the option is refused with the reason
    parser.add_argument("--drop-missing", action="store_true", help=argparse.SUPPRESS)
    _reading_arguments(parser)
    _chunk_argument(parser, "predictions are written chunk by chunk for")


def _trace_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by 'glassnet train'")
    parser.add_argument("data", metavar="DATA", help="a CSV file with the model's columns (and its target, for gradients)")
    parser.add_argument("--row", type=_count("--row"), default=1, help="which row, counted from 1 under the header (default: 1)")
    _reading_arguments(parser)


def _gradcheck_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by 'glassnet train'")
    parser.add_argument("data", metavar="DATA", help="a CSV file with the model's columns and its target")
    parser.add_argument("--tol", type=_positive("--tol"), default=1e-6, help="largest disagreement accepted beyond the finite differences' noise, relative to the "
                             "largest gradient (default: 1e-6)")
    parser.add_argument("--max-rows", type=_count("--max-rows"), default=100, help="check on the first rows only (default: 100)")
    _reading_arguments(parser)


def _export_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by glassnet (any kind)")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL.onnx",
                        help="where to write the ONNX model (an existing ONNX file there is replaced)")
    _force_argument(parser, "an ONNX file")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _playground_arguments(parser):
    parser.add_argument("data", nargs="?", metavar="DATA", help="a CSV file to start with (more can be uploaded on the page)")
    parser.add_argument("--target", metavar="COLUMN", help="the column of DATA to predict (default: its last column)")
    parser.add_argument("--dataset", metavar="NAME",
                        help="the data set to start with: a 2-D set such as circle, xor, spiral or moons, "
                             "or a bundled table such as iris (default: circle)")
    parser.add_argument("--port", type=constrained("--port", parameters.Interval(Integral, 0, 65535)),
                        default=None, metavar="N", help="port to listen on (default: 8765 or the next free one; 0: any)")
    parser.add_argument("--host", default="127.0.0.1", metavar="H",
                        help="address to listen on (default: 127.0.0.1; anything else lets other machines in)")
    parser.add_argument("--no-browser", action="store_true", help="print the URL without opening a browser")
    parser.add_argument("--max-upload-mb", type=_positive("--max-upload-mb"), default=50, metavar="N",
                        help="largest CSV upload accepted, in MB (default: 50)")


def _diagnose_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by 'glassnet train'")
    parser.add_argument("data", metavar="DATA",
                        help="a CSV file with the model's columns (and its target, for the checks that need it)")
    parser.add_argument("--json", action="store_true", help="print the findings as one JSON object")
    parser.add_argument("--drop-missing", action="store_true",
                        help="drop rows with an empty cell instead of filling it as in training")
    _reading_arguments(parser)


def _inspect_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a model file written by glassnet")


_TABLE = (
    ("demo", "run the article's example: train on its six vectors and evaluate on its test set",
     _demo_arguments, None),
    ("train", "train a network on a CSV file (or a bundled dataset) and save it",
     _train_arguments,
     "Reads DATA (NA, N/A, null and empty cells are missing), splits off --test-size rows (stratified\n"
     "for classification), fits the filling of empty cells, the scaler and the one-hot encoding of\n"
     "text columns on the training part only, trains, prints the test report and writes MODEL.\n"
     "Columns that are empty or constant, and text columns like identifiers (unless --keep), are\n"
     "left out, with a note. Ctrl-C stops training and saves the last completed epoch. With\n"
     "--chunk-rows N the file (or a folder or glob of files) is read N rows at a time, in passes,\n"
     "and the held-out rows are chosen by a hash of the row number: peak memory is set by N, not\n"
     "by the file (docs/beyond-one-machine.md).\n\n"
     "example:\n  glassnet train penguins.csv --target species --ignore year -o penguins.glassnet"),
    ("evaluate", "report a saved model's metrics on a labelled CSV file", _evaluate_arguments,
     "Classification: confusion matrix (tp/tn/fp/fn for two classes), accuracy, precision,\n"
     "recall, f1, roc_auc. Regression: mae, mse, rmse, r2. All from sklearn.metrics. Labels not\n"
     "seen in training keep their own row in the confusion matrix and are named on stderr."),
    ("predict", "write a saved model's predictions for a CSV file", _predict_arguments,
     "Exactly one output row per input row, in order: the --id column (or the row number), the\n"
     "prediction and, for a classifier, one probability column per class, then a note column. A row\n"
     "that cannot be predicted keeps empty prediction cells and says why in its note. Rows outside\n"
     "the training range of some feature, and categories not seen in training, are noted on stderr."),
    ("trace", "show every number of the forward (and backward) pass for one row of a file",
     _trace_arguments, "With the target column in DATA the table also shows deltas and gradients."),
    ("gradcheck", "compare a saved model's gradients with finite differences on a file's rows",
     _gradcheck_arguments,
     "Prints, per layer, the gradient scale, the largest absolute and relative errors and the finite\n"
     "differences' own noise; exits 1 when the gradients disagree beyond that noise by more than --tol."),
    ("export", "write a saved model as an ONNX file, its preprocessing included", _export_arguments,
     "The ONNX model computes in float32 what 'glassnet predict' computes. A model written by\n"
     "'glassnet train' takes one input per feature column, named as in the CSV file (numbers as\n"
     "float32, text as strings, each of shape (n, 1)); other models take X. Needs the onnx extra:\n"
     "pip install \"glassnet[onnx]\".\n\n"
     "example:\n  glassnet export fruit.glassnet -o fruit.onnx"),
    ("diagnose", "say why a saved model does not learn well: the training doctor, on a file's rows",
     _diagnose_arguments,
     "Checks dead and saturated units, gradient flow, the learning rate (from the history), over-\n"
     "and underfitting, input scaling, class imbalance, rows beyond the training range and the\n"
     "training rules (dropout too high, a warm-up longer than the run, clipping on every step,\n"
     "batch normalisation on tiny batches); each finding has a severity, its numbers and a\n"
     "suggestion. --json prints them as one object."),
    ("inspect", "show a saved model: layers, weights, preprocessing, columns, settings, metrics",
     _inspect_arguments, None),
    ("playground", "train a network live in the browser on a 2-D set, a bundled data set or your CSV",
     _playground_arguments,
     "Starts a local server (127.0.0.1 unless --host says otherwise), prints its URL with a\n"
     "token and opens it. Ctrl-C stops it.\n\n"
     "example:\n  glassnet playground examples/data/fruit.csv --target fruit"),
)

# where each command's code lives, when not in a module of its own name
_CODE = {"trace": ("glassbox", "run_trace"), "gradcheck": ("glassbox", "run_gradcheck")}

for _name, _help, _arguments, _description in _TABLE:
    COMMANDS.register(_name, Command(_name, _help, _arguments, _runs(*_CODE.get(_name, (_name,))), _description))
