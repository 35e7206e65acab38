"""The sign-in throttle: repeated wrong passwords for a user name slow the next attempts down.

Three wrong passwords in a row cost nothing; then the next attempt is not even checked for 2, 4,
8, ... seconds, at most 5 minutes, for one hour or until a successful sign-in. The failures are
read back from the audit trail, so the slow-down holds across browser sessions and restarts.
"""
from __future__ import annotations

import datetime as dt
import os

from . import audit
from .audit import normalise_username

FREE_FAILURES = 3          # this many wrong passwords in a row cost nothing
BASE_DELAY_S = 2           # then 2, 4, 8, ... seconds before the next attempt is even checked
MAX_DELAY_S = 300          # at most 5 minutes
WINDOW = dt.timedelta(hours=1)


def failures_since_success(username: str, *, path: str | os.PathLike | None = None,
                           now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
    """(wrong passwords since the last successful sign-in within WINDOW, time of the last one)."""
    p = audit.audit_path(path)
    if not p.exists():
        return 0, None
    now = now or audit.local_now()
    since = (now - WINDOW).isoformat(sep=" ")
    con = audit.connect(p)
    try:
        last_ok = con.execute(
            "SELECT max(at) FROM audit_events WHERE username = ? AND event = ? AND at >= ?",
            [normalise_username(username), audit.SIGN_IN, since],
        ).fetchone()[0]
        n, last = con.execute(
            "SELECT count(*), max(at) FROM audit_events WHERE username = ? AND event = ? AND at >= ? AND at > ?",
            [normalise_username(username), audit.SIGN_IN_FAILED, since, last_ok or ""],
        ).fetchone()
    finally:
        con.close()
    return n, dt.datetime.fromisoformat(last) if last else None


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` consecutive wrong passwords."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (failures - FREE_FAILURES))


def retry_after(username: str, *, path: str | os.PathLike | None = None,
                now: dt.datetime | None = None) -> int:
    """Seconds before a sign-in attempt for `username` will be checked (0 = now)."""
    now = now or audit.local_now()
    n, last = failures_since_success(username, path=path, now=now)
    wait = delay_after(n)
    if not wait or last is None:
        return 0
    left = (last + dt.timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(left + 0.999))
