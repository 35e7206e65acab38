"""python -m etl export-parquet: Hive-partitioned Parquet with the warehouse's tables, columns and
types, swapped in atomically; python -m metrics --parquet writes the same bytes as --db."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.parquet import export_parquet, resolve
from etl.warehouse import ensure_schema
from metrics.sources import connect_parquet
from metrics_fixtures import build_warehouse, warehouse  # noqa: F401
from source_cases import case_id, cases, cli_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(warehouse, tmp_path_factory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("parquet") / "kho"
    r = subprocess.run([sys.executable, "-m", "etl", "export-parquet", "--db", warehouse, "--out", str(out)],
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert "Đã ghi" in r.stdout.decode()
    return out


def test_dossiers_partitioned_by_year_and_month_received(exported):
    # metrics_fixtures: dossiers received 11/2021, 12/2021, 01–04/2022 and 07/2025
    parts = sorted(p.relative_to(exported / "dossiers").as_posix()
                   for p in (exported / "dossiers").glob("*/*") if p.is_dir())
    assert parts == ["received_year=2021/received_month=11", "received_year=2021/received_month=12",
                     "received_year=2022/received_month=1", "received_year=2022/received_month=2",
                     "received_year=2022/received_month=3", "received_year=2022/received_month=4",
                     "received_year=2025/received_month=7"]
    # each file holds only its month: S1 | A7 A8 A10 | A1 A2 A3 B1 D1 | A4 B2 C1 | A5 A6 A9 D2 D3 | A11 | N1
    expected_rows = [1, 3, 5, 3, 5, 1, 1]
    with duckdb.connect() as c:
        for part, n in zip(parts, expected_rows):
            year, month = (int(x.split("=")[1]) for x in part.split("/"))
            months = c.execute("SELECT year(received_at), month(received_at), count(*) FROM read_parquet(?) "
                               "GROUP BY ALL", [str(exported / "dossiers" / part / "*.parquet")]).fetchall()
            assert months == [(year, month, n)], part
    # the other tables whole, one file each
    assert (exported / "units.parquet").is_file() and (exported / "evaluations.parquet").is_file()


def test_same_tables_columns_types_and_rows(warehouse, exported):  # noqa: F811
    with duckdb.connect(warehouse, read_only=True) as db:
        tables = [r[0] for r in db.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        pq = connect_parquet(exported)
        try:
            assert [r[0] for r in pq.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                             "ORDER BY 1").fetchall()] == tables
            for t in tables:
                # names and types (Parquet carries no keys or CHECK constraints: the data was checked
                # on load)
                assert [r[:2] for r in pq.execute(f'DESCRIBE "{t}"').fetchall()] == \
                    [r[:2] for r in db.execute(f'DESCRIBE "{t}"').fetchall()], t
                # same rows, any order
                assert sorted(map(repr, pq.execute(f'SELECT * FROM "{t}"').fetchall())) == \
                    sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall())), t
        finally:
            pq.close()
    manifest = json.loads((exported / "_manifest.json").read_text(encoding="utf-8"))
    assert {t["name"]: t["rows"] for t in manifest["tables"]}["units"] == 8   # metrics_fixtures.UNITS


@pytest.mark.parametrize("case", list(cases()), ids=case_id)
def test_cli_parquet_writes_the_db_bytes(warehouse, exported, tmp_path, case):  # noqa: F811
    _, _, argv = case
    from_db = cli_bytes([*argv, "--db", warehouse], tmp_path / "db.csv")
    from_parquet = cli_bytes([*argv, "--parquet", str(exported)], tmp_path / "pq.csv")
    assert from_parquet == from_db
    assert from_db.startswith("\ufeff".encode())


def _add_dossier(path: str, dossier_id: str, received: str) -> None:
    con = duckdb.connect(path)
    try:
        con.execute("INSERT INTO dossiers SELECT ? , unit_id, field, procedure_name, channel, ?, due_at, NULL,"
                    " apology_issued, batch_id, NULL, NULL FROM dossiers LIMIT 1",
                    [dossier_id, datetime.fromisoformat(received)])
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0]


def test_export_swaps_a_new_version_in_and_readers_keep_theirs(tmp_path):
    db = build_warehouse(tmp_path / "w.duckdb")
    out = tmp_path / "kho"
    export_parquet(db, out)
    first = resolve(out)
    reader = connect_parquet(out)
    before = _count(reader)

    _add_dossier(db, "NEW-1", "2023-06-15 08:00")
    export_parquet(db, out)
    second = resolve(out)
    assert out.is_symlink() and second != first
    assert _count(reader) == before                       # an open reader keeps its version whole
    assert _count(connect_parquet(out)) == before + 1      # a new reader sees the new export
    assert (second / "dossiers" / "received_year=2023" / "received_month=6").is_dir()

    export_parquet(db, out)                               # the version before the previous one goes
    assert not first.exists() and second.exists() and resolve(out) not in (first, second)
    reader.close()


def test_failed_export_leaves_the_previous_one(tmp_path):
    db = build_warehouse(tmp_path / "w.duckdb")
    out = tmp_path / "kho"
    export_parquet(db, out)
    good = resolve(out)
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a duckdb file" * 100)
    with pytest.raises(duckdb.Error):
        export_parquet(broken, out)
    assert resolve(out) == good
    assert sorted(p.name for p in tmp_path.glob(".kho.v*")) == [good.name]   # no half-written version
    assert _count(connect_parquet(out)) == 19   # metrics_fixtures.DOSSIERS


def test_empty_warehouse_exports_and_reads(tmp_path):
    db = tmp_path / "empty.duckdb"
    with duckdb.connect(str(db)) as c:
        ensure_schema(c)
    export_parquet(db, tmp_path / "kho")
    con = connect_parquet(tmp_path / "kho")
    assert _count(con) == 0
    assert con.execute("DESCRIBE dossiers").fetchall()[5][:2] == ("received_at", "TIMESTAMP")


def test_refuses_to_replace_a_folder_that_is_not_an_export(tmp_path):
    db = build_warehouse(tmp_path / "w.duckdb")
    (tmp_path / "kho").mkdir()
    (tmp_path / "kho" / "important.txt").write_text("x")
    with pytest.raises(FileExistsError):
        export_parquet(db, tmp_path / "kho")
    assert (tmp_path / "kho" / "important.txt").read_text() == "x"


def test_cli_source_errors_are_vietnamese(warehouse, exported, tmp_path, capsys):  # noqa: F811
    from etl.__main__ import main as etl_main
    from metrics.__main__ import main

    period = ["overview", "--from", "2022-01-01", "--to", "2022-03-31"]
    with pytest.raises(SystemExit) as e:
        main([*period, "--db", warehouse, "--parquet", str(exported)])
    assert e.value.code == 2 and "chọn một nguồn: --db hoặc --parquet" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main([*period, "--engine", "spark"])
    assert e.value.code == 2 and "--engine spark đọc bản xuất Parquet: cần --parquet" in capsys.readouterr().err

    assert main([*period, "--parquet", str(tmp_path / "khong-co")]) == 1
    assert "không tìm thấy kho dữ liệu" in capsys.readouterr().err
    (tmp_path / "rong").mkdir()
    assert main([*period, "--parquet", str(tmp_path / "rong")]) == 1
    assert "thiếu _manifest.json" in capsys.readouterr().err

    assert etl_main(["export-parquet", "--db", str(tmp_path / "khong-co.duckdb"), "--out", str(tmp_path / "x")]) == 1
    assert "không tìm thấy kho dữ liệu" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
