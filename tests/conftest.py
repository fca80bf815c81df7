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


# --- the browser tests' shared fixtures (pytest-playwright's, on the system's chromium) ----------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system chromium: ``playwright install`` cannot download browsers here."""
    from playground_helpers import chromium_or_skip

    return {**browser_type_launch_args, "executable_path": chromium_or_skip()}


@pytest.fixture(scope="module")
def server():
    """A real ``glassnet playground`` server for a module's tests, stopped with Ctrl-C (exit 0)."""
    from playground_helpers import Server

    running = Server()
    yield running
    assert running.stop() == 0


@pytest.fixture
def app(page, server):
    """The playground's page, loaded and holding its first frame; no script error on it by the test's end."""
    from playground_helpers import wait_for_frame

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server.url)
    wait_for_frame(page)
    yield page
    assert errors == []
