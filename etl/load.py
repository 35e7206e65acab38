"""Validate export files and load them into the warehouse, atomically and idempotently.

Flow for each file: open_source (format by content) -> detect_header (kind by headings) ->
the kind's stage (typed rows + rejects; etl/sources/) -> its write, in one transaction.
This module holds what every kind shares; what is particular to a kind is in etl/sources/.
All files of one call are loaded into a private copy of the warehouse (warehouse.writer), each in
its own transaction; the copy replaces the live file at the end. A file that cannot be read at all
changes nothing; a bad row goes to load_rejects and the rest of the file loads.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa

from . import registry
from .aggregates import refresh_aggregates
from .headers import HeaderMatch, detect_header, is_total_row
from .progress import Progress, silent
from .readers import BadFile, Source, cell_to_text, head_rows, open_decoded, open_source, xlsx_text_table
from .sources import BY_KIND, EXPECTED_HEADERS
# Shared with the source modules; re-exported for the callers that import them from here.
from .staging import FileReport, Reject, number_of, parse_dates_sql, table_from_arrow  # noqa: F401
from .staging import _TRIMMED as TRIMMED_CHARS
from .text import vn_int
from .warehouse import NothingToWrite, connect_read, db_path, ensure_schema, file_version, writer


# ---------------------------------------------------------------------------------------------
# Staging


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class NotUtf8(Exception):
    """DuckDB met bytes that are not UTF-8 while reading a CSV: read it again through open_decoded."""


# DuckDB's parallel CSV scanner: True, False, or "auto" = when a core is idle. On this project's
# 2 shared cores it saved 0.1–0.3 s wall per million rows when the second core was free, and
# nothing or a loss when other work held it, for ~0.3 s more CPU (bench/NOTES.md); the rows are
# the same either way.
CSV_PARALLEL: bool | str = "auto"
# "A core is idle" is measured over the work just before the read (the file's hash, the copy of
# the warehouse, the previous file's check and write), from /proc/stat and this process's own CPU
# time since the last mark (`mark_cpu`): the cores the OTHER processes kept busy. The parallel
# scanner is used when at least FREE_CORES_FOR_PARALLEL cores were left to us. (The 1-minute load
# average used before counted our own previous minute, e.g. the preview the Dữ liệu page runs
# just before the load, and chose the serial scanner on an idle machine.)
FREE_CORES_FOR_PARALLEL = 1.6
_MIN_WINDOW_TICKS = 10            # fewer clock ticks since the mark: too short to tell (load average)
_cpu_mark: tuple[int, int, float] | None = None


def _cpu_now() -> tuple[int, int, float] | None:
    """(busy, total) clock ticks of all cores since boot (/proc/stat) and this process's CPU
    seconds (all its threads); None where there is no /proc/stat."""
    try:
        with open("/proc/stat", "rb") as f:
            ticks = [int(v) for v in f.readline().split()[1:9]]   # user … steal
    except (OSError, ValueError):
        return None
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks), time.process_time()   # minus idle, iowait


def mark_cpu() -> None:
    """Start the window over which _parallel_csv measures the cores left to this process."""
    global _cpu_mark
    _cpu_mark = _cpu_now()


def free_cores_since_mark() -> float | None:
    """The cores not used by other processes, on average since mark_cpu() (and a new mark), or
    None when there is no mark or the window is too short to tell."""
    global _cpu_mark
    start, now = _cpu_mark, _cpu_now()
    if start is None or now is None or now[1] - start[1] < _MIN_WINDOW_TICKS:
        return None
    _cpu_mark = now
    cores = os.cpu_count() or 1
    seconds = (now[1] - start[1]) / cores / _TICKS_PER_SECOND
    others = max(0.0, (now[0] - start[0]) / _TICKS_PER_SECOND - (now[2] - start[2])) / seconds
    return max(0.0, cores - others)


_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _parallel_csv() -> bool:
    if CSV_PARALLEL != "auto":
        return bool(CSV_PARALLEL)
    free = free_cores_since_mark()
    if free is not None:
        return free >= FREE_CORES_FOR_PARALLEL
    try:
        return os.getloadavg()[0] <= (os.cpu_count() or 1) - 1
    except OSError:
        return False


class NeedsSerialRead(Exception):
    """DuckDB's parallel CSV scanner refused the file (a quoted line break with null_padding):
    read it again with the serial scanner, in a new transaction (the error aborts the current one)."""


def _drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the previous file's raw (a table, or a view over raw_cells) and raw_cells."""
    for name, kind in con.execute(
            "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name IN ('raw', 'raw_cells') "
            "UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = 'raw' "
            "ORDER BY 2 DESC").fetchall():
        con.execute(f"DROP {kind} {name}")


