"""The sign-in gate and the Dữ liệu page, through Streamlit's AppTest (real scripts, real files:
an accounts file, a DuckDB warehouse and an audit SQLite file under tmp_path)."""
from __future__ import annotations

from pathlib import Path

import shutil
import time

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from page_blocks import cards

from access import audit
from etl.load import load_files
from ui import upload
from test_auth import USERS, accounts_text

ROOT = Path(__file__).resolve().parent.parent
GATE = str(ROOT / "tests" / "apps" / "auth_gate.py")
DATA_PAGE = str(ROOT / "app_pages" / "du_lieu.py")

HEADER = "Mã hồ sơ,Tên thủ tục,Lĩnh vực,Đơn vị,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Phiếu xin lỗi\n"


def dossiers_csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


GOOD = dossiers_csv(
    "HS-1,Đăng ký khai sinh,Hộ tịch,UBND xã Phước Hậu,Trực tiếp,02/05/2023 08:00,05/05/2023,04/05/2023 10:00,",
    "HS-2,Đăng ký khai sinh,Hộ tịch,Thị trấn Phước Dân,Trực tuyến,03/05/2023 08:00,06/05/2023,09/05/2023 10:00,Có",
    "HS-3,Đăng ký khai sinh,Hộ tịch,Xã Không Có,Trực tiếp,03/05/2023 08:00,06/05/2023,,",
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(accounts_text(USERS, demo=False), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_ACCOUNTS", str(accounts))
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))
    db = tmp_path / "kho" / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    first = tmp_path / "dau.csv"
    first.write_bytes(dossiers_csv(
        "HS-0,Đăng ký khai sinh,Hộ tịch,UBND xã Phước Hậu,Trực tiếp,02/04/2023 08:00,05/04/2023,04/04/2023 10:00,"))
    [r] = load_files([first], db=db, user="dulieu")
    assert r.status == "loaded"
    return {"accounts": accounts, "db": db, "tmp": tmp_path}


def gate(**state) -> AppTest:
    at = AppTest.from_file(GATE, default_timeout=30)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [e.value for e in at.error] + [c.value for c in at.caption]
                     + [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
                     + [t.value for t in at.title])


