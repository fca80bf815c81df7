"""The table: every setting of every door, described once.

Each row is a :class:`~.setting.Setting`: the constraint every door
checks, the meaning every door documents, and the name (and default) in
each door: ``NeuralNetwork(...)`` and its ``train(...)``, the estimators,
``glassnet train``'s flags and the playground's settings.

Lists of names come from the engine's registries, read when a value is first
checked or documented.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

from .combined import AnyOf, Each
from .constraints import Boolean, Callables, Exactly, FloatDtype, Instances, Interval, NoneValue, Options, Text
from .setting import CLI, ESTIMATOR, NEURAL_NETWORK, PLAYGROUND, TRAIN, Name, Setting

__all__ = ["TABLE", "REGRESSION_LOSSES", "EXTRAPOLATION", "TASKS", "IMPUTE"]


# --- the engine's registries, read on first use ---------------------------------------------
def _activations():
    from ..engine.activations import ACTIVATIONS

    return ACTIVATIONS


def _hidden_activations():
    from ..engine.activations import hidden_activations

    return hidden_activations()


def _losses():
    from ..engine.losses import LOSSES

    return LOSSES.names()


def _reductions():
    from ..engine.losses import REDUCTIONS

    return REDUCTIONS


def _solvers():
    from ..engine.solvers import SOLVERS

    return SOLVERS


def _step_optimizers():
    from ..engine.optimizers import OPTIMIZERS

    return OPTIMIZERS.names()


def _optimizer_class():
    from ..engine.optimizers import Optimizer

    return Optimizer


def _schedules():
    from ..engine.optimizers import SCHEDULES

    return SCHEDULES.names()


def _metrics():
    from ..engine.metrics import METRICS

    return METRICS


def _initializers():
    from ..engine.initializers import INITIALIZERS

    return INITIALIZERS


def _normalizations():
    from ..engine.normalization import NORMALIZATIONS

    return NORMALIZATIONS.names()


def _scalers():
    from ..preprocessing import SCALERS

    return SCALERS.names()


def _random_state_class():
    import numpy as np

    return np.random.RandomState


def _names(registry):
    return lambda: registry().names()


# the regressor's losses (scikit-learn's names; each is an engine loss with its link)
REGRESSION_LOSSES = ("squared_error", "poisson", "absolute_error", "huber")
EXTRAPOLATION = ("warn", "ignore")
TASKS = ("classify", "regress")
# how glassnet train fills empty cells (glassnet.tabular.imputing's strategies)
IMPUTE = ("none", "median", "mean", "most_frequent")

# --- shared constraints ---------------------------------------------------------------------
COUNT = Interval(Integral, 1)  # an integer >= 1
POSITIVE = Interval(Real, 0, None, closed="neither")  # (0, inf)
NON_NEGATIVE = Interval(Real, 0, None, closed="left")  # [0, inf)
FRACTION = Interval(Real, 0, 1, closed="neither")  # (0, 1)
DECAY = Interval(Real, 0, 1, closed="left")  # [0, 1)
HIDDEN_ACTIVATION = Options(_hidden_activations, registry=_activations, elsewhere="is for the output layer only")
SOLVER = Options(_names(_solvers), registry=_solvers)
# numpy's RandomState takes seeds below 2**32; one range for every door
SEED = Interval(Integral, 0, 2**32 - 1)

NONE = NoneValue()
COLUMN = Text("a column's name", "column names")
RATE = Interval(Real, 0, 1, closed="left")  # [0, 1): a dropout rate, a label smoothing
NORMALIZATION = Options(_normalizations)


def _setting(key, constraint, doc, *, type=None, nn=None, train=None, estimator=None, cli=None, playground=None):
    doors = {door: name for door, name in ((NEURAL_NETWORK, nn), (TRAIN, train), (ESTIMATOR, estimator),
                                           (CLI, cli), (PLAYGROUND, playground)) if name is not None}
    return Setting(key, constraint, doc, doors, type)


TABLE: tuple[Setting, ...] = (
    # --- the network's shape ---------------------------------------------------------------
    _setting("input size", COUNT, "Inputs of the article's shape [input_size, hidden_size, output_size] "
             "(ignored when layers is given).", nn=Name("input_size", 3)),
    _setting("hidden size", COUNT, "Hidden units of that shape.", nn=Name("hidden_size", 3)),
    _setting("output size", COUNT, "Outputs of that shape.", nn=Name("output_size", 1)),
    _setting("layer sizes", Each(COUNT, min_length=2),
             "Every layer's size, [n_inputs, hidden_1, ..., n_outputs]: any depth ([4, 1] has no hidden layer).",
             nn=Name("layers", None, extra=(NONE,), type="list of int or None",
                     note="None: the three sizes above; a list overrides them.")),
    _setting("hidden layers", Each(COUNT),
             "Units per hidden layer, from the input side. (100,) is one hidden layer of 100 units, () none.",
             estimator=Name("hidden_layer_sizes", (100,), extra=(COUNT,), type="array-like of shape (n_layers - 2,)",
                            note="A single integer is one hidden layer."),
             cli=Name("--hidden", (64, 32), metavar="SIZES", default_text="64,32",
                      note="comma-separated, such as 64,32"),
             playground=Name("hidden", [4, 2], label="hidden layers", limit=Each(Interval(Integral, 1, 256), max_length=10))),
    _setting("hidden activation", HIDDEN_ACTIVATION,
             "Activation of the hidden layers. scikit-learn's 'identity', 'logistic', 'tanh' and 'relu'; "
             "glassnet adds 'leaky_relu' (slope 0.01), 'elu', 'gelu' (exact) and 'swish'; 'sigmoid' is another "
             "name for 'logistic'.",
             nn=Name("activation", "logistic", extra=(Each(HIDDEN_ACTIVATION),),
                     note="A list gives one name per hidden layer."),
             estimator=Name("activation", "relu"),
             cli=Name("--activation", "relu"),
             playground=Name("activations", ["tanh", "tanh"], label="Activation", extra=(Each(HIDDEN_ACTIVATION),),
                             limit=Each(HIDDEN_ACTIVATION))),
    _setting("output activation", Options(_names(_activations), registry=_activations),
             "Activation of the output layer.",
             nn=Name("output_activation", None, extra=(NONE,), type="str or None",
                     note="None: logistic for binary_crossentropy, softmax for categorical_crossentropy, exp for "
                          "poisson, otherwise activation (identity when it is a list).")),
    _setting("loss", Options(_losses), "The training loss; squared_error is the article's ½·Σ(y−o)².",
             nn=Name("loss", "squared_error"),
             playground=Name("loss", "auto", label="Loss", extra=(Options(("auto",)),),
                             note="'auto': cross-entropy for classes, squared error for values.")),
    _setting("regression loss", Options(REGRESSION_LOSSES),
             "Regressor only. 'squared_error' (½(y−ŷ)²), 'poisson' (half Poisson deviance with an exp output; "
             "needs y >= 0), and, glassnet only, 'absolute_error' (|y−ŷ|) and 'huber' (quadratic within 1 of "
             "the target, linear beyond). The classifier always uses log-loss.",
             estimator=Name("loss", "squared_error", only="regressor")),
    _setting("bias", Boolean(), "Whether layers have biases; the article's have none.", nn=Name("bias", False)),
    _setting("init", Options(_names(_initializers), registry=_initializers),
             "Initial weights: 'uniform' is the article's [0, 1).", nn=Name("init", "uniform")),
    # --- the optimiser ---------------------------------------------------------------------
    _setting("solver", SOLVER,
             "The optimiser. 'sgd' (gradient descent, the article's) and 'adam' take steps on mini-batches; "
             "'lbfgs' is scipy's L-BFGS-B on the full batch, one iteration per epoch.",
             nn=Name("optimizer", "sgd", extra=(Instances(_optimizer_class, "an Optimizer", "Optimizer"),),
                     type="{'lbfgs', 'sgd', 'adam'} or Optimizer",
                     note="An instance such as glassnet.engine.optimizers.SGD(momentum=0.9, nesterov=True) is "
                          "used as given."),
             estimator=Name("solver", "adam"),
             cli=Name("--solver", "adam"),
             playground=Name("optimizer", "sgd", label="Optimizer", limit=Options(_step_optimizers))),
    _setting("learning rate", POSITIVE, "Step size of sgd and adam.",
             nn=Name("learning_rate", None, extra=(NONE,),
                     note="None: 1 for 'sgd' (the article's), the optimiser's own default otherwise (0.001 for "
                          "'adam'); 'lbfgs' takes none."),
             estimator=Name("learning_rate_init", 0.001),
             cli=Name("--learning-rate", 0.001, metavar="RATE"),
             playground=Name("learning_rate", 0.03, label="Learning rate", limit=Interval(Real, 0, 100, closed="right"))),
    _setting("learning-rate schedule", Options(_schedules),
             "The learning rate's schedule over the epochs. 'constant'; 'invscaling' (learning_rate_init / "
             "(t + 1)**power_t, t the samples seen); 'adaptive' (divide by 5 when progress stalls, stop below "
             "1e-6); 'cosine' (half a cosine from the initial rate down towards 0 over the run); 'one_cycle' (up "
             "from a 25th of the rate to the rate over the first 30% of the run, then down to a 250000th: "
             "PyTorch's OneCycleLR, per epoch).",
             nn=Name("schedule", "constant", note="The run is schedule_epochs long, or each train call's epochs."),
             estimator=Name("learning_rate", "constant",
                            note="As in scikit-learn, 'invscaling' and 'adaptive' apply to sgd only; glassnet's "
                                 "'cosine' and 'one_cycle' to sgd and adam alike, over max_iter epochs."),
             cli=Name("--schedule", "constant", note="over --epochs"),
             playground=Name("schedule", "constant", label="Schedule", note="Over schedule_epochs.")),
    _setting("schedule epochs", COUNT,
             "The length of the run a schedule ('cosine', 'one_cycle') and a warm-up are laid over, in epochs, "
             "counted over every train call, so that training in pieces follows the schedule of one run.",
             nn=Name("schedule_epochs", None, extra=(NONE,),
                     note="None: each train call is a run of its own epochs (the schedule starts again, a warm "
                          "restart)."),
             playground=Name("schedule_epochs", 200, label="Over epochs", limit=Interval(Integral, 1, 1_000_000),
                             note="The page trains a few epochs at a time, all of one run.")),
    _setting("warmup epochs", Interval(Integral, 0),
             "Epochs of linear warm-up before any schedule: the rate of epoch k is the rate the schedule starts "
             "at (the initial rate; a 25th of it for 'one_cycle') times (k + 1)/warmup_epochs. sgd and adam.",
             nn=Name("warmup_epochs", 0), estimator=Name("warmup_epochs", 0, glassnet=True),
             cli=Name("--warmup-epochs", 0, metavar="N"),
             playground=Name("warmup_epochs", 0, label="Warm-up", limit=Interval(Integral, 0, 1_000_000))),
    _setting("weight decay", NON_NEGATIVE,
             "Decoupled weight decay, as PyTorch's AdamW applies it: each step first shrinks the weights (not the "
             "biases) by the learning rate times weight_decay, apart from the gradient (unlike the L2 penalty). "
             "sgd and adam.",
             nn=Name("weight_decay", 0.0), estimator=Name("weight_decay", 0.0, glassnet=True),
             cli=Name("--weight-decay", 0.0, metavar="WD"),
             playground=Name("weight_decay", 0.0, label="Weight decay", limit=Interval(Real, 0, 10))),
    _setting("clip grad norm", AnyOf(POSITIVE, NONE),
             "Clip the gradient's global norm to this value before each step, as PyTorch's clip_grad_norm_ does; "
             "the history records each epoch's norms before clipping (grad_norm, grad_norm_max, clipped_share). "
             "None: no clipping. sgd and adam.",
             type="float or None",
             nn=Name("clip_grad_norm", None), estimator=Name("clip_grad_norm", None, glassnet=True),
             cli=Name("--clip-grad-norm", None, metavar="NORM", default_text="none"),
             playground=Name("clip_grad_norm", None, label="Clip norm", limit=AnyOf(Interval(Real, 0, 1e6, closed="right"), NONE))),
    _setting("power_t", NON_NEGATIVE, "Exponent of the 'invscaling' schedule.", estimator=Name("power_t", 0.5)),
    _setting("momentum", Interval(Real, 0, 1), "sgd's momentum.", estimator=Name("momentum", 0.9),
             playground=Name("momentum", 0.0, label="Momentum")),
    _setting("nesterovs_momentum", Boolean(), "Use Nesterov's momentum (sgd, momentum > 0).",
             estimator=Name("nesterovs_momentum", True)),
    _setting("beta_1", DECAY, "Adam's first-moment decay.", estimator=Name("beta_1", 0.9),
             playground=Name("beta_1", 0.9, label="Adam β₁")),
    _setting("beta_2", DECAY, "Adam's second-moment decay.", estimator=Name("beta_2", 0.999),
             playground=Name("beta_2", 0.999, label="Adam β₂")),
    _setting("epsilon", POSITIVE, "Adam's numerical-stability constant.", estimator=Name("epsilon", 1e-08)),
    _setting("batch size", COUNT, "Rows per step of sgd and adam.",
             nn=Name("batch_size", None, extra=(NONE,), note="None (the article's) is the full batch."),
             estimator=Name("batch_size", "auto", extra=(Options(("auto",)),), type="int or 'auto'",
                            note="'auto' is min(200, n_samples); larger values are clipped."),
             cli=Name("--batch-size", None, extra=(NONE,), metavar="N", default_text="min(200, rows)"),
             playground=Name("batch_size", 10, label="Batch size", limit=Interval(Integral, 1, 1_000_000))),
    _setting("dropout", AnyOf(RATE, Each(RATE)),
             "Inverted dropout on the hidden layers' outputs while training: the share of units dropped, one rate "
             "for every hidden layer or a list of one per hidden layer; the masks come from the seed's "
             "generator, and prediction uses every unit. Not with lbfgs.",
             type="float or list of float",
             nn=Name("dropout", 0.0), estimator=Name("dropout", 0.0, glassnet=True),
             cli=Name("--dropout", 0.0, metavar="RATE", note="one rate, or comma-separated rates, one per hidden "
                                                            "layer"),
             playground=Name("dropout", 0.0, label="Dropout", limit=Interval(Real, 0, 0.95))),
    _setting("normalization", AnyOf(NORMALIZATION, NONE),
             "Normalise each hidden layer's pre-activations, with a trained scale and shift per unit: 'batch' "
             "(by the batch's mean and variance while training, by running ones at prediction) or 'layer' (by "
             "each row's, over the layer's units); by default neither.",
             type="{'batch', 'layer'} or None",
             nn=Name("normalization", None), estimator=Name("normalization", None, glassnet=True),
             cli=Name("--normalization", None, default_text="none"),
             playground=Name("normalization", None, label="Normalization")),
    _setting("label smoothing", RATE,
             "Train the classes' cross-entropy against smoothed targets, y·(1 − ε) + ε/K with K the classes (2 "
             "per logistic output); 0: none.",
             nn=Name("label_smoothing", 0.0, note="Only with binary_crossentropy or categorical_crossentropy."),
             estimator=Name("label_smoothing", 0.0, glassnet=True, only="classifier"),
             cli=Name("--label-smoothing", 0.0, metavar="EPSILON", note="classification only"),
             playground=Name("label_smoothing", 0.0, label="Label smoothing", limit=Interval(Real, 0, 0.5),
                             note="Classes only: a regression ignores it.")),
    _setting("shuffle", Boolean(), "Reshuffle the rows every epoch when using mini-batches.",
             nn=Name("shuffle", True), estimator=Name("shuffle", True)),
    _setting("reduction", Options(_reductions), "How per-sample losses combine: their sum (the article's) or "
             "their mean.", nn=Name("reduction", "sum")),
    _setting("l2", NON_NEGATIVE, "Strength λ of the L2 penalty ½·λ·Σ‖W‖² on the weights.",
             nn=Name("l2", 0.0),
             estimator=Name("alpha", 0.0001, note="The penalty is divided by the number of samples (or the sum of "
                                                  "sample weights) like the loss."),
             playground=Name("l2", 0.0, label="L2", limit=Interval(Real, 0, 100))),
    _setting("max_fun", COUNT, "lbfgs's limit on loss evaluations.", estimator=Name("max_fun", 15000)),
    # --- training --------------------------------------------------------------------------
    _setting("epochs", COUNT, "Passes over the training data (lbfgs: iterations).",
             train=Name("epochs", 200), estimator=Name("max_iter", 200), cli=Name("--epochs", 200, metavar="N")),
    _setting("seed", SEED,
             "Seed of the one random generator behind the initial weights, the validation split and the "
             "shuffling. The same seed gives the same numbers, bit for bit.",
             nn=Name("seed", None, extra=(NONE,), note="None: a fresh seed."),
             estimator=Name("random_state", None, extra=(Instances(_random_state_class, "a RandomState",
                                                                   "RandomState instance"), NONE),
                            type="int, RandomState instance or None",
                            note="The same value gives scikit-learn's initial weights and validation split."),
             cli=Name("--seed", 0, metavar="N"),
             playground=Name("seed", 0, label="Seed")),
    _setting("validation fraction", DECAY,
             "Share of the training rows held out as validation data, drawn with the seed.",
             train=Name("validation_split", None, extra=(NONE,),
                        note="None: no split (validation_data may give a set)."),
             estimator=Name("validation_fraction", 0.1, note="Used by early_stopping.")),
    _setting("early stopping", Boolean(),
             "Stop when the validation figure stops improving, and put back the best weights.",
             train=Name("early_stopping", False, note="Needs validation_split or validation_data; the figure is "
                                                        "val_loss."),
             estimator=Name("early_stopping", False,
                            note="Holds out validation_fraction of the rows (stratified for single-output "
                                 "classification); the figure is the validation score (accuracy or R²); sgd and "
                                 "adam."),
             cli=Name("--early-stopping", False, note="the validation part is --test-size of the training part "
                                                       "(stratified for two classes)")),
    _setting("patience", AnyOf(COUNT, Exactly(math.inf, "numpy.inf")),
             "Epochs without an improvement of more than tol before training stops (the figure watched: the "
             "training loss, or the validation figure with early stopping).",
             train=Name("patience", 10), estimator=Name("n_iter_no_change", 10)),
    _setting("tol", NON_NEGATIVE,
             "The improvement that counts: the watched figure must beat its best by more than tol.",
             train=Name("tol", 1e-4), estimator=Name("tol", 0.0001, note="lbfgs also uses it as the gradient "
                                                                          "tolerance.")),
    _setting("callbacks", AnyOf(Callables(), NONE),
             "Called after every epoch (lbfgs: iteration) with that epoch's figures ('epoch', 'loss', "
             "'learning_rate' and, with validation data, the validation figures); a truthy return stops "
             "training.",
             train=Name("callbacks", (), type="list of callables",
                        note="Each is called as callback(record), record the epoch's history record."),
             estimator=Name("callbacks", None, glassnet=True, type="list of callables or None",
                            note="Each is called as callback(estimator, figures).")),
    _setting("record stats", Boolean(),
             "Record per-layer figures every epoch (lbfgs: iteration). The weight norm, gradient norm, "
             "update-to-weight ratio, dead fraction (ReLU-like) and saturated fraction (logistic, tanh) go to "
             "the history; glassnet.plot.training_dynamics draws them.",
             train=Name("record_stats", False), estimator=Name("record_stats", False, glassnet=True),
             cli=Name("--record-stats", False, note="for glassnet diagnose and glassnet.plot.training_dynamics"),
             playground=Name("record_stats", False, label="Layer stats")),
    _setting("verbose", AnyOf(Boolean(), Interval(Integral, 0)),
             "Print the loss (and validation score) every epoch.", type="bool or int",
             estimator=Name("verbose", False)),
    _setting("warm_start", Boolean(), "Continue from the previous fit's weights.",
             estimator=Name("warm_start", False)),
    _setting("class weight", AnyOf(Options(("balanced",)), Instances(dict, "a dict {class: weight}", "dict"), NONE),
             "How much each class's rows weigh. None: equally; 'balanced': n_samples / (n_classes · count), "
             "inversely to the class's frequency; {class: weight}: as given. Multiplies sample_weight.",
             type="dict, 'balanced' or None",
             estimator=Name("class_weight", None, glassnet=True, only="classifier"),
             cli=Name("--class-weight", None, default_text="equal weights", note="balanced: inversely to the class's frequency")),
    _setting("restore_best_weights", AnyOf(Boolean(), NONE),
             "Whether the weights of the best epoch are put back at the end. None keeps scikit-learn's rule "
             "(only with early_stopping). True puts back the weights of the best epoch by the monitored figure "
             "(validation score if validation data is used, else training loss), for every solver; False keeps "
             "the last epoch's.",
             estimator=Name("restore_best_weights", None, glassnet=True)),
    _setting("progress", Boolean(), "Show a progress bar (rich) with the epoch, the loss and the validation figure.",
             train=Name("live", False, note="True: a live loss curve under the cell in a notebook (Jupyter, VS Code, "
                                            "Colab), the progress bar elsewhere."),
             estimator=Name("progress", False, extra=(Options(("live",)),), glassnet=True, type="bool or 'live'",
                            note="'live': a live loss curve under the cell in a notebook (Jupyter, VS Code, "
                                 "Colab), the progress bar elsewhere.")),
    # --- numbers and predictions ---------------------------------------------------------------
    _setting("metric", Options(_names(_metrics), registry=_metrics),
             "The figure recorded per epoch in error_list; mae is the article's.", nn=Name("metric", "mae")),
    _setting("limit", Interval(Real), "Decision threshold of test_evaluation and accuracy; an output equal to it "
             "counts as positive.", nn=Name("limit", 0.5)),
    _setting("dtype", FloatDtype(), "Floating type of the weights and the arithmetic.",
             nn=Name("dtype", "float64", type="{'float64', 'float32'}"),
             estimator=Name("dtype", None, extra=(NONE,), glassnet=True, type="{'float32', 'float64'} or None",
                            note="None follows X (float32 stays float32, anything else becomes float64).")),
    _setting("extrapolation", Options(EXTRAPOLATION),
             "'warn': the first prediction after training that meets rows outside the training range issues one "
             "ExtrapolationWarning of one line (the count of rows, the worst feature); 'ignore': never. "
             "glassnet.explain_extrapolation(model, X) gives the detail.",
             nn=Name("extrapolation", "warn"), estimator=Name("extrapolation", "warn", glassnet=True)),
    # --- the command line's table model ----------------------------------------------------------
    _setting("target", AnyOf(COLUMN, NONE), "The column to predict.",
             cli=Name("--target", None, metavar="COLUMN", default_text="a dataset's own target"),
             playground=Name("target", None, label="Target", note="None: the data set's own.")),
    _setting("ignore", Each(COLUMN), "Columns to leave out of the features.",
             cli=Name("--ignore", [], metavar="COL[,COL...]", default_text="none", note="comma-separated"),
             playground=Name("ignore", [], label="Columns used", note="The page's column list unticks them.")),
    _setting("keep", Each(COLUMN),
             "Text columns to keep even when they look like identifiers: a column with nearly one distinct value per "
             "row, or more distinct values than glassnet.tabular.MAX_CATEGORIES, is otherwise left out (one-hot "
             "encoded, it would only make the network wide and teach it the training rows by heart).",
             cli=Name("--keep", [], metavar="COL[,COL...]", default_text="none", note="comma-separated")),
    _setting("id column", AnyOf(COLUMN, NONE),
             "An identifier column: left out of the features, copied into predictions.",
             cli=Name("--id", None, keyword="id_column", metavar="COL", default_text="none")),
    _setting("impute", Options(IMPUTE),
             "How empty cells are filled: with the training part's median, mean or most frequent value (text "
             "columns: most frequent), or not at all.", cli=Name("--impute", "median")),
    _setting("drop missing", Boolean(), "Drop rows with an empty cell in a feature instead of filling it.",
             cli=Name("--drop-missing", False)),
    _setting("task", Options(TASKS), "Classify or regress the target.",
             cli=Name("--task", None, extra=(NONE,), default_text="inferred from the target")),
    _setting("scaler", Options(_scalers), "The scaler fitted on the training part.",
             cli=Name("--scaler", "standard")),
    _setting("test size", FRACTION, "Share of rows held out for the test report.",
             cli=Name("--test-size", 0.2, metavar="FRACTION"),
             playground=Name("test_ratio", 0.5, label="Test data", limit=Interval(Real, 0.05, 0.95))),
    # --- how a table is read ----------------------------------------------------------------------
    _setting("separator", AnyOf(Text("one character, or comma, semicolon, tab, pipe or space"), NONE),
             "The separator of a text table: one character, or comma, semicolon, tab, pipe, space.",
             cli=Name("--sep", None, metavar="CHAR", default_text="sniffed among , ; tab |; a .tsv file: tab")),
    _setting("encoding", AnyOf(Text("an encoding's name"), NONE),
             "The file's text encoding, such as latin-1 or cp1252.",
             cli=Name("--encoding", None, metavar="NAME", default_text="utf-8")),
    # --- the playground's data -------------------------------------------------------------------
    _setting("data set", Text("a data set's name"), "The data set: a generated 2-D set, a bundled table, "
             "'file' for the table given on the command line, or 'upload' for the page's own upload.",
             playground=Name("dataset", "circle", label="Data set")),
    _setting("upload", AnyOf(Text("an upload's id"), NONE),
             "The page's uploaded table, by the id the server gave it (with the data set 'upload').",
             playground=Name("upload", None, label="Data set")),
    _setting("noise", Interval(Real, 0, 0.5), "Noise of a generated set.", playground=Name("noise", 0.0, label="Noise")),
    _setting("points", Interval(Integral, 10, 100_000), "Rows of a generated set.", playground=Name("points", 500, label="Points")),
    _setting("feature x", Interval(Integral, 0, 10**6), "The input drawn across.", playground=Name("feature_x", 0, label="Plot across")),
    _setting("feature y", Interval(Integral, 0, 10**6), "The input drawn up.", playground=Name("feature_y", 1, label="Plot across ... and")),
)
