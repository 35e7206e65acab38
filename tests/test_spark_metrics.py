"""The metrics SQL on Spark SQL (metrics/spark.py: SQLGlot transpiles metrics/sql, no second copy):
`python -m metrics TABLE --parquet DIR --engine spark` writes the bytes `--db FILE` writes.

Needs requirements-spark.txt and Java; skipped without them, except when REQUIRE_SPARK=1 (.ci/run
sets it), where the absence fails. One SparkSession for the whole test session."""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime

import pytest

from etl.parquet import export_parquet
from metrics_fixtures import build_warehouse
from source_cases import case_id, cases, cli_bytes

# The five the issue names, and every other CLI table checked on Spark so far (a new table is
# added here once it passes).
SPARK_TABLES = ("bieu06", "late_rates", "overview", "ranking", "late_dossiers",
                "trend", "top_units", "bottom_units", "heatmap", "unit_history",
                "commitments", "commitments_by_year")


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as e:
        return f"{e.name} is not installed (.venv/bin/pip install -r requirements-spark.txt)"
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "no Java (Spark needs Java 17)"
    return None


@pytest.fixture(scope="session")
def spark_session():
    problem = _spark_missing()
    if problem:
        if os.environ.get("REQUIRE_SPARK") == "1":
            pytest.fail(f"REQUIRE_SPARK=1 but {problem}", pytrace=False)
        pytest.skip(f"Spark tests skipped: {problem}")
    os.environ.setdefault("METRICS_SPARK_MASTER", "local[2]")
    os.environ.setdefault("METRICS_SPARK_SHUFFLE_PARTITIONS", "2")
    from metrics.spark import spark_session as session
    s = session()
    yield s
    s.stop()
    session.cache_clear()


@pytest.fixture(scope="module")
def sources(spark_session, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spark")
    db = build_warehouse(tmp / "warehouse.duckdb")
    export_parquet(db, tmp / "kho")
    return db, tmp / "kho"


@pytest.mark.parametrize("case", list(cases(SPARK_TABLES)), ids=case_id)
def test_cli_spark_writes_the_db_bytes(sources, tmp_path, case):
    db, parquet = sources
    _, _, argv = case
    from_db = cli_bytes([*argv, "--db", db], tmp_path / "db.csv")
    from_spark = cli_bytes([*argv, "--parquet", str(parquet), "--engine", "spark"], tmp_path / "spark.csv")
    assert from_spark == from_db


def test_values_survive_as_literals(spark_session, tmp_path):
    """Parameters become SQLGlot literals: quotes and backslashes stay data, types stay types."""
    from metrics.spark import SparkSQL
    db = build_warehouse(tmp_path / "w.duckdb")
    export_parquet(db, tmp_path / "kho")
    con = SparkSQL(tmp_path / "kho")
    nasty = "x'); DROP TABLE units; --\\'"
    df = con.fetch("SELECT $s AS s, $d AS d, $t AS t, len($l::VARCHAR[]) AS n, list_contains($l::VARCHAR[], $s) AS hit",
                   {"s": nasty, "d": date(2022, 3, 31), "t": datetime(2022, 4, 1), "l": ["a", nasty]})
    row = df.iloc[0]
    assert row["s"] == nasty and row["n"] == 2 and bool(row["hit"])
    assert row["d"] == date(2022, 3, 31) and row["t"] == datetime(2022, 4, 1)
    assert con.rows("SELECT count(*) FROM units") == [(8,)]   # metrics_fixtures.UNITS
    con.close()


def test_unknown_unit_is_refused_on_spark(sources, tmp_path, capsys):
    from metrics.__main__ import main
    _, parquet = sources
    assert main(["overview", "--from", "2022-01-01", "--to", "2022-03-31", "--commune", "xa-khong-co",
                 "--parquet", str(parquet), "--engine", "spark"]) == 2
    assert "không có đơn vị mã: xa-khong-co" in capsys.readouterr().err
