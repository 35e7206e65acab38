"""The server's long-lived heap and Python's garbage collector.

Streamlit runs a full collection (gc.collect(2)) after every script run (runner.postScriptGC), on
the script thread, before the run's last messages reach the browser. With Streamlit, pandas,
pyarrow, DuckDB and the dashboard's own modules loaded that is a walk over ~120k long-lived
objects: 30–60 ms added to every rerun — every filter change — for objects that live as long as
the process (measured on the bench machine, bench/NOTES.md).

`freeze_new_modules()`, called at the start of each script run, moves the objects alive when new
modules have been imported since the last call (modules, classes, functions, the first sessions'
state) into the permanent generation (gc.freeze): never walked again, so the collection after a run
only walks what runs create. Reference counting still frees frozen objects that are no longer
used; only a reference cycle among objects frozen at such a moment would stay in memory. A
process imports new modules a few times (the first runs of each page), so it freezes a few times.
"""
from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_at_freeze = 0


def freeze_new_modules() -> bool:
    """gc.freeze() if modules were imported since the last freeze; True when it froze."""
    global _modules_at_freeze
    if len(sys.modules) <= _modules_at_freeze:
        return False
    with _lock:
        if len(sys.modules) <= _modules_at_freeze:
            return False
        gc.collect()          # today's garbage is not frozen
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
    return True
