"""CSV bytes: BOM, dd/mm/yyyy, decimal comma, formula neutralisation; file names."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import numpy as np
import pandas as pd

from metrics import tables
from metrics.export import csv_file_name, table_csv_bytes, to_csv_bytes
from metrics.filters import Filters
from metrics_fixtures import Q1, con, warehouse  # noqa: F401


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_bytes_formats():
    df = pd.DataFrame({
        "Đơn vị": ["Xã Phước Thái", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", None],
        "Ngày": [date(2022, 1, 5), date(2022, 12, 31), None, date(2022, 1, 5), date(2022, 1, 5),
                 date(2022, 1, 5), date(2022, 1, 5), date(2022, 1, 5)],
        "Tỷ lệ (%)": [92.5, 63.63636, float("nan"), 100.0, 0.04, -0.04, -3.26, 1234.56],
        "Số hồ sơ": pd.array([1234, 0, None, 1, 2, 3, 4, 5], dtype="Int64"),
    })
    data = to_csv_bytes(df)
    assert data[:3] == b"\xef\xbb\xbf"
    assert b"\r\n" in data
    rows = parse(data)
    assert rows[0] == ["Đơn vị", "Ngày", "Tỷ lệ (%)", "Số hồ sơ"]
    assert rows[1] == ["Xã Phước Thái", "05/01/2022", "92,5", "1234"]
    assert rows[2] == ["'=HYPERLINK(\"x\")", "31/12/2022", "63,6", "0"]
    assert rows[3] == ["'+1", "", "", ""]
    assert rows[4] == ["'-2", "05/01/2022", "100,0", "1"]
    assert rows[5] == ["'@SUM(A1)", "05/01/2022", "0,0", "2"]
    assert rows[6] == ["'\tx", "05/01/2022", "0,0", "3"]  # -0.04 -> 0,0, never "-0,0"
    assert rows[7] == ["'\rx", "05/01/2022", "-3,3", "4"]  # a negative NUMBER is not neutralised
    assert rows[8] == ["", "05/01/2022", "1234,6", "5"]
    # decimal-comma floats are quoted so the comma separator stays unambiguous
    assert b'"92,5"' in data


def test_csv_timestamps_and_object_columns():
    df = pd.DataFrame({
        "Lúc": pd.to_datetime(["2022-01-05 08:30", None]),
        "Giá trị": pd.Series([13, 63.636], dtype=object),   # overview-like mixed column
        "Có": [True, False],
    })
    rows = parse(to_csv_bytes(df))
    assert rows[1] == ["05/01/2022 08:30", "13", "Có"]
    assert rows[2] == ["", "63,6", "Không"]
    obj = pd.DataFrame({"x": pd.Series([datetime(2022, 1, 5, 7, 5), date(2022, 1, 6), np.int64(3), None],
                                       dtype=object)})
    assert [r[0] for r in parse(to_csv_bytes(obj))[1:]] == ["05/01/2022 07:05", "06/01/2022", "3", ""]


def test_csv_title_lines_come_first():
    rows = parse(to_csv_bytes(pd.DataFrame({"A": [1]}), title=["Dòng 1", "=bad"]))
    assert rows == [["Dòng 1"], ["'=bad"], ["A"], ["1"]]


def test_csv_of_a_real_table(con):
    rows = parse(to_csv_bytes(tables.build("late_dossiers", con, Q1)))
    assert rows[0][:3] == ["Mã hồ sơ", "Đơn vị", "Lĩnh vực"]
    # A10: received 28/12/2021, due 03/01/2022, not returned, 87 days
    assert rows[1] == ["A10", "Xã Phước Thái", "Chứng thực", "Chứng thực bản sao", "28/12/2021", "03/01/2022",
                       "", "Quá hạn chưa trả", "87", "Đã có"]
    overview = parse(to_csv_bytes(tables.build("overview", con, Q1)))
    assert overview[1] == ["Hồ sơ tiếp nhận", "13", "4", "9"]
    # on-time rate 700/11 = 63.6 %, previous 100 %, change -36.4 points
    assert overview[6] == ["Tỷ lệ giải quyết đúng hạn (%)", "63,6", "100,0", "-36,4"]


def test_bieu06_download_has_the_title_block(con):
    rows = parse(table_csv_bytes("bieu06", con, Q1))
    assert rows[0] == ["Biểu số 06/VPCP/KSTT"]
    assert rows[2] == ["(Từ ngày 01/01/2022 đến ngày 31/03/2022)"]
    assert rows[4][0] == "(1) STT"
    assert rows[-1][:3] == ["", "Tổng cộng", "16"]


def test_csv_file_name():
    f = Filters(date(2022, 1, 1), date(2022, 3, 31))
    assert csv_file_name("tthc-tre-han", f, ["Xã Phước Hậu"]) == "tthc-tre-han_phuoc-hau_2022-01_2022-03.csv"
    assert csv_file_name("tthc-tre-han", f, []) == "tthc-tre-han_tat-ca_2022-01_2022-03.csv"
    assert csv_file_name("bieu06", f, ["Thị trấn Phước Dân", "Xã An Hải"]) == "bieu06_phuoc-dan-an-hai_2022-01_2022-03.csv"
    assert csv_file_name("Xếp hạng", f, ["a", "b", "c", "d"]) == "xep-hang_4-don-vi_2022-01_2022-03.csv"
    assert csv_file_name("late_rates", f, ["Phòng Tư pháp"]) == "late-rates_phong-tu-phap_2022-01_2022-03.csv"
