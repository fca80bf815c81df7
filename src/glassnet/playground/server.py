"""Starting the playground: bind, print the URL with its token, serve with uvicorn."""

from __future__ import annotations

import socket
import sys
import webbrowser

__all__ = ["serve", "DEFAULT_PORT", "LOOPBACK"]

DEFAULT_PORT = 8765
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# uvicorn waits this long for open pages before it closes them, so Ctrl-C
# stops the server within 2 seconds even with a page connected
_SHUTDOWN_SECONDS = 0.5


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{port} ({error.strerror}); choose another --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(data=None, *, target: str | None = None, dataset: str | None = None, host: str = "127.0.0.1",
          port: int | None = None, open_browser: bool = True, max_upload_mb: float = 50, out=None) -> None:
    """Run the playground until Ctrl-C.

    data : path of a CSV file to start with (its target: ``target``, default
        the last column); dataset : else a data set to start with (circle,
        xor, ..., iris, ...); host : 127.0.0.1 unless you mean to share it
        (anything else prints a warning); port : default 8765, or the next
        free one (0: any free port); max_upload_mb : the largest upload.
    Prints the URL, with this start's token, to ``out`` (default stdout).
    """
    out = out or sys.stdout
    if not (0 < max_upload_mb < float("inf")):
        raise ValueError(f"max_upload_mb must be a positive number, got {max_upload_mb!r}")
    if dataset is not None:
        from .datasets import DATASET_NAMES

        if dataset not in DATASET_NAMES:
            raise ValueError(f"unknown data set {dataset!r}; expected one of: {', '.join(DATASET_NAMES)}")
    table = None
    if data is not None:
        from ..tabular.reading import read_table

        frame = read_table(data)
        if target is not None and target not in frame.columns:
            raise ValueError(f"{str(data)!r} has no column {target!r}; it has: {', '.join(map(repr, frame.columns))}")
        table = (frame, str(data))
    if port is None:
        sock = None
        for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 20):
            try:
                sock = _bind(host, candidate)
                break
            except ValueError:
                continue
        if sock is None:
            sock = _bind(host, 0)
    else:
        sock = _bind(host, port)
    try:
        _run(sock, host, open_browser, out, max_upload_mb, table, dataset, target)
    finally:
        sock.close()


def _run(sock, host, open_browser, out, max_upload_mb, table, dataset, target) -> None:
    from .security import allowed_hosts, new_token

    bound_port = sock.getsockname()[1]
    token = new_token()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{bound_port}/?token={token}"
    if host not in LOOPBACK:
        print(f"warning: listening on {host}, so other machines can reach the playground; "
              "anyone with the URL below can use it", file=sys.stderr, flush=True)
    print(f"glassnet playground: {url}", file=out, flush=True)
    print("press Ctrl-C to stop", file=out, flush=True)
    # the socket already listens: a browser opened now waits in its queue while the rest imports
    if open_browser:
        webbrowser.open(url)
    import uvicorn
    from threadpoolctl import threadpool_limits

    from .app import create_app
    from .caught import log_in_words

    # what Python would print as a warning (file, line, class) is logged as words
    log_in_words()

    # one BLAS thread: the playground's products are small, and on a busy
    # machine OpenBLAS's threads waiting for each other made a frame's
    # 9216×8 by 8×8 product fifty times slower than one thread alone
    threadpool_limits(1)

    app = create_app(token, allowed_hosts(host, bound_port), max_upload_bytes=int(max_upload_mb * 2**20),
                     table=table, dataset=dataset, target=target)
    config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio", ws_per_message_deflate=False,
                            timeout_graceful_shutdown=_SHUTDOWN_SECONDS, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
