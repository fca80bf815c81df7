"""Uploaded tables: each belongs to the page that sent it.

An upload gets an id that only its page learns (from the answer to its
POST), and the page names it in its settings and its link. A page holds at
most one upload, the one its data comes from; an upload no page holds is
kept for :data:`KEPT_SECONDS` more, so that a reload of its page (whose
link names it) finds it again, and then dropped: memory does not grow with
every file ever uploaded. The table given on the command line is not an
upload: it is every new page's starting point.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Upload", "Uploads", "KEPT_SECONDS", "MAX_UNHELD"]

# how long an upload no page holds stays (a reload of its page finds it again)
KEPT_SECONDS = 300.0
# at most this many uploads that no page holds are kept, the newest
MAX_UNHELD = 4


@dataclass
class Upload:
    id: str
    name: str
    frame: pd.DataFrame
    holders: set = field(default_factory=set)
    released: float = field(default_factory=time.monotonic)


class Uploads:
    """The uploads of every page, thread-safe (pages prepare data in threads)."""

    def __init__(self, kept_seconds: float = KEPT_SECONDS, max_unheld: int = MAX_UNHELD):
        self._uploads: dict[str, Upload] = {}
        self._lock = threading.Lock()
        self.kept_seconds = kept_seconds
        self.max_unheld = max_unheld

    def add(self, frame: pd.DataFrame, name: str) -> Upload:
        """Keep a table read from an upload; no page holds it yet."""
        upload = Upload(secrets.token_hex(8), name, frame)
        with self._lock:
            self._uploads[upload.id] = upload
            self._purge()
        return upload

    def get(self, upload_id) -> Upload | None:
        with self._lock:
            self._purge()
            return self._uploads.get(upload_id) if isinstance(upload_id, str) else None

    def hold(self, upload_id: str | None, holder) -> None:
        """``holder`` (a page's session) now uses ``upload_id`` (None: none), and
        no longer the upload it used before."""
        with self._lock:
            for upload in self._uploads.values():
                if holder in upload.holders and upload.id != upload_id:
                    upload.holders.discard(holder)
                    upload.released = time.monotonic()
            if upload_id in self._uploads:
                self._uploads[upload_id].holders.add(holder)
            self._purge()

    def release(self, holder) -> None:
        """``holder``'s page has closed."""
        self.hold(None, holder)

    def __len__(self) -> int:
        with self._lock:
            return len(self._uploads)

    def _purge(self) -> None:
        now = time.monotonic()
        unheld = sorted((upload for upload in self._uploads.values() if not upload.holders),
                        key=lambda upload: upload.released, reverse=True)
        for rank, upload in enumerate(unheld):
            if rank >= self.max_unheld or now - upload.released > self.kept_seconds:
                del self._uploads[upload.id]
