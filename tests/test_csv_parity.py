"""`python -m metrics TABLE ...` writes byte for byte the CSV the page's download button gives.

On the small warehouse of tests/app_fixtures.py, period 01/2022 – 03/2022, with and without a
commune filter (Xã Phước Hậu: its registry name carries "(đến 30/06/2025)", which a period before
the merger leaves out, in the table and in the Biểu 06 title alike), for the CLI tables the pages
download (the first six, and satisfaction, inspections, staff_ratings, commendations of issue 8):

- the bytes the page's download button produces when clicked (an AppTest run of the real page;
  the button's deferred callable is executed as a click would),
- the bytes of the pure path the page takes (ui.data.table -> ui.data.csv_bytes, with
  ui.data.csv_title for Biểu 06),
- the bytes `python -m metrics` writes (a subprocess with the project's venv python)

are the same; and the table the page shows is metrics.tables.shown(...).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

try:
    from tests.app_fixtures import build_warehouse
except ImportError:  # tests/ on sys.path instead of the project root
    from app_fixtures import build_warehouse

from metrics import tables
from metrics.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)

PERIOD = ("2022-01", "2022-03")
FROM, TO = dt.date(2022, 1, 1), dt.date(2022, 3, 31)
COMMUNE = "xa-phuoc-hau"

# CLI table -> (page, download button key, the options the page passes to ui.data.table,
#               columns that identify the table the page shows)
CASES = {
    "overview": ("app_pages/tong_quan.py", "dl-overview", {}, ("Chỉ tiêu", "Kỳ này")),
    "ranking": ("app_pages/xep_hang.py", "dl-ranking", {}, ("Hạng", "Thay đổi hạng")),
    "late_rates": ("app_pages/tthc.py", "dl-late-rates-unit", {"by": "unit"}, ("Đơn vị", "Tỷ lệ quá hạn (%)")),
    "bieu06": ("app_pages/tthc.py", "dl-bieu06", {}, None),  # shown as HTML, not a dataframe
    "commitments": ("app_pages/cam_ket.py", "dl-commitments", {"year": 2022}, ("Đơn vị", "Còn thiếu")),
    "late_dossiers": ("app_pages/tthc.py", "dl-late-dossiers", {}, ("Mã hồ sơ", "Phiếu xin lỗi")),
    "satisfaction": ("app_pages/tthc.py", "dl-satisfaction-units-table", {}, ("Đơn vị", "Tỷ lệ rất hài lòng (%)")),
    "inspections": ("app_pages/van_hoa_cong_so.py", "dl-inspections", {}, ("Đơn vị", "Vi phạm / 100 lượt kiểm tra")),
    "staff_ratings": ("app_pages/van_hoa_cong_so.py", "dl-staff-ratings", {}, ("Năm", "Vượt tỷ lệ 20 %")),
    "commendations": ("app_pages/van_hoa_cong_so.py", "dl-commendations", {}, ("Năm", "Đơn vị", "Hình thức")),
}
SELECTIONS = {"all-units": (), "one-commune": (COMMUNE,)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("parity") / "wh.duckdb")


@pytest.fixture
def env(warehouse, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("WAREHOUSE_DB", str(warehouse))
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))  # a click is audited
    return warehouse


def cli_bytes(warehouse: Path, name: str, units: tuple[str, ...], out: Path) -> bytes:
    args = [PYTHON, "-m", "metrics", name, "--from", FROM.isoformat(), "--to", TO.isoformat(),
            "--db", str(warehouse), "--out", str(out)]
    for unit in units:
        args += ["--commune", unit]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WAREHOUSE_DB", None)
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    return out.read_bytes()


class _Recorder(MediaFileManager):
    """Streamlit's own media file manager, kept so a test can run a download button's deferred
    callable (what the server does when the button is clicked)."""
    instances: list["_Recorder"] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _Recorder.instances.append(self)


def run_page(page: str, units: tuple[str, ...], monkeypatch) -> tuple[AppTest, MediaFileManager]:
    import streamlit.testing.v1.app_test as app_test

    monkeypatch.setattr(app_test, "MediaFileManager", _Recorder)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_auth_username"] = "lanhdao"   # a demo viewer of .streamlit/accounts.toml
    at.query_params["tu"], at.query_params["den"] = PERIOD
    if units:
        at.query_params["xa"] = ",".join(units)
    if page == "app_pages/tong_quan.py":  # its tables are drawn once their expander is opened
        from ui.components import OVERVIEW_TABLE_EXPANDER, OVERVIEW_TREND_EXPANDER
        at.session_state[OVERVIEW_TABLE_EXPANDER] = at.session_state[OVERVIEW_TREND_EXPANDER] = True
    at.run()
    if page != "app_pages/tong_quan.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, _Recorder.instances[-1]


def clicked(at: AppTest, manager: MediaFileManager, key: str) -> bytes:
    """The bytes the download button `key` gives when clicked."""
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(buttons) == 1, [b.proto.id for b in at.get("download_button")]
    url = manager.execute_deferred(buttons[0].proto.deferred_file_id)
    return manager._storage.get_file(url.rsplit("/", 1)[1]).content


def shown_frame(at: AppTest, columns: tuple[str, ...]):
    for df in at.dataframe:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no dataframe with {columns}")


@pytest.mark.parametrize("selection", list(SELECTIONS))
@pytest.mark.parametrize("name", list(CASES))
def test_cli_csv_is_the_page_download(env, tmp_path, monkeypatch, name, selection):
    units = SELECTIONS[selection]
    page, key, options, columns = CASES[name]
    from_cli = cli_bytes(env, name, units, tmp_path / f"{name}.csv")

    at, manager = run_page(page, units, monkeypatch)
    assert clicked(at, manager, key) == from_cli

    # The pure path the page takes (ui.data caches metrics.tables.shown; the download button
    # formats that DataFrame with ui.data.csv_bytes).
    from ui import data
    f = Filters(FROM, TO, units=units)
    df = data.table(name, f, **options)
    assert data.csv_bytes(df, title=data.csv_title(name, f)) == from_cli

    # The table on the page is metrics.tables.shown(...): same columns, same rows, same order.
    with duckdb.connect(str(env), read_only=True) as con:
        expected = tables.shown(name, con, f, **options)
    if columns is not None:
        on_screen = shown_frame(at, columns)
        assert list(on_screen.columns) == list(expected.columns)
        assert len(on_screen) == len(expected)
        first = expected.columns[0]
        assert [str(v) for v in on_screen[first]] == [str(v) for v in expected[first]]
    else:  # Biểu 06: the HTML title block is the CSV's title block
        html = next(h.proto.body for h in at.get("html") if "b06" in h.proto.body)
        for line in tables.csv_title(name, f, ["Xã Phước Hậu"] if units else []):
            assert line in html


def test_the_commune_case_means_something(env, tmp_path):
    """The fixture's commune rows differ from everyone's, and its registry name carries the
    validity that the period (before 01/07/2025) leaves out, in Biểu 06's title too."""
    everyone = cli_bytes(env, "late_dossiers", (), tmp_path / "a.csv")
    one = cli_bytes(env, "late_dossiers", (COMMUNE,), tmp_path / "b.csv")
    assert everyone != one and "Xã Phước Hậu".encode() in one and b"(\xc4\x91\xe1\xba\xbfn" not in one
    title = cli_bytes(env, "bieu06", (COMMUNE,), tmp_path / "c.csv").decode("utf-8-sig").split("\r\n")
    assert title[3] == "Đơn vị: Xã Phước Hậu"
    with duckdb.connect(str(env), read_only=True) as con:
        names = dict(zip(*tables.unit_options(con)[["unit_id", "name"]].T.values))
    assert names[COMMUNE] == "Xã Phước Hậu (đến 30/06/2025)"
