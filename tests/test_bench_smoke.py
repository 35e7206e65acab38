"""`python -m bench --quick` runs end to end on ~20k dossiers and every way of computing the
numbers agrees (metrics from the pre-aggregated tables, metrics' SQL over the raw dossiers, the
pandas way). No timing is
asserted: the timings are the benchmark's business (bench/RESULTS.md), not the test suite's."""
from __future__ import annotations

import json

import duckdb

import pytest

from bench.__main__ import main


@pytest.mark.slow
def test_quick_benchmark_runs_and_all_ways_agree(tmp_path):
    out = tmp_path / "RESULTS.md"
    assert main(["--quick", "--runs", "1", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## 20,000 dossiers" in text
    assert "| period, units | interaction | metrics ms | agg | raw SQL ms | pandas ms | ratio | same numbers |" in text
    assert "CSV `hoso_5000.csv`" in text
    for name in ("hoso_1000_excel.xlsx", "hoso_1000_streaming.xlsx", "hoso_1000.xlsx"):
        assert f"`{name}`" in text

    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    # the machine's speed at start and end, in the JSON and on the report's header line
    speed = results["calibration"]
    assert set(speed) == {"start", "end"}
    for point in speed.values():
        assert set(point) == {"python_ms", "query_ms", "scan_ms", "memory_ms"} and all(v > 0 for v in point.values())
    assert (f"Python loop {speed['start']['python_ms']:.1f} / {speed['end']['python_ms']:.1f} ms" in text)

    rows = results["by_size"]["20000"]["queries"]["rows"]
    # 4 cases (month / year, all / one commune) x 6 interactions
    assert len(rows) == 24
    # every dossier interaction is answered from the aggregates, with the raw SQL's numbers
    assert {r["interaction"] for r in rows if r["aggregates"]} == {
        "overview", "trend", "late_rates", "bieu06", "late_dossiers"}
    assert all(r["same_as_raw"] for r in rows if r["aggregates"]), [r for r in rows if not r.get("same_as_raw", True)]
    assert all(r["pandas_equal"] for r in rows), [r for r in rows if not r["pandas_equal"]]
    etl = {e.get("writer", e["format"]) + ("-year" if e.get("files", 1) > 1 else ""): e
           for e in results["by_size"]["20000"]["etl"]}
    assert etl["CSV"]["loaded"] == 5000 and etl["CSV"]["rejected"] == 0
    # the same 1,000 dossiers in each layout an export can have: every one loads
    for writer in ("excel", "streaming", "openpyxl"):
        assert etl[writer]["loaded"] == 1000 and etl[writer]["rejected"] == 0, writer
    # a year of monthly exports in one load: twelve files, every row of each
    year = etl["excel-year"]
    assert year["files"] == 12 and year["loaded"] == year["rows"] and year["rejected"] == 0
    [warehouse] = tmp_path.glob("scale_20000*.duckdb")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        in_2024 = con.execute("SELECT count(*) FROM dossiers WHERE year(received_at) = 2024").fetchall()[0][0]
    finally:
        con.close()
    assert year["rows"] == in_2024 > 0
