"""glassnet in a notebook: the playground as a widget on your own model.

:func:`widget` puts the playground's view under a cell (JupyterLab,
Notebook 7, VS Code, Colab: anywidget, ``pip install "glassnet[notebook]"``)::

    w = glassnet.widget(dataset="circle")             # a playground data set
    w = glassnet.widget(model=nn, X=X, y=y)           # your NeuralNetwork (or estimator) on your arrays
    w = glassnet.widget(data=frame, target="price")   # your DataFrame, through glassnet train's pipeline

Play, Pause, Step and Reset; the epoch, the training and test loss and
their curves; the network with each neuron's picture; the decision
boundary (or regression surface); a click on a point shows its trace. The
view is drawn by the playground page's own modules.

Python and the view share one model: training runs in a background thread
of the kernel, and ``w.model`` is the model being trained. After Pause it
holds every epoch the view shows (``w.model.error_list``,
``w.model.history``), and training on in a cell continues the same run:
``w.model.train(w.X, w.y, m)`` after ``k`` epochs in the widget gives the
weights of ``k + m`` epochs at once, bit for bit. ``w.close()`` stops the
thread.

Importing glassnet loads none of this: the widget's modules (anywidget,
IPython, the playground) load when :func:`widget` is first called.
"""

from __future__ import annotations

__all__ = ["widget"]

_FOR_OWN_MODEL = ("feature_x", "feature_y")


def widget(dataset: str | None = None, *, model=None, X=None, y=None, X_test=None, y_test=None, data=None,
           target: str | None = None, **settings):
    """The playground as a widget under the cell; returns it (display it by
    leaving it last in the cell).

    Give one source of data:

    dataset : str, default "circle"
        A playground data set (circle, xor, gauss, spiral, moons, blobs,
        plane, gauss_regression, or a table ``glassnet train --dataset``
        knows). The widget builds a :class:`~glassnet.NeuralNetwork` from
        ``settings``, the playground's settings with their names and
        defaults (``hidden=[4, 2]``, ``activations``, ``learning_rate``,
        ``optimizer``, ``loss``, ``batch_size``, ``l2``, ``seed``,
        ``noise``, ``points``, ``test_ratio``, ``feature_x``, ``feature_y``,
        ``record_stats``), checked by glassnet's one parameter table.
    model, X, y : your model and its training data
        A :class:`~glassnet.NeuralNetwork` trained with ``train`` on data
        bound once, or a glassnet estimator (sgd or adam) trained with
        ``partial_fit``, one call per epoch (an unfitted one gets its first
        epoch at once, which gives its network a shape). ``X_test`` and
        ``y_test`` (optional) give the test loss. Reset puts the model back
        as it was given. Only ``feature_x`` and ``feature_y`` (the inputs
        plotted) are settings here: the model keeps its own.
    data, target : a pandas DataFrame and the column to predict (default:
        the last), prepared by ``glassnet train``'s pipeline as the same
        table uploaded to the playground would be; ``settings`` as for a
        data set.
    """
    try:
        from .view import PlaygroundWidget
    except ImportError as error:
        raise ImportError(f'glassnet.widget needs anywidget: pip install "glassnet[notebook]" ({error})') from None
    given = [name for name, value in (("dataset", dataset), ("model", model), ("data", data)) if value is not None]
    if len(given) > 1:
        raise ValueError(f"give one source of data: dataset, model (with X and y) or data, got {' and '.join(given)}")
    if model is not None:
        if X is None or y is None:
            raise ValueError("model needs X and y: the rows to train it on and their targets")
        unknown = sorted(set(settings) - set(_FOR_OWN_MODEL))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: settings of a network the widget builds; your model keeps its "
                             f"own; expected only {' and '.join(_FOR_OWN_MODEL)}")
        from .arrays import ModelRun

        run = ModelRun(model, X, y, X_test, y_test, **settings)
    else:
        for name, value in (("X", X), ("y", y), ("X_test", X_test), ("y_test", y_test)):
            if value is not None:
                raise ValueError(f"{name} goes with model=: the data of a model of your own")
        from .tables import TableRun

        if data is not None:
            if not hasattr(data, "columns") or not hasattr(data, "iloc"):
                raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
            run = TableRun({**settings, "target": target}, frame=data)
        else:
            if target is not None:
                settings["target"] = target
            run = TableRun({**settings, "dataset": dataset or "circle"})
    return PlaygroundWidget(run)
