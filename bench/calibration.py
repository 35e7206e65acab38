"""The machine's speed at the time of a run: fixed work, the same in every run, timed at its start
and its end (bench/__main__.py). The same code on the same file has run 1.5–2× slower in one hour
than in another on these virtual machines (bench/NOTES.md: "phases"); the load average does not
show it. These four figures are meant to: a run whose figures are higher ran on a slower machine, and its
absolute milliseconds compare only with runs whose figures agree.

  python_ms     a pure-Python loop (the pandas way's and Streamlit's share of the work)
  query_ms      a small DuckDB query with CTEs, a join, a window and parameters on tiny tables:
                what a page's query costs before it touches data (parsing, binding, optimizing)
  scan_ms       DuckDB summing 20 million integers on one thread (its operators' speed)
  memory_ms     copying 256 MB from one array to another (memory bandwidth, which neighbours on
                the host share: scans of millions of rows and the pandas way depend on it)
"""
from __future__ import annotations

import statistics
import time

import duckdb
import numpy as np

PY_LOOP = 1_000_000
SCAN_ROWS = 20_000_000
COPY_FLOATS = 32_000_000   # 256 MB

_QUERY = """
WITH u AS (SELECT * FROM units WHERE kind = ANY($kinds)),
d AS (SELECT unit_id, month, n FROM facts WHERE month BETWEEN $m_from AND $m_to),
s AS (SELECT u.unit_id, u.name, sum(d.n) AS n FROM u JOIN d USING (unit_id) GROUP BY ALL)
SELECT unit_id, name, n, rank() OVER (ORDER BY n DESC) AS rnk FROM s ORDER BY rnk, name
"""


def _median_ms(fn, runs: int) -> float:
    fn()   # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def _python_loop() -> int:
    s = 0
    for i in range(PY_LOOP):
        s += i * i
    return s


def _copy_ms(runs: int) -> float:
    a = np.ones(COPY_FLOATS)
    b = np.empty_like(a)
    return _median_ms(lambda: np.copyto(b, a), runs)


def calibrate(runs: int = 7) -> dict:
    """{python_ms, query_ms, scan_ms, memory_ms}: medians of `runs` timings after a warm-up."""
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        con.execute("CREATE TABLE units AS SELECT 'u' || i AS unit_id, 'Đơn vị ' || i AS name, "
                    "CASE WHEN i % 3 = 0 THEN 'commune' ELSE 'department' END AS kind FROM range(40) t(i)")
        con.execute("CREATE TABLE facts AS SELECT 'u' || (i % 40) AS unit_id, i % 12 AS month, i AS n "
                    "FROM range(2000) t(i)")
        params = {"kinds": ["commune", "department"], "m_from": 2, "m_to": 9}
        return {
            "python_ms": _median_ms(_python_loop, runs),
            "query_ms": _median_ms(lambda: con.execute(_QUERY, params).fetchall(), runs * 4),
            "scan_ms": _median_ms(lambda: con.execute(f"SELECT sum(i % 7) FROM range({SCAN_ROWS}) t(i)").fetchall(),
                                  runs),
            "memory_ms": _copy_ms(runs),
        }
    finally:
        con.close()


def describe(start: dict | None, end: dict | None) -> str | None:
    """The report's line, or None for a run recorded before calibration existed."""
    if not start:
        return None

    def pair(key: str) -> str:
        return f"{start[key]:.1f}" + (f" / {end[key]:.1f}" if end else "")

    when = "at start / end" if end else "at start"
    return (f"Machine speed {when} (fixed work, medians; lower is faster; `bench/calibration.py`): "
            f"Python loop {pair('python_ms')} ms, a small DuckDB query {pair('query_ms')} ms, "
            f"DuckDB scan of {SCAN_ROWS // 1_000_000}M integers on one thread {pair('scan_ms')} ms, "
            f"copying 256 MB {pair('memory_ms')} ms. "
            "Absolute milliseconds compare only between runs whose figures here agree.")
