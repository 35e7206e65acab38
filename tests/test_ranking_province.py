"""Xếp hạng đơn vị at a province's scale (etl.scale: 538 units): the two charts show the best and
the worst 20 units with a score, the ranking table every unit."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from page_blocks import plain_tables

from etl.scale import build_scale

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    return build_scale(5_000, db=tmp_path_factory.mktemp("province") / "province.duckdb", verbose=False)


def _year_2024(province_db, monkeypatch) -> AppTest:
    """Tổng quan of the province for 2024, signed in as a viewer of every unit."""
    monkeypatch.setenv("WAREHOUSE_DB", str(province_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_auth_username"] = "lanhdao"
    at.query_params["tu"], at.query_params["den"] = "2024-01", "2024-12"
    return at.run()


def _chart_rows(at: AppTest, mark: str) -> list[dict]:
    """The rows of the page's Vega-Lite chart whose first layer draws `mark` (Streamlit sends the
    spec's data.values beside the spec, as Arrow)."""
    (chart,) = [c for c in at.get("vega_lite_chart")
                if json.loads(c.proto.spec)["layer"][0].get("mark", {}).get("type") == mark]
    return pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()


def test_charts_show_the_best_and_worst_20_of_a_province_the_table_every_unit(province_db, monkeypatch):
    at = _year_2024(province_db, monkeypatch)
    at.switch_page("app_pages/xep_hang.py").run()
    assert not at.exception, [e.value for e in at.exception]

    table = next(d.value for d in at.dataframe if {"Hạng", "Đơn vị", "Điểm TB"} <= set(d.value.columns))
    scored = table.dropna(subset=["Điểm TB"])
    assert len(scored) > 40                                 # a province: hundreds of units
    best, worst = list(scored["Đơn vị"].head(20)), list(scored["Đơn vị"].tail(20))

    assert at.get("plotly_chart") == [] or len(at.get("plotly_chart")) == 0
    bars = _chart_rows(at, "bar")
    # the bars' tooltips name the unit in full: "<unit> · Điểm TB: 92,5"
    assert [r["tip"].rsplit(" · Điểm TB: ", 1)[0] for r in bars] == best + worst
    heat = _chart_rows(at, "rect")
    assert len({r["unit"] for r in heat}) == 40
    assert {r["tip"].split(" · ")[0] for r in heat} == set(best + worst)
    assert any("20 đơn vị điểm cao nhất và 20 đơn vị điểm thấp nhất trong" in m.value for m in at.caption)


def test_overview_best_and_worst_five_of_a_province(province_db, monkeypatch):
    """Hundreds of units: the best 5 and the worst 5, apart, as the ranking orders them."""
    at = _year_2024(province_db, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    best, worst = [t for t in plain_tables(at) if {"Hạng", "Đơn vị", "Điểm TB"} <= set(t.columns)]
    labels = [m.value for m in at.markdown]
    assert "**5 đơn vị cao nhất**" in labels and "**5 đơn vị thấp nhất**" in labels
    assert len(best) == len(worst) == 5 and not set(best["Đơn vị"]) & set(worst["Đơn vị"])
    assert list(best["Điểm TB"]) == sorted(best["Điểm TB"], reverse=True)
    assert list(worst["Điểm TB"]) == sorted(worst["Điểm TB"])
    assert min(best["Điểm TB"]) >= max(worst["Điểm TB"])
