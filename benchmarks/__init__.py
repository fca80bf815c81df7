"""glassnet's benchmark: the same training work on glassnet and its peers.

    python -m benchmarks                 # full sizes, 5 interleaved repeats
    python -m benchmarks --quick         # tiny sizes: a smoke test
    python -m benchmarks --json results.json --plot results.png

    python -m benchmarks --workloads inputs   # a DataFrame and a Fortran array against an ndarray
    python -m benchmarks --workloads tabular  # cross-validated scores on 9 real tables (docs/guides/performance.md)

Modules: :mod:`.workloads` (the work: data, architecture, optimiser, epochs),
:mod:`.systems` (who does it: glassnet, the article's bare NumPy loop,
scikit-learn, PyTorch when installed), :mod:`.measure` (time, peak memory,
the machine's GEMM rate), :mod:`.report` (table, JSON, bar chart),
:mod:`.tabular` (the tabular benchmark: real tables, 5-fold cross-validation).
"""
