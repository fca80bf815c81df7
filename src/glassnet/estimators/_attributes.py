"""The estimators' fitted attributes, described once: scikit-learn's, then
glassnet's. The classes' "Attributes" docstring sections come from here
(see :mod:`glassnet._docstring`); ``tests/test_docs.py`` checks that a
fitted estimator has every one."""

from __future__ import annotations

from .._docstring import Entry

__all__ = ["ATTRIBUTES", "attribute_entries"]

# (name, type, meaning, "classifier"/"regressor"/None for both)
ATTRIBUTES = (
    ("classes_", "ndarray or list of ndarray of shape (n_classes,)", "Class labels, in the order of "
     "predict_proba's columns.", "classifier"),
    ("loss_", "float", "The loss of the last recorded epoch (lbfgs: iteration), read from the history "
     "(glassnet: the function trained on; see the regressor's note on several outputs).", None),
    ("best_loss_", "float or None", "Lowest training loss; None with early_stopping, as in scikit-learn.", None),
    ("loss_curve_", "list of float", "Training loss per epoch (lbfgs: per iteration), across warm starts.", None),
    ("validation_scores_", "list of float or None", "Validation score (accuracy, R²) per epoch when "
     "validation data is used, else None.", None),
    ("best_validation_score_", "float or None", "Best of validation_scores_.", None),
    ("t_", "int", "Training samples seen by the solver (sgd/adam steps × batch rows).", None),
    ("coefs_", "list of ndarray of shape (n_units_l, n_units_l+1)", "Weight matrices, views into the "
     "engine's flat parameter vector.", None),
    ("intercepts_", "list of ndarray of shape (n_units_l+1,)", "Bias vectors, views into the engine's flat "
     "parameter vector.", None),
    ("n_features_in_", "int", "Number of features seen during fit.", None),
    ("feature_names_in_", "ndarray of shape (n_features_in_,)", "Column names seen during fit, when X "
     "had string column names.", None),
    ("n_iter_", "int", "Epochs (lbfgs: iterations) run by the last fit or partial_fit call, as "
     "scikit-learn counts them; read from the history.", None),
    ("n_layers_", "int", "Layers, input and output included.", None),
    ("n_outputs_", "int", "Output units.", None),
    ("out_activation_", "str", "The output activation: 'logistic', 'softmax', 'identity' or 'exp'.", None),
    ("network_", "glassnet.Network", "glassnet: the engine, whose flat parameter vector coefs_ and "
     "intercepts_ are views of.", None),
    ("validation_loss_curve_", "list of float or None", "glassnet: validation loss per epoch when "
     "validation data is used, else None.", None),
    ("learning_rate_curve_", "list of float or None", "glassnet: the learning rate used in each epoch (the "
     "schedule and warm-up applied to learning_rate_init), across warm starts; None for lbfgs.", None),
    ("training_range_", "ndarray of shape (2, n_features_in_)", "glassnet: per-feature lows, then highs, of "
     "the rows trained on; predict warns once per fitted model beyond them (see extrapolation).", None),
)


def attribute_entries(regressor: bool) -> list[Entry]:
    own = "regressor" if regressor else "classifier"
    return [Entry(name, type_, doc) for name, type_, doc, only in ATTRIBUTES if only in (None, own)]
