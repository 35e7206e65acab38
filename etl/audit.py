"""The audit trail: who signed in, loaded a file, downloaded a table, and when.

A separate SQLite file (stdlib sqlite3, WAL mode), not the DuckDB warehouse: every load replaces
the warehouse file with a new copy (etl.warehouse.writer), and the trail must outlive that; WAL
lets the dashboard's many sessions append while others read. Default path: `audit.sqlite` beside
the warehouse (data/audit.sqlite), or $AUDIT_DB.

Failed sign-ins are recorded here too, and the sign-in throttle reads them back: the slow-down
holds across browser sessions and server restarts, which a per-session counter would not.
No streamlit import: the dashboard, the CLI and the tests share this module.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .warehouse import db_path

# Event names (stable: they are stored).
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_REFUSED = "sign_in_throttled"   # attempt refused without checking the password
SIGN_OUT = "sign_out"
UPLOAD = "upload"                       # files received and previewed (nothing written)
LOAD = "load"                           # a load committed (or attempted) from the data page
LOAD_CANCELLED = "load_cancelled"
DOWNLOAD = "download"                   # a CSV extract or a batch's rejects

EVENT_LABELS = {
    SIGN_IN: "Đăng nhập", SIGN_IN_FAILED: "Đăng nhập sai", SIGN_IN_REFUSED: "Đăng nhập bị tạm chặn",
    SIGN_OUT: "Đăng xuất", UPLOAD: "Tải tệp lên (xem trước)", LOAD: "Nạp dữ liệu",
    LOAD_CANCELLED: "Hủy nạp", DOWNLOAD: "Tải xuống",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,   -- local time, ISO 8601 with seconds
    username  TEXT,               -- as typed for a failed sign-in (may not exist)
    event     TEXT    NOT NULL,
    target    TEXT,               -- file name, table slug, ...
    detail    TEXT                -- JSON object
);
CREATE INDEX IF NOT EXISTS audit_events_user_event_at ON audit_events (username, event, at);
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);
"""

_init_lock = threading.Lock()
_initialised: set[str] = set()


def audit_path(path: str | os.PathLike | None = None) -> Path:
    """Explicit argument, else $AUDIT_DB, else audit.sqlite beside the warehouse."""
    if path:
        return Path(path)
    env = os.environ.get("AUDIT_DB")
    return Path(env) if env else db_path().parent / "audit.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=10, isolation_level=None)  # autocommit; BEGIN when needed
    con.execute("PRAGMA busy_timeout = 10000")
    key = str(path.resolve())
    if key not in _initialised:
        with _init_lock:
            con.execute("PRAGMA journal_mode = WAL")
            con.executescript(_SCHEMA)
            _initialised.add(key)
    return con


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def record(event: str, username: str | None, target: str | None = None, detail: dict | None = None,
           *, path: str | os.PathLike | None = None, at: dt.datetime | None = None) -> None:
    """Append one event. Parameterised SQL only: usernames and file names are user input."""
    con = _connect(audit_path(path))
    try:
        con.execute(
            "INSERT INTO audit_events (at, username, event, target, detail) VALUES (?, ?, ?, ?, ?)",
            [(at or _now()).isoformat(sep=" "), username, event, target,
             json.dumps(detail, ensure_ascii=False, default=str) if detail else None],
        )
    finally:
        con.close()


@dataclass(frozen=True)
class Event:
    id: int
    at: dt.datetime
    username: str | None
    event: str
    target: str | None
    detail: dict

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)


def events(*, limit: int = 200, event: str | None = None, username: str | None = None,
           path: str | os.PathLike | None = None) -> list[Event]:
    """Latest events first."""
    p = audit_path(path)
    if not p.exists():
        return []
    con = _connect(p)
    try:
        rows = con.execute(
            "SELECT id, at, username, event, target, detail FROM audit_events "
            "WHERE (? IS NULL OR event = ?) AND (? IS NULL OR username = ?) "
            "ORDER BY id DESC LIMIT ?",
            [event, event, username, username, int(limit)],
        ).fetchall()
    finally:
        con.close()
    return [Event(i, dt.datetime.fromisoformat(a), u, e, t, json.loads(d) if d else {})
            for i, a, u, e, t, d in rows]


# -- sign-in throttle --------------------------------------------------------------------------

FREE_FAILURES = 3          # this many wrong passwords in a row cost nothing
BASE_DELAY_S = 2           # then 2, 4, 8, ... seconds before the next attempt is even checked
MAX_DELAY_S = 300          # at most 5 minutes
WINDOW = dt.timedelta(hours=1)


def _user_key(username: str) -> str:
    return (username or "").strip().lower()


def failures_since_success(username: str, *, path: str | os.PathLike | None = None,
                           now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
    """(wrong passwords since the last successful sign-in within WINDOW, time of the last one)."""
    p = audit_path(path)
    if not p.exists():
        return 0, None
    now = now or _now()
    since = (now - WINDOW).isoformat(sep=" ")
    con = _connect(p)
    try:
        last_ok = con.execute(
            "SELECT max(at) FROM audit_events WHERE username = ? AND event = ? AND at >= ?",
            [_user_key(username), SIGN_IN, since],
        ).fetchone()[0]
        n, last = con.execute(
            "SELECT count(*), max(at) FROM audit_events WHERE username = ? AND event = ? AND at >= ? AND at > ?",
            [_user_key(username), SIGN_IN_FAILED, since, last_ok or ""],
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
    now = now or _now()
    n, last = failures_since_success(username, path=path, now=now)
    wait = delay_after(n)
    if not wait or last is None:
        return 0
    left = (last + dt.timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(left + 0.999))


def normalise_username(username: str) -> str:
    return _user_key(username)


def tracked_download(data, username: str | None, target: str, detail: dict | None = None,
                     *, path: str | os.PathLike | None = None):
    """A callable for st.download_button(data=...): Streamlit calls it when the button is
    clicked, so the download is recorded when it happens, not when the page is drawn."""
    def produce():
        payload = data() if callable(data) else data
        record(DOWNLOAD, username, target, {**(detail or {}), "bytes": len(payload)}, path=path)
        return payload
    return produce
