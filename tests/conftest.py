import matplotlib
import pytest

# tests never need a display
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _forget_kernel_choice():
    """A test (or an example of the README or of the docs) that chooses a kernel path does not
    choose it for the tests after it."""
    yield
    from glassnet import kernels

    kernels.reset()