def _raw_table(con: duckdb.DuckDBPyConnection, src: Source, hm: HeaderMatch, width: int) -> tuple[str, str]:
    """Load the data rows (everything below the header) into TEMP TABLE raw(row_number, c0..cN)
    as text (or, for a UTF-8 CSV, a TEMP VIEW raw of that shape over TEMP TABLE raw_cells).
    row_number is the row a person sees in Excel, title rows counted. Returns the table that
    holds the rows and its row-number expression (for deleting rows)."""
    cols = [f"c{i}" for i in range(width)]
    _drop_raw(con)
    if src.format == "csv" and src.text is None:
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
        # Title lines above the header are skipped by count. The table keeps the file's order
        # (DuckDB preserves insertion order, the parallel scanner too), so the n-th row (the n-th
        # rowid) is the file's row data_start + n: no numbering pass, one table.
        serial = src.serial or not _parallel_csv()
        try:
            con.execute(
                f"""CREATE TEMP TABLE raw_cells AS SELECT *
                    FROM read_csv(?, delim = ?, header = false,
                    skip = ?, columns = {columns}, null_padding = true, quote = '"', escape = '"',
                    strict_mode = false, auto_detect = false, encoding = 'utf-8',
                    parallel = {'false' if serial else 'true'})""",
                [str(src.path), src.delimiter, hm.data_start],
            )
        except duckdb.Error as e:
            if "Invalid unicode" in str(e):  # not UTF-8 after all, further down than open_source looked
                raise NotUtf8 from e
            if not serial and "parallel scanner does not support" in str(e):
                raise NeedsSerialRead from e  # a quoted line break in a cell
            raise
        # (rowids of rows written inside a transaction start at a large base, not 0)
        base = con.execute("SELECT min(rowid) FROM raw_cells").fetchall()[0][0] or 0
        number = f"CAST(rowid - {int(base) - int(hm.data_start) - 1} AS INTEGER)"
        con.execute(f"CREATE TEMP VIEW raw AS SELECT {number} AS row_number, * FROM raw_cells")
        return "raw_cells", number
    if src.format == "xlsx":
        table, rows = xlsx_text_table(src)
        if table is not None:
            # Every cell already text (cell_to_text's), in Arrow: no per-cell Python.
            t = table.slice(hm.data_start)
            data = {"row_number": pa.array(range(src.first_row + hm.data_start,
                                                 src.first_row + hm.data_start + t.num_rows), pa.int32())}
            for i, c in enumerate(cols):
                data[c] = t.column(i) if i < t.num_columns else pa.nulls(t.num_rows, pa.string())
            table_from_arrow(con, "raw", pa.table(data))
            return "raw", "row_number"
        rows = rows[hm.data_start:]
    else:
        import csv as _csv
        import io as _io
        rows = list(_csv.reader(_io.StringIO(src.text), delimiter=src.delimiter))[hm.data_start:]
    data = {"row_number": pa.array(range(hm.data_start + 1, hm.data_start + 1 + len(rows)), pa.int32())}
    for i, c in enumerate(cols):
        # Text cells (most of them) pass as they are: the validators trim and treat '' as blank.
        data[c] = pa.array([(v if type(v) is str else cell_to_text(v)) if i < len(r) and (v := r[i]) is not None
                            else None for r in rows], pa.string())
    table_from_arrow(con, "raw", pa.table(data))
    return "raw", "row_number"


