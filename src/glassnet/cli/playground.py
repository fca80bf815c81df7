"""``glassnet playground``: the live page, on a local server until Ctrl-C."""

from __future__ import annotations


def run(args) -> int:
    from ..playground import serve

    from . import LEAVE_AT_ONCE

    try:
        serve(args.data, target=args.target, dataset=args.dataset, host=args.host, port=args.port,
              open_browser=not args.no_browser, max_upload_mb=args.max_upload_mb)
    except KeyboardInterrupt:
        pass
    # the server has stopped, its pages closed, and nothing was written: Ctrl-C ends it at once
    LEAVE_AT_ONCE.append(True)
    return 0
