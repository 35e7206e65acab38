"""Plotly figures to PNG with kaleido, which drives Debian's Chromium (/usr/bin/chromium, found on
PATH; nothing is downloaded). Starting Chromium takes seconds, each picture then ~0.1–0.3 s, so
a batch of pictures shares one browser: `with batch(): png(...); png(...)`.
"""
from __future__ import annotations

import contextlib
import threading
import warnings

import kaleido
import plotly.io as pio

_LOCK = threading.RLock()   # one browser per process at a time; the dashboard serves many users
_depth = 0


@contextlib.contextmanager
def batch():
    """One Chromium for every png() inside (nested batches share it)."""
    global _depth
    with _LOCK:
        if _depth == 0:
            kaleido.start_sync_server(silence_warnings=True)
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                kaleido.stop_sync_server(silence_warnings=True)


def png(figure, width: int, height: int, scale: float = 2.0) -> bytes:
    """The figure as PNG bytes, `width` × `height` CSS pixels at `scale` (2: sharp in print)."""
    with batch(), warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "kopts is ignored if using a server": expected
        return pio.to_image(figure, format="png", width=int(width), height=int(height), scale=scale)