def frame_with(at: AppTest, column: str, last: bool = False):
    """The (first or last) st.dataframe having this column (AppTest finds dataframes by index only)."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[-1] if last else frames[0]


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="_auth_form_username").input(username)
    at.text_input(key="_auth_form_password").input(password)
    return at.button[0].click().run()


# -- the gate -----------------------------------------------------------------------------------

def test_nothing_is_shown_before_signing_in(env):
    at = gate()
    assert not at.exception
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert "signed-in:" not in texts(at)
    # Who the dashboard serves today (data/reference/report.toml): not the district abolished on 01/07/2025.
    assert [c.value for c in at.caption] == ["Bảng điều khiển thi đua văn hóa công sở – UBND tỉnh Khánh Hòa"]


@pytest.mark.parametrize("username, password, marker, box", [
    # The account box says the scope once: the viewer's role already reads "(tất cả đơn vị)".
    ("lanhdao", "mat-khau-lanh-dao", "signed-in:lanhdao:viewer:*",
     ":material/person: **Lãnh đạo** · Xem số liệu (tất cả đơn vị)"),
    ("PhuocHau", "mat-khau-phuoc-hau", "signed-in:phuochau:commune_viewer:xa-phuoc-hau",
     ":material/person: **phuochau** · Xem số liệu của xã được giao · Xã Phước Hậu (đến 30/06/2025)"),
    ("dulieu", "mat-khau-du-lieu", "signed-in:dulieu:data_officer:*",
     ":material/person: **dulieu** · Cán bộ phụ trách dữ liệu · tất cả đơn vị"),
])
def test_signing_in_gives_the_role_and_scope(env, username, password, marker, box):
    at = sign_in(gate(), username, password)
    assert not at.exception
    assert marker in texts(at)
    assert [c.value for c in at.sidebar.caption if c.value.startswith(":material/person:")] == [box]
    assert [e.event for e in audit.events()] == [audit.SIGN_IN]


def test_a_wrong_password_says_so_and_shows_nothing(env):
    at = sign_in(gate(), "lanhdao", "sai-mat-khau")
    assert [e.value for e in at.error] == ["Tên đăng nhập hoặc mật khẩu không đúng."]
    assert "signed-in:" not in texts(at)
    assert [e.event for e in audit.events()] == [audit.SIGN_IN_FAILED]


def test_repeated_failures_are_slowed_down_across_sessions(env):
    for _ in range(3):
        sign_in(gate(), "dulieu", "sai")  # each a new browser session
    at = sign_in(gate(), "dulieu", "mat-khau-du-lieu")
    assert "signed-in:" not in texts(at)
    assert at.error[0].value.startswith("Đăng nhập sai nhiều lần: hãy thử lại sau ")


def test_removing_an_account_signs_it_out_at_the_next_click(env):
    at = gate(_auth_username="dulieu")
    assert "signed-in:dulieu:data_officer:*" in texts(at)
    env["accounts"].write_text(accounts_text({k: v for k, v in USERS.items() if k != "dulieu"}), encoding="utf-8")
    at.run()
    assert "signed-in:" not in texts(at) and [t.value for t in at.title] == ["Đăng nhập"]


def test_a_session_cannot_claim_an_unknown_user(env):
    at = gate(_auth_username="admin")
    assert "signed-in:" not in texts(at)


def test_a_tab_sign_in_ends_after_its_lifetime(env, monkeypatch):
    """Without app.py's cookie route, a sign-in lives in the tab's session, with the same lifetime."""
    monkeypatch.setenv("DASHBOARD_SESSION_HOURS", "1")
    at = sign_in(gate(), "lanhdao", "mat-khau-lanh-dao")
    assert "signed-in:lanhdao:viewer:*" in texts(at)
    at.session_state["_auth_since"] = at.session_state["_auth_since"] - 3601  # signed in 1 h 1 s ago
    at.run()
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại." in texts(at)
    assert [(e.username, e.event, e.target) for e in audit.events()][0] == ("lanhdao", audit.SESSION_EXPIRED, "session")


def test_a_changed_password_ends_a_tab_sign_in_at_the_next_click(env):
    at = sign_in(gate(), "phuochau", "mat-khau-phuoc-hau")
    assert "signed-in:phuochau" in texts(at)
    users = {**USERS, "phuochau": {**USERS["phuochau"], "password": "mat-khau-moi-phuoc-hau"}}
    env["accounts"].write_text(accounts_text(users), encoding="utf-8")
    at.run()
    assert "signed-in:" not in texts(at) and [t.value for t in at.title] == ["Đăng nhập"]
    assert "Tài khoản đã được thay đổi" in texts(at)
    assert audit.events()[0].event == audit.SESSION_REVOKED


def test_sign_out(env):
    at = gate(_auth_username="phuochau")
    at.button(key="_auth_sign_out").click().run()
    assert "signed-in:" not in texts(at)
    assert audit.events()[0].event == audit.SIGN_OUT


def test_demo_accounts_are_listed_only_with_a_demo_file_and_demo_data(env, monkeypatch):
    assert not gate().table  # not a demo accounts file
    monkeypatch.setenv("DASHBOARD_ACCOUNTS", str(ROOT / ".streamlit" / "accounts.toml"))
    at = gate()
    rows = at.table[0].value
    assert list(rows["Tên đăng nhập"]) == ["lanhdao", "phuochau", "ninhphuoc", "dulieu"]
    assert "PhuocHau@2025" in list(rows["Mật khẩu"])
    assert not gate(_test_is_demo=False).table  # real data: the published passwords are not shown


def test_without_accounts_nothing_is_shown(env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ACCOUNTS", str(env["tmp"] / "khong-co.toml"))
    at = gate()
    assert [t.value for t in at.title] == ["Chưa cấu hình đăng nhập"]
    assert "signed-in:" not in texts(at)


def test_a_broken_accounts_file_shows_nothing_but_the_reason(env):
    env["accounts"].write_text('[users.x]\nrole = "sieu-quan-tri"\n', encoding="utf-8")
    at = gate(_auth_username="x")
    assert "vai trò «sieu-quan-tri» không hợp lệ" in at.error[0].value
    assert "signed-in:" not in texts(at)


# -- the Dữ liệu page ---------------------------------------------------------------------------

def data_page(username: str = "dulieu") -> AppTest:
    at = AppTest.from_file(DATA_PAGE, default_timeout=60)
    at.session_state["_auth_username"] = username
    return at.run()


def facts(db: Path) -> list[tuple]:
    # A copy: DuckDB shares one database instance per path within a process, and the page's
    # Reader (same process under AppTest) may still hold the file it opened before the load.
    copy = db.with_name(f"copy-{time.monotonic_ns()}.duckdb")
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        return con.execute("SELECT dossier_id, unit_id FROM dossiers ORDER BY 1").fetchall()
    finally:
        con.close()
        copy.unlink()


@pytest.mark.parametrize("username", ["lanhdao", "phuochau"])
def test_only_data_officers_get_the_data_page(env, username):
    at = data_page(username)
    assert [e.value for e in at.error] == ["Trang này chỉ dành cho cán bộ phụ trách dữ liệu."]
    assert not at.get("file_uploader")


def shown_cells(element) -> pd.DataFrame:
    """What a styled st.dataframe draws in its cells (the Styler's display values), as text."""
    import pyarrow as pa

    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_pandas()


def test_rejected_rows_table_shows_a_dash_for_an_empty_value(env):
    """A row rejected for an empty cell: the rejects table says "–" where the file had nothing,
    not the grid's grey "None" (the preview's table and the load history's)."""
    at = data_page()
    at.get("file_uploader")[0].set_value([("thieu-ngay.csv", dossiers_csv(
        "HS-1,Đăng ký khai sinh,Hộ tịch,UBND xã Phước Hậu,Trực tiếp,,05/05/2023,04/05/2023 10:00,",
        "HS-2,Đăng ký khai sinh,Hộ tịch,Thị trấn Phước Dân,Trực tuyến,03/05/2023 08:00,06/05/2023,09/05/2023 10:00,Có"),
        "text/csv")])
    at.run()
    assert not at.exception
    [preview] = [d for d in at.dataframe if "Giá trị trong tệp" in d.value.columns]
    cells = shown_cells(preview)
    assert list(cells["Dòng"]) == ["2"] and list(cells["Giá trị trong tệp"]) == ["–"], cells
    at.button(key="du-lieu-commit").click().run()
    assert not at.exception
    history = [d for d in at.dataframe if "Giá trị trong tệp" in d.value.columns][-1]
    cells = shown_cells(history)
    assert list(cells["Dòng"]) == ["2"] and list(cells["Giá trị trong tệp"]) == ["–"], cells


def test_preview_then_commit(env):
    db = env["db"]
    before = db.read_bytes()
    at = data_page()
    at.get("file_uploader")[0].set_value([("thang5.csv", GOOD, "text/csv"),
                                          ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/csv")])
    at.run()
    assert not at.exception
    shown = texts(at)
    # per file: the kind, counts, period, rejects with reasons; the bad file's message
    assert "**thang5.csv** — Sẵn sàng nạp" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Loại dữ liệu": "hồ sơ TTHC", "Số dòng đọc": "3", "Sẽ nạp": "2", "Dòng bị loại": "1"}
    assert "Thời gian dữ liệu trong tệp: **02/05/2023 – 03/05/2023**" in shown
    rejects = at.dataframe[1].value if len(at.dataframe) > 1 else None
    mapping = at.dataframe[0].value
    assert dict(zip(mapping["Cột trong tệp"], mapping["Trường dữ liệu"]))["Ngày tiếp nhận"]
    assert list(rejects["Dòng"]) == [4]
    assert list(rejects["Lý do"]) == ["Đơn vị «Xã Không Có» không có trong danh mục đơn vị (data/reference/units.csv)"]
    # where the accepted names are: the tab Danh mục đơn vị
    assert [c.value for c in at.caption if "Danh mục đơn vị" in c.value] == [upload.UNKNOWN_UNIT_HINT]
    assert ("Tệp «anh.csv» không phải CSV hay Excel (.xlsx): nội dung là dữ liệu nhị phân."
            in [e.value for e in at.error])
    assert db.read_bytes() == before  # nothing written by a preview
    assert [e.event for e in audit.events()] == [audit.UPLOAD]

    at.button(key="du-lieu-commit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Đã nạp 1 tệp (2 dòng).")
    # the load's progress, by stage with its rows: 3 read, 3 checked, 2 written (one unknown unit)
    assert [s.label for s in at.status] == ["Tiến trình nạp"]
    assert "- Tệp «thang5.csv» (1/1): Đọc tệp 3 dòng · Kiểm tra 3 dòng · Ghi vào kho 2 dòng" in texts(at)
    assert facts(db) == [("HS-0", "xa-phuoc-hau"), ("HS-1", "xa-phuoc-hau"), ("HS-2", "tt-phuoc-dan")]
    hist = frame_with(at, "SHA-256")
    assert list(hist["Tệp"]) == ["thang5.csv", "dau.csv"]
    assert list(hist["Người nạp"]) == ["dulieu", "dulieu"]
    assert list(hist["Số dòng bị loại"]) == [1, 0]
    assert len(hist["SHA-256"][0]) == 64
    batch_rejects = frame_with(at, "Giá trị trong tệp", last=True)
    assert list(batch_rejects["Lý do"]) == [
        "Đơn vị «Xã Không Có» không có trong danh mục đơn vị (data/reference/units.csv)"]
    ev = audit.events()
    assert [e.event for e in ev][:2] == [audit.LOAD, audit.UPLOAD]
    assert ev[0].detail["files"][0]["status"] == "loaded" and ev[0].username == "dulieu"
    assert not any((db.parent / "uploads").iterdir())  # the staged copies are gone


def test_cancel_writes_nothing(env):
    db = env["db"]
    before = db.read_bytes()
    at = data_page()
    at.get("file_uploader")[0].set_value(("thang5.csv", GOOD, "text/csv"))
    at.run()
    at.button(key="du-lieu-cancel").click().run()
    assert db.read_bytes() == before
    assert [e.event for e in audit.events()][:2] == [audit.LOAD_CANCELLED, audit.UPLOAD]
    assert not any((db.parent / "uploads").iterdir())


def test_the_same_file_twice_changes_nothing(env):
    at = data_page()
    at.get("file_uploader")[0].set_value(("dau-lai.csv", (env["tmp"] / "dau.csv").read_bytes(), "text/csv"))
    at.run()
    assert "**dau-lai.csv** — Đã nạp trước đó" in texts(at)
    assert at.button(key="du-lieu-commit").disabled


def test_freshness_lists_units_missing_the_latest_month(env):
    load_files([_write(env["tmp"] / "t5.csv", GOOD)], db=env["db"])
    at = data_page()
    fresh = frame_with(at, "Hồ sơ TTHC: tháng mới nhất")
    assert dict(zip(fresh["Đơn vị"], fresh["Hồ sơ TTHC: tháng mới nhất"])) == {
        "Thị trấn Phước Dân": "05/2023", "Xã Phước Hậu": "05/2023"}
    assert any(s.value.startswith("**Hồ sơ TTHC** — mới nhất tháng 05/2023; mọi đơn vị đều đã có.") for s in at.success)
    only_april = dossiers_csv(
        "HS-9,Đăng ký khai sinh,Hộ tịch,Thị trấn Phước Dân,Trực tiếp,02/06/2023 08:00,05/06/2023,04/06/2023 10:00,")
    load_files([_write(env["tmp"] / "t6.csv", only_april)], db=env["db"])
    at = data_page()
    assert [w.value for w in at.warning] == [
        "**Hồ sơ TTHC** — mới nhất tháng 06/2023; 1 đơn vị chưa có số liệu tháng 06/2023: Xã Phước Hậu."]


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


def test_the_page_works_before_the_first_load(tmp_path, monkeypatch):
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(accounts_text(USERS), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_ACCOUNTS", str(accounts))
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "moi" / "warehouse.duckdb"))
    at = data_page()
    assert not at.exception
    at.get("file_uploader")[0].set_value(("thang5.csv", GOOD, "text/csv"))
    at.run()
    at.button(key="du-lieu-commit").click().run()
    assert facts(tmp_path / "moi" / "warehouse.duckdb") == [("HS-1", "xa-phuoc-hau"), ("HS-2", "tt-phuoc-dan")]


# -- through dashboard.py -----------------------------------------------------------------------

APP = str(ROOT / "dashboard.py")
APP_PAGES = ["app_pages/tong_quan.py", "app_pages/xep_hang.py", "app_pages/tthc.py", "app_pages/cam_ket.py",
             "app_pages/van_hoa_cong_so.py"]


@pytest.fixture
def dashboard_env(tmp_path, monkeypatch):
    """The page-test warehouse (tests/app_fixtures.py: Xã Phước Hậu, Thị trấn Phước Dân, Phòng Tư
    pháp) and the demo accounts of .streamlit/accounts.toml."""
    from app_fixtures import build_warehouse

    monkeypatch.delenv("DASHBOARD_ACCOUNTS", raising=False)
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))
    db = build_warehouse(tmp_path / "wh.duckdb")
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    return db


