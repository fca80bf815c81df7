"""The glassnet playground: TensorFlow Playground on your own data, live on
the real engine.

``glassnet playground [DATA.csv]`` or :func:`serve` starts a local server
and opens its page: pick a data set (or upload a CSV), shape the network,
press play and watch every neuron learn; click a point to trace it. The
browser never trains: Python does, with :class:`~glassnet.NeuralNetwork`
(see :mod:`.session`); the page draws frames of typed arrays (see
:mod:`.frames`). :mod:`.app` is the Starlette app, :mod:`.security` its
locks, :mod:`.server` the uvicorn server and its URL.
"""

from .server import serve

__all__ = ["serve"]
