"""The metrics SQL on Spark SQL, over a Parquet export (`python -m etl export-parquet`).

There is one copy of every query: metrics/sql, written for DuckDB. Here SQLGlot transpiles it to
Spark SQL, after binding the parameters as literals built by SQLGlot (strings quoted and escaped by
its Spark generator, never by string formatting). Where the two dialects differ in meaning, not
only in spelling, the syntax tree is adjusted before generation (each case below says why).
Needs requirements-spark.txt (pyspark, sqlglot) and Java 17; `make run` does not install them.
"""
from __future__ import annotations

import functools
import os
import warnings
from datetime import date, datetime

import pandas as pd

from .sources import SourceError

_INT_MAX = 2**31 - 1


@functools.cache
def _dialect():
    from sqlglot import exp, transforms
    from sqlglot.dialects.spark import Spark
    from sqlglot.generators.spark import SparkGenerator

    class _Generator(SparkGenerator):
        # Spark 4 runs QUALIFY itself; SQLGlot's rewrite of it into a subquery (for older Spark)
        # loses the table aliases the QUALIFY expression uses.
        TRANSFORMS = {
            **SparkGenerator.TRANSFORMS,
            exp.Select: transforms.preprocess([transforms.eliminate_distinct_on,
                                               transforms.unnest_to_explode,
                                               transforms.any_to_exists]),
        }

    class Spark4Metrics(Spark):
        Generator = _Generator

    return Spark4Metrics


def literal(value):
    """A SQL literal for a parameter value (SQLGlot expression; typed like DuckDB binds it)."""
    from sqlglot import exp

    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        return exp.cast(exp.Literal.number(repr(value)), exp.DataType.build("DOUBLE"))
    if isinstance(value, datetime):   # before date: a datetime is a date too
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")),
                        exp.DataType.build("TIMESTAMP", dialect="duckdb"))
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[literal(v) for v in value])
    raise TypeError(f"kiểu tham số không hỗ trợ: {type(value).__name__}")


def _is_list(node) -> bool:
    from sqlglot import exp
    return isinstance(node, exp.Array) or (
        isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.ARRAY))


def to_spark_sql(sql: str, params: dict) -> str:
    """DuckDB SQL with $name parameters -> Spark SQL with the values as literals."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")

    def bind(node):
        if isinstance(node, (exp.Placeholder, exp.Parameter)) and node.name in params:
            return literal(params[node.name])
        return node

    def adjust(node):
        # DuckDB's len() of a list is its size; the parser cannot know the argument is a list.
        if isinstance(node, exp.Length) and _is_list(node.this):
            return exp.ArraySize(this=node.this)
        # 100.0 * n / d: DuckDB divides a decimal in DOUBLE, Spark keeps DECIMAL (other digits).
        if isinstance(node, exp.Literal) and node.is_number and "." in node.this:
            return exp.cast(node.copy(), exp.DataType.build("DOUBLE"))
        # "no limit" is 2**62 for DuckDB; Spark's LIMIT is a 32-bit int.
        if (isinstance(node, exp.Limit) and isinstance(node.expression, exp.Literal)
                and node.expression.is_int and int(node.expression.this) > _INT_MAX):
            node.set("expression", exp.Literal.number(_INT_MAX))
        # FROM range(start, end, step): DuckDB's end is exclusive; SQLGlot's emulation compares
        # the step with 0, which Spark refuses for an INTERVAL. Keep the values < end instead.
        if (isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries)
                and node.this.args.get("is_end_exclusive")):
            series = node.this
            select = sqlglot.parse_one(
                "SELECT EXPLODE(FILTER(SEQUENCE(s, e, step), x -> x < e)) AS range", read="spark")

            def fill(n):
                if isinstance(n, exp.Column) and n.name in ("s", "e", "step") and not n.table:
                    return {"s": series.args["start"], "e": series.args["end"],
                            "step": series.args["step"]}[n.name].copy()
                return n
            return exp.Subquery(this=select.transform(fill),
                                alias=exp.TableAlias(this=exp.to_identifier(node.alias_or_name or "range")))
        return node

    tree = tree.transform(bind).transform(adjust)
    return tree.sql(dialect=_dialect(), comments=False)


@functools.cache
def spark_session():
    """One local SparkSession per process: loopback only, no UI, UTC (timestamps are local
    times without a zone, as in DuckDB). METRICS_SPARK_MASTER overrides local[*]."""
    # Spark otherwise looks up the machine's network address (and says so on stderr).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)   # pyspark 4.3 on pandas 3
        from pyspark.sql import SparkSession
        session = _build(SparkSession)
    session.sparkContext.setLogLevel("ERROR")
    return session


def _build(SparkSession):
    return (
        SparkSession.builder
        .master(os.environ.get("METRICS_SPARK_MASTER", "local[*]"))
        .appName("metrics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", os.environ.get("METRICS_SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


class SparkSQL:
    """A metrics connection on Spark: temporary views named like the warehouse tables over the
    Parquet export at `directory` (its current version), in a session of their own."""

    def __init__(self, directory: str | os.PathLike, session=None):
        from etl.parquet import table_sources

        sources = table_sources(directory)
        self.session = (session or spark_session()).newSession()   # own temp views, shared context
        for t in sources:
            if t.partition_columns and t.rows:
                df = self.session.read.option("basePath", str(t.path)).parquet(str(t.path))
                df = df.drop(*t.partition_columns)
            else:
                df = self.session.read.parquet(str(t.schema_file if t.partition_columns else t.path))
            df.createOrReplaceTempView(t.name)

    def _run(self, sql: str, params: dict):
        from pyspark.errors import PySparkException

        text = to_spark_sql(sql, params)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)   # pyspark 4.3 on pandas 3
                return self.session.sql(text).toArrow()
        except PySparkException as e:
            if getattr(e, "getCondition", lambda: None)() == "TABLE_OR_VIEW_NOT_FOUND":
                raise LookupError(str(e)) from None
            raise SourceError(f"Spark SQL: {e}") from None

    def fetch(self, sql: str, params: dict, types_mapper=None) -> pd.DataFrame:
        return self._run(sql, params).to_pandas(types_mapper=types_mapper)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        table = self._run(sql, params or {})
        return list(zip(*(c.to_pylist() for c in table.columns))) if table.num_columns else []

    def close(self) -> None:
        for t in self.session.catalog.listTables():
            if t.isTemporary:
                self.session.catalog.dropTempView(t.name)
