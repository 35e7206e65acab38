"""The audit trail: who signed in, loaded a file, downloaded a table, and when.

A separate SQLite file (stdlib sqlite3, WAL mode), not the DuckDB warehouse: every load replaces
the warehouse file with a new copy (etl.warehouse.writer), and the trail must outlive that; WAL
lets the dashboard's many sessions append while others read. Default path: `audit.sqlite` beside
the warehouse (data/audit.sqlite), or $AUDIT_DB.

Failed sign-ins are recorded here too, and the sign-in throttle (access.throttle) reads them
back: the slow-down holds across browser sessions and server restarts, which a per-session
counter would not. No streamlit import: the dashboard, the CLI and the tests share this module.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from etl.warehouse import db_path  # the trail lives beside the warehouse

# Event names (stable: they are stored).
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_REFUSED = "sign_in_throttled"   # attempt refused without checking the password
SIGN_OUT = "sign_out"
SESSION_REJECTED = "session_rejected"   # a session cookie whose signature does not hold (tampered)
SESSION_EXPIRED = "session_expired"     # a session cookie older than its lifetime
SESSION_REVOKED = "session_revoked"     # account removed, or its password / role changed since
UPLOAD = "upload"                       # files received and previewed (nothing written)
LOAD = "load"                           # a load committed (or attempted) from the data page
LOAD_CANCELLED = "load_cancelled"
DOWNLOAD = "download"                   # a CSV extract or a batch's rejects

EVENT_LABELS = {
    SIGN_IN: "Đăng nhập", SIGN_IN_FAILED: "Đăng nhập sai", SIGN_IN_REFUSED: "Đăng nhập bị tạm chặn",
    SIGN_OUT: "Đăng xuất", SESSION_REJECTED: "Phiên đăng nhập bị sửa đổi",
    SESSION_EXPIRED: "Phiên đăng nhập hết hạn", SESSION_REVOKED: "Phiên đăng nhập bị thu hồi", UPLOAD: "Tải tệp lên (xem trước)", LOAD: "Nạp dữ liệu",
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


def connect(path: Path) -> sqlite3.Connection:
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


def local_now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def record(event: str, username: str | None, target: str | None = None, detail: dict | None = None,
           *, path: str | os.PathLike | None = None, at: dt.datetime | None = None) -> None:
    """Append one event. Parameterised SQL only: usernames and file names are user input."""
    con = connect(audit_path(path))
    try:
        con.execute(
            "INSERT INTO audit_events (at, username, event, target, detail) VALUES (?, ?, ?, ?, ?)",
            [(at or local_now()).isoformat(sep=" "), username, event, target,
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
    con = connect(p)
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


def normalise_username(username: str) -> str:
    """User names are compared in lower case, without surrounding spaces."""
    return (username or "").strip().lower()


def tracked_download(data, username: str | None, target: str, detail: dict | None = None,
                     *, path: str | os.PathLike | None = None):
    """A callable for st.download_button(data=...): Streamlit calls it when the button is
    clicked, so the download is recorded when it happens, not when the page is drawn."""
    def produce():
        payload = data() if callable(data) else data
        record(DOWNLOAD, username, target, {**(detail or {}), "bytes": len(payload)}, path=path)
        return payload
    return produce
