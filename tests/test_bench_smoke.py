"""`python -m bench --quick` runs end to end on ~20k dossiers and every way of computing the
numbers agrees (metrics as shipped, the pre-aggregated tables, the pandas way). No timing is
asserted: the timings are the benchmark's business (bench/RESULTS.md), not the test suite's."""
from __future__ import annotations

import json

import pytest

from bench.__main__ import main


@pytest.mark.slow
def test_quick_benchmark_runs_and_all_ways_agree(tmp_path):
    out = tmp_path / "RESULTS.md"
    assert main(["--quick", "--runs", "1", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## 20,000 dossiers" in text
    assert "| period, units | interaction | metrics ms | aggregates ms | pandas ms | ratio | same numbers |" in text
    assert "CSV `hoso_5000.csv`" in text and "XLSX `hoso_1000.xlsx`" in text

    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    rows = results["by_size"]["20000"]["queries"]["rows"]
    # 4 cases (month / year, all / one commune) x 6 interactions, each measured three ways
    assert len(rows) == 24
    assert all(r["agg_equal"] for r in rows), [r for r in rows if not r["agg_equal"]]
    assert all(r["pandas_equal"] for r in rows), [r for r in rows if not r["pandas_equal"]]
    etl = {e["format"]: e for e in results["by_size"]["20000"]["etl"]}
    assert etl["CSV"]["loaded"] == 5000 and etl["CSV"]["rejected"] == 0
    assert etl["XLSX"]["loaded"] == 1000 and etl["XLSX"]["rejected"] == 0