def _drop_blank_and_total_rows(con: duckdb.DuckDBPyConnection, width: int, table: str = "raw",
                               number: str = "row_number") -> None:
    cols = [f"c{i}" for i in range(width)]
    # A cell is blank when trim() leaves nothing; trim() copies every string, so it is asked only of
    # the cells that start with a character it removes (ord() is cheap): a cell starting otherwise
    # is not blank. AND stops at the first column that is not blank (STT, the id: the first one).
    blank = " AND ".join(f"({c} IS NULL OR {c} = '' OR (ord({c}) IN {TRIMMED_CHARS} AND trim({c}) = ''))" for c in cols)
    con.execute(f"DELETE FROM {table} WHERE {blank}")
    # Totals ("Tổng cộng") close the table; look only at the last rows.
    tail = con.execute(f"SELECT row_number, {', '.join(cols)} FROM raw ORDER BY row_number DESC LIMIT 5").fetchall()
    totals = [r[0] for r in tail if is_total_row(list(r[1:]))]
    if totals:
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, {number})", [totals])


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, sha256: str | None = None,
               progress: Progress = silent, source: Future | None = None) -> FileReport:
    """Read and validate one file into TEMP tables stg / stg_rejects on `con` (which must hold the
    reference tables). Writes nothing else. Raises BadFile for a file that cannot be loaded.
    Not inside a transaction: a CSV that is not UTF-8 further down is read again here.
    `source`: the file's read_ahead, when it was started earlier."""
    return _stage_reading_again(con, Path(path), sha256, progress, restart=lambda: None, source=source)


def read_ahead(path: Path) -> Source:
    """open_source, and for an XLSX its sheet parsed (fastexcel releases the GIL while calamine
    parses, ~1.5 s for 200k rows): what _stage would do first, done on a thread (`ReadAhead`)
    while the warehouse is copied or the previous file is checked and written in DuckDB."""
    src = open_source(path)
    if src.format == "xlsx":
        xlsx_text_table(src)
    return src


class ReadAhead:
    """The files of one load or preview read one ahead, on one thread: `source(i)` is the future of
    the i-th file's read_ahead, and asking for it starts the next file's. At most two files' cells
    are held at once (the one being staged, the next)."""

    def __init__(self, paths: list[Path]):
        self._paths = list(paths)
        self._futures: dict[int, Future] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-read")
        self._start(0)

    def _start(self, i: int) -> None:
        if i < len(self._paths) and i not in self._futures:
            self._futures[i] = self._pool.submit(read_ahead, self._paths[i])

    def source(self, i: int) -> Future:
        self._start(i)
        self._start(i + 1)
        return self._futures.pop(i)

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, *exc) -> None:
        for f in self._futures.values():
            f.cancel()
        self._pool.shutdown(wait=True)


def _stage_reading_again(con: duckdb.DuckDBPyConnection, path: Path, sha256: str | None, progress: Progress,
                         restart: Callable[[], None], source: Future | None = None) -> FileReport:
    """_stage of the file as open_source reads it (or as `source`, its read_ahead, did); when
    DuckDB finds it is not UTF-8 further down (NotUtf8), or its parallel CSV scanner refuses a
    quoted line break (NeedsSerialRead), the file is staged again — decoded, or with the serial
    scanner — after `restart()` (a new transaction: the error aborted the current one)."""
    progress("read", 0, None)
    src = source.result() if source is not None else open_source(path)
    while True:
        try:
            return _stage(con, path, src, sha256, progress)
        except NotUtf8:
            src = open_decoded(path)
        except NeedsSerialRead:
            src = open_source(path)
            src.serial = True
        restart()


