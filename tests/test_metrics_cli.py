"""python -m metrics writes exactly the bytes of shown() + to_csv_bytes (the download button)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from metrics import tables
from metrics.export import table_csv_bytes, to_csv_bytes
from metrics.filters import Filters
from metrics_fixtures import HUU_2025, Q1, warehouse  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, env_db=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WAREHOUSE_DB", None)
    if env_db:
        env["WAREHOUSE_DB"] = env_db
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


def expected(warehouse, name, filters, **options) -> bytes:
    with duckdb.connect(warehouse, read_only=True) as c:
        df = tables.shown(name, c, filters, **options)
        names = tables.selected_unit_names(c, filters)
        assert table_csv_bytes(name, c, filters, **options) == (
            to_csv_bytes(df, title=tables.bieu06_title(filters, names)) if name == "bieu06" else to_csv_bytes(df))
        return table_csv_bytes(name, c, filters, **options)


@pytest.mark.parametrize("name, extra, options", [
    ("overview", [], {}),
    ("ranking", [], {}),
    ("late_rates", ["--by", "field"], {"by": "field"}),
    ("bieu06", [], {}),
    ("commitments", ["--year", "2021"], {"year": 2021}),
    ("late_dossiers", [], {}),
])
def test_cli_writes_the_download_bytes(warehouse, tmp_path, name, extra, options):
    out = tmp_path / f"{name}.csv"
    r = run_cli(name, "--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--out", str(out), *extra)
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == expected(warehouse, name, Q1, **options)


def test_cli_stdout_commune_filter_and_env_db(warehouse):
    r = run_cli("late_rates", "--from", "2022-01-01", "--to", "2022-03-31", "--commune", HUU_2025, env_db=warehouse)
    assert r.returncode == 0, r.stderr.decode()
    f = Filters(Q1.date_from, Q1.date_to, units=(HUU_2025,))
    assert r.stdout == expected(warehouse, "late_rates", f)
    assert "Xã Phước Thái".encode() in r.stdout and b"Thu\xe1\xba\xadn" not in r.stdout  # no Phước Thuận


def test_cli_missing_db_is_a_clear_vietnamese_error(tmp_path):
    missing = tmp_path / "nope.duckdb"
    r = run_cli("overview", "--from", "2022-01-01", "--to", "2022-03-31", "--db", str(missing))
    err = r.stderr.decode()
    assert r.returncode != 0
    assert "không tìm thấy kho dữ liệu" in err and "Traceback" not in err
    assert not missing.exists()


@pytest.mark.parametrize("args, message", [
    (["--from", "2022-02-30", "--to", "2022-03-31"], "ngày không hợp lệ"),
    (["--from", "01/01/2022", "--to", "2022-03-31"], "ngày không hợp lệ"),
    (["--from", "2022-04-01", "--to", "2022-03-31"], "phải trước hoặc bằng"),
])
def test_cli_invalid_dates(warehouse, args, message):
    r = run_cli("overview", *args, "--db", warehouse)
    err = r.stderr.decode()
    assert r.returncode == 2 and message in err and "Traceback" not in err


def test_cli_unknown_table_and_unit(warehouse):
    r = run_cli("nope", "--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse)
    assert r.returncode == 2 and "lựa chọn không hợp lệ" in r.stderr.decode()
    r = run_cli("overview", "--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--commune", "xa-khong-co")
    assert r.returncode == 2 and "không có đơn vị" in r.stderr.decode() and b"Traceback" not in r.stderr


# -- the rest of the evidence (issue 8) -----------------------------------------------------------

def cli_csv(warehouse, tmp_path, *args) -> list[list[str]]:
    import csv
    import io

    out = tmp_path / "out.csv"
    r = run_cli(*args, "--db", warehouse, "--out", str(out))
    assert r.returncode == 0, r.stderr.decode()
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name, options", [
    ("satisfaction", {}), ("inspections", {}), ("staff_ratings", {}), ("commendations", {}),
    ("inspections_trend", {"by": "quarter"}),
])
def test_cli_evidence_tables_write_the_download_bytes(warehouse, tmp_path, name, options):
    out = tmp_path / f"{name}.csv"
    extra = ["--by", options["by"]] if options else []
    r = run_cli(name, "--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--out", str(out), *extra)
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == expected(warehouse, name, Q1, **options)


def test_cli_satisfaction_per_unit_responses_and_share(warehouse, tmp_path):
    table = cli_csv(warehouse, tmp_path, "satisfaction", "--from", "2022-01-01", "--to", "2022-03-31")
    head, body = table[0], {r[0]: dict(zip(table[0], r)) for r in table[1:]}
    assert head[:4] == ["Đơn vị", "Tỷ lệ rất hài lòng (%)", "Tỷ lệ hài lòng trở lên (%)", "Số phiếu"]
    assert body["Xã Phước Thái"]["Số phiếu"] == "200" and body["Xã Phước Thái"]["Tỷ lệ rất hài lòng (%)"] == "88,5"
    assert body["Xã Phước Thuận"]["Tỷ lệ rất hài lòng (%)"] == "87,0"


def test_cli_satisfaction_commune_filter(warehouse, tmp_path):
    table = cli_csv(warehouse, tmp_path, "satisfaction", "--from", "2022-01-01", "--to", "2022-03-31",
                    "--commune", "xa-phuoc-thuan")
    assert [r[0] for r in table[1:]] == ["Xã Phước Thuận"]


def test_cli_staff_ratings_cap_column(warehouse, tmp_path):
    y2026 = cli_csv(warehouse, tmp_path, "staff_ratings", "--from", "2026-01-01", "--to", "2026-12-31")
    col = y2026[0].index("Vượt tỷ lệ 20 %")
    assert {r[1]: r[col] for r in y2026[1:]} == {"Hội Khuyến học huyện": "Có", "Xã Ninh Phước": "Có",
                                                 "Xã Phước Hữu": ""}
    # 2022: the same 50 % at Phước Thuận, under a rule shown for reference: empty
    y2022 = cli_csv(warehouse, tmp_path, "staff_ratings", "--from", "2022-01-01", "--to", "2022-12-31")
    col = y2022[0].index("Vượt tỷ lệ 20 %")
    ratio = y2022[0].index("Xuất sắc / Tốt (%)")
    thuan = next(r for r in y2022[1:] if r[1] == "Xã Phước Thuận")
    assert thuan[ratio] == "50,0" and thuan[col] == ""
    assert y2022[1][0] == "2022"   # a year, not 2.022


def test_cli_inspections_and_commendations(warehouse, tmp_path):
    insp = cli_csv(warehouse, tmp_path, "inspections", "--from", "2022-01-01", "--to", "2022-03-31")
    assert insp[0][:2] == ["Đơn vị", "Vi phạm / 100 lượt kiểm tra"]
    assert insp[1][:3] == ["Xã Phước Thái", "16,7", "5"]
    comm = cli_csv(warehouse, tmp_path, "commendations", "--from", "2022-01-01", "--to", "2022-03-31")
    assert comm == [["Năm", "Đơn vị", "Hình thức", "Tổng số", "Tập thể", "Cá nhân"],
                    ["2022", "Xã Phước Thái", "Giấy khen", "2", "1", "1"],
                    ["2022", "Xã Phước Thái", "Lao động tiên tiến", "1", "0", "1"],
                    ["2022", "Xã Phước Thuận", "Giấy khen", "1", "0", "1"]]


def test_cli_by_must_fit_the_table(warehouse):
    r = run_cli("inspections_trend", "--from", "2022-01-01", "--to", "2022-03-31", "--by", "field", "--db", warehouse)
    err = r.stderr.decode()
    assert r.returncode == 2 and "year, quarter" in err and "Traceback" not in err