def dashboard(username: str | None, params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if username:
        at.session_state["_auth_username"] = username
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def all_text(at: AppTest) -> str:
    frames = " ".join(d.value.to_csv() for d in at.dataframe)
    return texts(at) + " " + frames + " " + " ".join(m.value for m in cards(at))


def test_the_dashboard_shows_nothing_before_sign_in(dashboard_env):
    at = dashboard(None)
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert not cards(at) and not at.metric and not at.dataframe[1:] and "Phòng Tư pháp" not in all_text(at)
    # the demo accounts are listed: the warehouse is the demo (app_fixtures marks it so)
    assert "lanhdao" in list(at.table[0].value["Tên đăng nhập"])


@pytest.mark.parametrize("page_file", APP_PAGES)
def test_a_commune_viewer_sees_only_its_commune_even_when_the_url_asks_for_another(dashboard_env, page_file):
    at = dashboard("phuochau", {"xa": ["tt-phuoc-dan", "p-tu-phap"], "tu": "2022-01", "den": "2022-03"}, page_file)
    assert not at.exception, [e.value for e in at.exception]
    public = [d.value for d in at.dataframe if "Hạng kỳ trước" in d.value.columns]
    if page_file == "app_pages/xep_hang.py":
        # Xếp hạng: the public ranking of the communes (issue 13, docs/access.md): Thị trấn Phước
        # Dân's score and rank, none of its counts; no unit of another kind.
        (ranking,) = public
        assert list(ranking["Đơn vị"]) == ["Xã Phước Hậu", "Thị trấn Phước Dân"]  # 86,7 / 70,0
        other = ranking[ranking["Đơn vị"] == "Thị trấn Phước Dân"]
        assert other[["Số kỳ đánh giá", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành"]].isna().all().all()
    else:
        assert not public
    text = texts(at) + " " + " ".join(d.value.to_csv() for d in at.dataframe
                                      if "Hạng kỳ trước" not in d.value.columns)
    text += " " + " ".join(m.value for m in cards(at))
    assert "Thị trấn Phước Dân" not in text and "Phòng Tư pháp" not in text
    options = at.multiselect(key="xa").options
    assert options == ["Xã Phước Hậu (đến 30/06/2025)"]  # the one unit of its scope (pre-2025 commune)


def test_a_commune_viewers_tables_hold_its_numbers_only(dashboard_env):
    at = dashboard("phuochau", {"tu": "2022-03", "den": "2022-03"})
    # 03/2022, Xã Phước Hậu alone (app_fixtures): 5 received, 4 returned.
    assert {m.label: m.value for m in cards(at)}["Hồ sơ tiếp nhận"] == "5"
    assert {m.label: m.value for m in cards(at)}["Hồ sơ đã giải quyết"] == "4"
    everyone = dashboard("lanhdao", {"tu": "2022-03", "den": "2022-03"})
    assert {m.label: m.value for m in cards(everyone)}["Hồ sơ tiếp nhận"] == "9"


def test_only_data_officers_get_the_data_page_in_the_menu(dashboard_env):
    officer = dashboard("dulieu")
    viewer = dashboard("lanhdao")
    assert not officer.exception and not viewer.exception
    officer.switch_page("app_pages/du_lieu.py").run()
    assert [t.value for t in officer.title] == ["Dữ liệu"] and officer.get("file_uploader")
    assert "Dữ liệu" not in [link.label for link in viewer.get("page_link")]
    try:  # not in a viewer's navigation: Streamlit refuses, or the page itself does
        viewer.switch_page("app_pages/du_lieu.py").run()
    except Exception:
        return
    assert not viewer.get("file_uploader")


def test_a_data_officer_can_load_the_first_files_into_an_empty_deployment(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_ACCOUNTS", raising=False)
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "none" / "warehouse.duckdb"))
    viewer = dashboard("lanhdao")
    assert "make run" in " ".join(w.value for w in viewer.warning)   # no data yet, says how
    officer = dashboard("dulieu")
    assert [t.value for t in officer.title] == ["Dữ liệu"] and officer.get("file_uploader")


def test_downloads_are_recorded_when_clicked_not_when_drawn(dashboard_env):
    dashboard("phuochau", page="app_pages/tthc.py")
    assert [e.event for e in audit.events()] == []  # drawing a download button records nothing


def test_blank_templates_of_every_kind_are_offered(env):
    from etl.templates import TEMPLATE_KINDS, label

    at = data_page()
    assert not at.exception
    assert "#### Mẫu tệp" in [m.value for m in at.markdown]
    offered = [b.proto.label for b in at.get("download_button") if b.proto.id and "mau-" in b.proto.id]
    # four columns, so the tree lists them column by column
    assert sorted(offered) == sorted(["Hồ sơ TTHC", "Đánh giá, xếp loại", "Cam kết", "Khảo sát sự hài lòng",
                                      "Kiểm tra đột xuất", "Xếp loại CBCCVC cuối năm", "Khen thưởng"])
    assert len(offered) == len(TEMPLATE_KINDS) and set(offered) == {label(k) for k in TEMPLATE_KINDS}


def test_unit_registry_lists_what_a_load_recognises(env):
    """The Danh mục đơn vị tab: data/reference/units.csv as the next load reads it (34 units, by
    hand from the file: 30 until 30/06/2025, the 4 new communes from 01/07/2025)."""
    at = data_page()
    assert not at.exception
    units = frame_with(at, "Cách ghi khác được nhận")
    assert list(units.columns) == ["Đơn vị", "Loại đơn vị", "Cấp", "Từ ngày", "Đến ngày", "Sáp nhập vào",
                                   "Cách ghi khác được nhận", "Mã đơn vị"]
    assert len(units) == 34
    assert "34 đơn vị, 4 đơn vị đang hoạt động." in texts(at)
    # The units in office first, then those that ended, each in Vietnamese order (Phước Thái before
    # Phước Thuận); the two Xã Phước Hậu told apart by their dates.
    names = list(units["Đơn vị"])
    assert names[:5] == ["Xã Ninh Phước", "Xã Phước Dinh", "Xã Phước Hậu", "Xã Phước Hữu",
                         "Ban Quản lý dự án đầu tư xây dựng"]
    assert names.index("Xã Phước Thái") < names.index("Xã Phước Thuận")
    row = {r["Mã đơn vị"]: r for r in units.to_dict("records")}
    assert (row["p-tu-phap"]["Loại đơn vị"], row["p-tu-phap"]["Cấp"]) == ("Phòng ban chuyên môn", "Cấp huyện")
    assert (row["xa-phuoc-thai"]["Cấp"], row["xa-phuoc-thai"]["Sáp nhập vào"]) == ("Cấp xã", "Xã Phước Hữu")
    assert "Trung tâm Phục vụ hành chính công xã Ninh Phước" in row["xa-ninh-phuoc"]["Cách ghi khác được nhận"]
    assert [str(row[u]["Từ ngày"])[:10] for u in ("xa-phuoc-hau", "xa-phuoc-hau-2025")] == ["2000-01-01", "2025-07-01"]
    assert row["xa-phuoc-hau-2025"]["Đến ngày"] is None or pd.isna(row["xa-phuoc-hau-2025"]["Đến ngày"])
