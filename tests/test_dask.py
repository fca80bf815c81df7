"""glassnet on a real Dask cluster: a LocalCluster of two worker processes,
running the three recipes of docs/beyond-one-machine.md.

* dask-ml's ``Incremental`` trains an MLPClassifier with ``partial_fit`` over
  a Dask array's blocks on the workers: the same weights, bit for bit, as
  ``partial_fit`` over the same blocks here, and one history record per block;
* a grid search whose fits run on the workers (joblib's Dask backend) finds
  the scores of the same search run here;
* ``map_partitions`` predicts a Dask DataFrame block by block with a model
  file loaded on each worker, as ``TabularModel.predict`` does on the whole table.

Under CI=true a missing ``distributed`` or ``dask-ml`` fails these tests
(the test extra installs both); elsewhere they are skipped.
"""

import functools
import logging
import os
import pickle
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

try:
    import dask.array as da
    import dask.dataframe as dd
    import joblib
    from dask_ml.wrappers import Incremental
    from distributed import Client, LocalCluster, get_task_stream
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the Dask recipes need distributed and dask-ml: pip install -e '.[test]'", allow_module_level=True)

import cloudpickle
from sklearn.model_selection import GridSearchCV

import glassnet
from cli_helpers import FRUIT
from glassnet.tabular.fitting import Options, fit_table
from glassnet.tabular.reading import read_table

# the workers import this module's functions by value: they do not have tests/ on their path
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def client():
    # two worker processes of one thread: a cluster, small enough for CI; closed (and its processes ended) after
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster, timeout="60s") as client:
        client.wait_for_workers(2, timeout=60)
        yield client


def _data(n=6000, features=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    y = (X[:, 0] + 0.5 * X[:, 1] - X[:, 2] > 0).astype(int)
    return X, y


def _workers(client) -> set:
    return set(client.scheduler_info()["workers"])


def test_incremental_trains_over_the_blocks_on_the_workers_as_partial_fit_does_here(client):
    X, y = _data()
    blocks = 6
    dX, dy = da.from_array(X, chunks=(len(X) // blocks, X.shape[1])), da.from_array(y, chunks=len(y) // blocks)
    settings = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0)
    with get_task_stream(client) as tasks:
        # shuffle_blocks=False: the blocks in order, so that the run can be repeated here
        model = Incremental(glassnet.MLPClassifier(**settings), shuffle_blocks=False).fit(dX, dy, classes=[0, 1])
    trained = model.estimator_
    here = glassnet.MLPClassifier(**settings)
    for block in np.array_split(np.arange(len(X)), blocks):
        here.partial_fit(X[block], y[block], classes=[0, 1])
    np.testing.assert_array_equal(trained.network_.params, here.network_.params)
    # one history record per block: the progress of the run, block by block
    assert len(trained.loss_curve_) == blocks and trained.t_ == len(X)
    assert trained.loss_curve_ == here.loss_curve_
    # dask-ml chains one task per block ("fit-...", i), each a partial_fit on a worker of the cluster
    fits = [task for task in tasks.data if isinstance(task["key"], tuple) and str(task["key"][0]).startswith("fit-")
            and task["key"][-1] >= 0]
    assert len(fits) == blocks and {task["worker"] for task in fits} <= _workers(client)
    assert model.score(dX, dy) > 0.9


def test_incremental_takes_a_dask_dataframe_too(client):
    X, y = _data(n=3000, seed=1)
    frame = dd.from_pandas(pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])]), npartitions=3)
    target = dd.from_pandas(pd.Series(y, name="y"), npartitions=3)
    model = Incremental(glassnet.MLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.01, random_state=0),
                        shuffle_blocks=False)
    model.fit(frame.to_dask_array(lengths=True), target.to_dask_array(lengths=True), classes=[0, 1])
    assert len(model.estimator_.loss_curve_) == 3 and model.estimator_.t_ == 3000


def _accuracy_noting_the_process(folder: str):
    """A scorer that notes the process each fit's score is computed in (one file per call, in a folder the
    workers share with the test), then scores as GridSearchCV would."""
    def score(estimator, X, y):
        (Path(folder) / f"{os.getpid()}-{time.monotonic_ns()}").touch()
        return estimator.score(X, y)

    return score


def test_a_grid_search_runs_its_fits_on_the_workers_with_the_scores_of_a_search_here(client, tmp_path):
    X, y = _data(n=1200, seed=2)
    grid = {"hidden_layer_sizes": [(4,), (12,)], "alpha": [1e-4, 1e-1]}

    def search(scoring=None):
        return GridSearchCV(glassnet.MLPClassifier(max_iter=15, learning_rate_init=0.01, random_state=0), grid,
                            cv=2, n_jobs=-1, scoring=scoring)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 15 epochs do not converge
        with joblib.parallel_backend("dask"):
            distributed = search(_accuracy_noting_the_process(str(tmp_path))).fit(X, y)
        here = GridSearchCV(search().estimator, grid, cv=2, n_jobs=1).fit(X, y)
    # 4 candidates × 2 folds: each fit scored once, in a worker process of the cluster (never in this one)
    processes = [int(path.name.split("-")[0]) for path in tmp_path.iterdir()]
    workers = set(client.run(os.getpid).values())
    assert len(processes) == 8 and set(processes) <= workers and os.getpid() not in processes
    np.testing.assert_array_equal(distributed.cv_results_["mean_test_score"], here.cv_results_["mean_test_score"])
    assert distributed.best_params_ == here.best_params_


@functools.cache
def _model(path: str):
    return glassnet.load(path)


def _predict_block(block: pd.DataFrame, path: str) -> pd.Series:
    """The recipe's function: each worker loads the model file once and predicts its blocks."""
    return pd.Series(_model(path).predict(block), index=block.index, name="predicted")


def test_map_partitions_predicts_block_by_block_with_a_loaded_model_file(client, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, _, _ = fit_table(read_table(FRUIT), Options(target="fruit", epochs=30), repr(str(FRUIT)))
    path = str(tmp_path / "fruit.glassnet")
    glassnet.save(model, path)
    # a file's blocks of a few hundred bytes: several partitions; dtype=str reads cells as text, empty ones as NA
    frame = dd.read_csv(str(FRUIT), dtype=str, blocksize=800)
    assert frame.npartitions > 1
    predicted = frame.map_partitions(_predict_block, path, meta=("predicted", "object")).compute()
    whole = read_table(FRUIT)
    np.testing.assert_array_equal(predicted.to_numpy().astype(str), model.predict(whole))


def test_estimators_pickle_without_their_training_data_and_read_array_blocks_without_a_copy():
    X, y = _data(n=50_000, features=40, seed=3)
    model = glassnet.MLPClassifier(hidden_layer_sizes=(16,), random_state=0)
    model.partial_fit(X[:500], y[:500], classes=[0, 1])
    tracemalloc.start()
    try:
        model.partial_fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # a copy of the block would be X.nbytes (15 MiB); the step's own buffers are a fraction of it
    assert peak < X.nbytes / 2
    data = pickle.dumps(model)
    # the weights, the optimiser's moments and the history: nothing of the rows trained on
    assert len(data) < 20 * model.network_.params.nbytes + 20_000
    np.testing.assert_array_equal(pickle.loads(data).predict_proba(X[:100]), model.predict_proba(X[:100]))
