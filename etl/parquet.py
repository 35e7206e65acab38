"""The warehouse as Hive-partitioned Parquet: `python -m etl export-parquet --db FILE --out DIR`.

For engines other than one DuckDB process (several machines, Spark): docs/deployment.md.

Layout of DIR (same tables, columns and types as the DuckDB file, docs/data-contract.md):
    _manifest.json                          tables, row counts, partition columns, source, time
    dossiers/received_year=2022/received_month=1/data_0.parquet   by year and month received
    dossiers/_schema.parquet               no rows: the columns, for readers of an empty export
    units.parquet, evaluations.parquet, …  every other table whole (the derived agg_* too)
The partition columns live only in the directory names; readers drop them (`table_sources`), so
`dossiers` reads back with exactly the columns of the DuckDB table.

Atomic: DIR is a symbolic link to a version directory beside it (.DIR.v<time>). An export writes
a new version completely, then replaces the link in one rename (os.replace), so a reader resolves
either the old export or the new one, never a half-written one. The previous version is kept
until the next export, so a reader that resolved it just before the swap can finish.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .warehouse import connect_read, db_path

MANIFEST = "_manifest.json"
# table -> (partition column, SQL expression over the table) in directory order
PARTITIONS = {
    "dossiers": (("received_year", "year(received_at)"), ("received_month", "month(received_at)")),
}
# rows sorted within each file so a reader skips row groups by min/max of the period columns
SORT_KEYS = {"dossiers": "received_at, dossier_id"}


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class TableSource:
    """Where one table of an export is and how to read it back."""
    name: str
    path: Path                      # a .parquet file, or the table's directory when partitioned
    partition_columns: tuple[str, ...]
    rows: int

    @property
    def schema_file(self) -> Path:
        return self.path / "_schema.parquet"

    def duckdb_select(self) -> str:
        """DuckDB SELECT giving the table's rows with the DuckDB table's columns."""
        if not self.partition_columns:
            return f"SELECT * FROM read_parquet({_literal(self.path)})"
        if self.rows == 0:  # no partition directories at all
            return f"SELECT * FROM read_parquet({_literal(self.schema_file)})"
        files = self.path / "/".join("*" for _ in self.partition_columns) / "*.parquet"
        drop = ", ".join(_ident(c) for c in self.partition_columns)
        return (f"SELECT * EXCLUDE ({drop}) FROM read_parquet({_literal(files)}, "
                f"hive_partitioning = true)")


def resolve(directory: str | os.PathLike) -> Path:
    """The version directory an export link points to now (resolve once, then read from it)."""
    return Path(os.path.realpath(directory))


def table_sources(directory: str | os.PathLike) -> list[TableSource]:
    """The tables of the export at `directory` (its current version), from its manifest."""
    root = resolve(directory)
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"'{directory}' không phải thư mục Parquet do "
                                f"'python -m etl export-parquet' ghi (thiếu {MANIFEST})") from None
    return [TableSource(t["name"], root / t["path"], tuple(t["partition_columns"]), t["rows"])
            for t in manifest["tables"]]


def _version_dirs(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.v*"))


def export_parquet(db: str | os.PathLike | None, out: str | os.PathLike) -> dict:
    """Write every table of the warehouse `db` under `out` (layout above); returns the manifest."""
    source = db_path(db)
    if not source.is_file():
        raise FileNotFoundError(f"không tìm thấy kho dữ liệu '{source}'")
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # one export at a time per target
        version = out.parent / f".{out.name}.v{time.time_ns()}"
        try:
            manifest = _write_version(source, version)
            _swap_in(out, version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
        current = resolve(out)
        # Keep the version just replaced (a reader may still be in it); drop older ones.
        for old in _version_dirs(out)[:-2]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
    return manifest


def _write_version(source: Path, version: Path) -> dict:
    version.mkdir()
    con = connect_read(source)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = 'main' "
            "ORDER BY table_name").fetchall()]
        tables = []
        for name in names:
            rows = con.execute(f"SELECT count(*) FROM {_ident(name)}").fetchall()[0][0]
            parts = PARTITIONS.get(name, ())
            if parts:
                target = version / name
                if rows:
                    extra = ", ".join(f"{expr} AS {_ident(col)}" for col, expr in parts)
                    cols = ", ".join(_ident(col) for col, _ in parts)
                    con.execute(f"COPY (SELECT *, {extra} FROM {_ident(name)} ORDER BY {SORT_KEYS[name]}) "
                                f"TO {_literal(target)} (FORMAT parquet, PARTITION_BY ({cols}))")
                target.mkdir(exist_ok=True)
                con.execute(f"COPY (SELECT * FROM {_ident(name)} LIMIT 0) "
                            f"TO {_literal(target / '_schema.parquet')} (FORMAT parquet)")
                path = name
            else:
                path = f"{name}.parquet"
                con.execute(f"COPY {_ident(name)} TO {_literal(version / path)} (FORMAT parquet)")
            tables.append({"name": name, "path": path, "rows": rows,
                           "partition_columns": [col for col, _ in parts]})
    finally:
        con.close()
    manifest = {"source": str(source), "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "tables": tables}
    (version / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _swap_in(out: Path, version: Path) -> None:
    if out.exists() and not out.is_symlink():
        if not (out / MANIFEST).exists() and any(out.iterdir()):
            raise FileExistsError(f"'{out}' đã có và không phải bản xuất Parquet: chọn thư mục khác")
        # An export from before the link layout (or an empty folder): becomes the previous version.
        os.rename(out, out.parent / f".{out.name}.v0")
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(version.name, link)   # relative: the folder can be moved or mounted elsewhere
    os.replace(link, out)