def _stage(con: duckdb.DuckDBPyConnection, path: Path, src: Source, sha256: str | None,
           progress: Progress) -> FileReport:
    report = FileReport(file_name=path.name)
    report.sha256 = sha256 or sha256_of(path)
    head = head_rows(src)
    hm = detect_header(head)
    if hm is None:
        if not any(any(str(v).strip() for v in r if v is not None) for r in head):
            raise BadFile(f"Tệp «{path.name}» không có dữ liệu (chỉ có ô trống).")
        if sum(len(re.findall(r"\w\?|\?\w", str(v))) for r in head[:40] for v in r if v is not None) >= 3:
            # "Mã hồ sơ" saved as Windows-1252 becomes "Mã h? s?": the headings cannot match.
            raise BadFile(f"Tệp «{path.name}»: chữ tiếng Việt đã bị thay bằng dấu «?» (tệp được lưu bằng bảng mã không "
                          "có tiếng Việt, ví dụ Windows-1252): hãy lưu lại dưới dạng CSV UTF-8.")
        raise BadFile(f"Tệp «{path.name}»: không tìm thấy dòng tiêu đề cột nhận ra được trong {len(head[:40])} dòng đầu. {EXPECTED_HEADERS}")
    report.kind = hm.kind
    report.mapping = hm.mapping_description()
    width = max([len(r) for r in head] + [len(hm.headings)])
    table, number = _raw_table(con, src, hm, width)
    _drop_blank_and_total_rows(con, width, table, number)
    report.rows_read = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
    if report.rows_read == 0:
        raise BadFile(f"Tệp «{path.name}» có dòng tiêu đề ({report.kind_label}) nhưng không có dòng dữ liệu nào.")
    progress("read", report.rows_read, report.rows_read)
    progress("check", 0, report.rows_read)
    BY_KIND[hm.kind].stage(con, hm, report)
    rej = con.execute("SELECT row_number, column_name, reason, raw FROM stg_rejects ORDER BY row_number, column_name").fetchall()
    report.rejects = [Reject(*r) for r in rej]
    report.rows_rejected = con.execute("SELECT count(DISTINCT row_number) FROM stg_rejects").fetchall()[0][0]
    progress("check", report.rows_read, report.rows_read)
    return report


# ---------------------------------------------------------------------------------------------
# Writing

def _write_staged(con: duckdb.DuckDBPyConnection, report: FileReport, user: str | None,
                  after_insert: Callable[[duckdb.DuckDBPyConnection], None] | None) -> None:
    batch = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM load_batches").fetchall()[0][0]
    report.batch_id = batch
    BY_KIND[report.kind].write_rows(con, batch)
    if after_insert:
        after_insert(con)
    con.execute("INSERT INTO load_rejects SELECT $batch, row_number, column_name, reason, raw FROM stg_rejects",
                {"batch": batch})
    con.execute(
        "INSERT INTO load_batches VALUES ($batch, $file, $sha, $kind, now()::TIMESTAMP, $read, $loaded, $rejected, "
        "'loaded', $user, $dups, $pfrom, $pto)",
        {"batch": batch, "file": report.file_name, "sha": report.sha256, "kind": report.kind,
         "read": report.rows_read, "loaded": report.rows_to_load, "rejected": report.rows_rejected,
         "user": user, "dups": report.duplicates, "pfrom": report.period_from, "pto": report.period_to},
    )


def known_files(db: Path) -> dict[str, tuple[int, str]]:
    """sha256 -> (batch_id, loaded_at text) of every file already loaded."""
    if file_version(db) is None:
        return {}
    con = connect_read(db)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "load_batches" not in tables:
            return {}
        return {sha: (b, f"{at:%d/%m/%Y %H:%M}") for sha, b, at in
                con.execute("SELECT sha256, batch_id, loaded_at FROM load_batches WHERE status = 'loaded'").fetchall()}
    finally:
        con.close()


