"""The warehouse file: where it lives, how readers open it, how writers replace it.

Design (docs/concurrency.md): a load never writes the live file. It copies the live file to a
temporary file beside it, loads into the copy in one transaction, checkpoints, closes, and
swaps the copy in with os.replace (atomic on POSIX). Readers hold read-only connections to the
file they opened; they notice a new version by the file's identity (inode + mtime) and reopen.
So a reader sees the old state or the new one, never a half-loaded one, and DuckDB's
single-writer file lock is never contended by the dashboard.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "data" / "reference"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"

CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The warehouse path: explicit argument, else $WAREHOUSE_DB, else data/warehouse.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("WAREHOUSE_DB")
    return Path(env) if env else DEFAULT_DB


def file_version(path: Path) -> tuple[int, int] | None:
    """Identity of the file now at `path`; changes whenever a load swaps a new file in."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def connect_read(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at `path`.

    Not `duckdb.connect(path, read_only=True)`: DuckDB keeps one database instance per path in a
    process, so while any connection to the path is open a new connect() returns the OLD file even
    after a load replaced it. An in-memory database that ATTACHes the file opens the file itself.
    """
    con = duckdb.connect(":memory:", config=CONFIG)
    literal = "'" + str(db_path(path)).replace("'", "''") + "'"
    con.execute(f"ATTACH {literal} AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con


class Reader:
    """A read-only connection that reopens when the warehouse file is replaced.

    One per process is enough: `cursor()` gives each thread its own cursor on the shared
    connection (DuckDB connections are not safe to share across threads, cursors are).
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = db_path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version: tuple[int, int] | None = None

    @property
    def version(self) -> tuple[int, int] | None:
        return file_version(self.path)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            current = file_version(self.path)
            if current is None:
                raise FileNotFoundError(str(self.path))
            if self._con is None or current != self._version:
                # Old cursors keep the old connection (and the old file) alive until they finish.
                self._con = connect_read(self.path)
                self._version = current
            cur = self._con.cursor()
            cur.execute("USE wh")  # a cursor starts in the in-memory catalog
            return cur


class NothingToWrite(Exception):
    """Raised inside `writer()` to leave the live warehouse untouched (nothing changed)."""


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def writer(path: str | os.PathLike | None = None):
    """Yield a read-write connection to a private copy of the warehouse; swap it in on success.

    Writers are serialised by an flock on a lock file beside the warehouse. On any exception the
    copy is deleted and the live file is untouched.
    """
    live = db_path(path)
    live.parent.mkdir(parents=True, exist_ok=True)
    tmp = live.with_name(f".{live.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(_lock_path(live), "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        _remove_stale_copies(live)
        try:
            if live.exists():
                shutil.copyfile(live, tmp)
            con = duckdb.connect(str(tmp), config=CONFIG)
            try:
                # DuckDB's own bar would print on a pipe; etl.progress knows when to stay quiet.
                con.execute("SET enable_progress_bar = false")
                ensure_schema(con)
                yield con
                con.execute("CHECKPOINT")
            except NothingToWrite:
                return
            finally:
                con.close()
            os.replace(tmp, live)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(tmp) + ".wal")


def _remove_stale_copies(live: Path) -> None:
    """Copies left by a writer that crashed (we hold the lock, so no writer is running)."""
    for p in live.parent.glob(f".{live.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    _drop_dossiers_primary_key(con)


def _drop_dossiers_primary_key(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses written before the load kept dossier_id unique itself have a PRIMARY KEY index on
    dossiers: rebuild the table without it, once (in the writer's private copy, so readers never see
    the change half done)."""
    keyed = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'dossiers' "
                        "AND constraint_type = 'PRIMARY KEY' AND database_name = current_database()").fetchall()[0][0]
    if not keyed:
        return
    ddl = SCHEMA_SQL.read_text(encoding="utf-8")
    start = ddl.index("CREATE TABLE IF NOT EXISTS dossiers (")
    create = ddl[start:ddl.index(");", start) + 2].replace("IF NOT EXISTS dossiers", "dossiers_unkeyed")
    con.execute("BEGIN")
    con.execute(create)
    con.execute("INSERT INTO dossiers_unkeyed SELECT * FROM dossiers")
    con.execute("DROP TABLE dossiers")
    con.execute("ALTER TABLE dossiers_unkeyed RENAME TO dossiers")
    con.execute("COMMIT")