def reference_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the reference tables: enough to validate files."""
    con = duckdb.connect(config={"autoinstall_known_extensions": "false"})
    con.execute("SET enable_progress_bar = false")
    ensure_schema(con)
    registry.load_reference(con)
    return con


def preview_files(paths: list[Path], db: Path | None = None) -> list[FileReport]:
    """What a load would do, file by file, without writing anything."""
    mark_cpu()
    known = known_files(db_path(db))
    reports = []
    paths = [Path(p) for p in paths]
    with ReadAhead(paths) as ahead:   # the first file is read while the reference tables are made
        con = reference_connection()
        try:
            for i, p in enumerate(paths):
                try:
                    r = stage_file(con, p, source=ahead.source(i))
                    if r.sha256 in known:
                        b, at = known[r.sha256]
                        r.status, r.message = "unchanged", f"Tệp này đã được nạp (lô số {b}, lúc {at}): nạp lại sẽ không thay đổi gì."
                    else:
                        r.message = _summary(r, preview=True)
                except BadFile as e:
                    r = FileReport(file_name=p.name, status="failed", message=str(e))
                reports.append(r)
        finally:
            con.close()
    return reports


def _summary(r: FileReport, preview: bool = False) -> str:
    verb = "sẽ nạp" if preview else "đã nạp"
    s = (f"Tệp «{r.file_name}» ({r.kind_label}): đọc {vn_int(r.rows_read)} dòng, {verb} {vn_int(r.rows_to_load)}, "
         f"loại {vn_int(r.rows_rejected)} dòng lỗi")
    if r.duplicates:
        s += f"; {r.duplicates} mã trùng trong tệp (giữ dòng sau cùng)"
    return s + "."


def _stage_in_transaction(con: duckdb.DuckDBPyConnection, path: Path, sha: str, progress: Progress,
                          source: Future | None = None) -> FileReport:
    """BEGIN, then stage_file; a CSV that is not UTF-8 further down aborts the transaction, so it
    is read again, decoded, in a new one."""
    con.execute("BEGIN")

    def restart() -> None:
        con.execute("ROLLBACK")
        con.execute("BEGIN")

    return _stage_reading_again(con, path, sha, progress, restart, source)


def load_files(paths: list[Path], db: Path | None = None, user: str | None = None,
               meta: dict[str, str] | None = None,
               after_insert: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
               progress: Progress = silent) -> list[FileReport]:
    """Load files into the warehouse. Each file in its own transaction; all of them swapped in at
    once at the end. A file already loaded (same sha256) changes nothing. `after_insert` runs inside
    each file's transaction after its rows are written (tests inject failures there).
    `progress(stage, done, total)` hears, for each file to load: its name and place ("Tệp «a.csv»
    (1/2)", 0, None), then "read", "check" and "write" with their row counts; at the end
    "aggregate" (etl.progress)."""
    mark_cpu()
    db = db_path(db)
    known = known_files(db)
    reports: list[FileReport] = []
    todo: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if not p.exists():
            reports.append(FileReport(p.name, status="failed", message=f"Không tìm thấy tệp «{p}»."))
            continue
        sha = sha256_of(p)
        if sha in known or sha in seen:
            b, at = known.get(sha, (None, "trong lần nạp này"))
            where = f"lô số {b}, lúc {at}" if b else at
            reports.append(FileReport(p.name, sha256=sha, status="unchanged",
                                      message=f"Tệp «{p.name}» đã được nạp trước đó ({where}): không thay đổi gì."))
            continue
        seen.add(sha)
        todo.append((p, sha))
    if not todo and (file_version(db) is not None or not meta):
        return reports
    # The first file is read (an XLSX parsed) while the warehouse is copied and the reference
    # tables are loaded, each next one while DuckDB checks and writes the one before.
    with ReadAhead([p for p, _ in todo]) as ahead, writer(db) as con:
        con.execute("BEGIN")
        registry.load_reference(con)
        con.execute("COMMIT")
        changed = False
        for i, (p, sha) in enumerate(todo, 1):
            try:
                progress(f"Tệp «{p.name}» ({i}/{len(todo)})", 0, None)
                r = _stage_in_transaction(con, p, sha, progress, ahead.source(i - 1))
                progress("write", 0, r.rows_to_load)
                _write_staged(con, r, user, after_insert)
                con.execute("COMMIT")
                progress("write", r.rows_to_load, r.rows_to_load)
                r.status, r.message = "loaded", _summary(r)
                changed = True
            except BadFile as e:
                con.execute("ROLLBACK")
                r = FileReport(p.name, status="failed", message=str(e))
            except Exception:
                con.execute("ROLLBACK")
                raise
            reports.append(r)
        con.execute("BEGIN")
        if meta:
            for k, v in meta.items():
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [k, v])
        if not changed and not meta:
            raise NothingToWrite
        if changed:
            # Facts and the pre-aggregated tables change in the same transaction: a reader never
            # sees one without the other.
            progress("aggregate", 0, None)
            refresh_aggregates(con, appended=[r.batch_id for r in reports if r.status == "loaded" and r.batch_id])
            progress("aggregate", 1, 1)
        con.execute("INSERT OR REPLACE INTO meta SELECT 'data_version', "
                        "CAST(coalesce(max(TRY_CAST(value AS INTEGER)), 0) + 1 AS VARCHAR) FROM meta WHERE key = 'data_version'")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('loaded_at', strftime(now(), '%Y-%m-%d %H:%M:%S'))")
        con.execute("COMMIT")
    return reports
