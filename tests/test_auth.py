"""Accounts file, argon2 passwords, the sign-in throttle and the audit trail (no Streamlit)."""
from __future__ import annotations

import datetime as dt
import sqlite3
import tomllib
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from access import accounts, audit, passwords, throttle

ROOT = Path(__file__).resolve().parent.parent
# Cheap hashes for tests only (the parameters travel inside the hash; the dashboard hashes with
# passwords.HASHER's OWASP parameters).
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def accounts_text(users: dict[str, dict], demo: bool = False) -> str:
    lines = ["[settings]", f"demo = {'true' if demo else 'false'}", ""]
    for name, u in users.items():
        lines.append(f'[users."{name}"]')
        for k, v in u.items():
            if k == "password":
                lines.append(f'password_hash = "{FAST.hash(v)}"')
            elif isinstance(v, list):
                lines.append(f"{k} = [{', '.join(repr(x).replace(chr(39), chr(34)) for x in v)}]")
            else:
                lines.append(f'{k} = "{v}"')
        lines.append("")
    return "\n".join(lines)


USERS = {
    "lanhdao": {"role": "viewer", "name": "Lãnh đạo", "password": "mat-khau-lanh-dao"},
    "phuochau": {"role": "commune_viewer", "communes": ["xa-phuoc-hau"], "password": "mat-khau-phuoc-hau"},
    "dulieu": {"role": "data_officer", "password": "mat-khau-du-lieu"},
}


@pytest.fixture
def accounts_file(tmp_path) -> Path:
    p = tmp_path / "accounts.toml"
    p.write_text(accounts_text(USERS), encoding="utf-8")
    return p


@pytest.fixture
def audit_db(tmp_path, monkeypatch) -> Path:
    p = tmp_path / "audit.sqlite"
    monkeypatch.setenv("AUDIT_DB", str(p))
    return p


# -- the accounts file --------------------------------------------------------------------------

def test_accounts_file_gives_roles_and_scopes(accounts_file):
    acc = accounts.load_accounts(accounts_file)
    assert acc.get("lanhdao").user() == accounts.User("lanhdao", "viewer", None)
    assert acc.get("PhuocHau ").user() == accounts.User("phuochau", "commune_viewer", ("xa-phuoc-hau",))
    assert acc.get("dulieu").user() == accounts.User("dulieu", "data_officer", None)
    assert acc.get("khong-co") is None


@pytest.mark.parametrize("entry, expected", [
    ({"role": "admin"}, "vai trò «admin» không hợp lệ"),
    ({"role": "commune_viewer"}, "vai trò commune_viewer cần danh sách communes"),
    ({"role": "commune_viewer", "communes": ["xa-khong-co"]}, "mã đơn vị không có trong data/reference/units.csv: xa-khong-co"),
])
def test_a_wrong_account_is_refused_with_the_reason(tmp_path, entry, expected):
    p = tmp_path / "a.toml"
    p.write_text(accounts_text({"x": entry}), encoding="utf-8")
    with pytest.raises(accounts.AccountsError) as e:
        accounts.load_accounts(p)
    assert expected in str(e.value)


def test_a_plain_text_password_is_refused(tmp_path):
    p = tmp_path / "a.toml"
    p.write_text('[users.x]\nrole = "viewer"\npassword_hash = "matkhau123"\n', encoding="utf-8")
    with pytest.raises(accounts.AccountsError, match="password_hash phải là chuỗi argon2"):
        accounts.load_accounts(p)


def test_no_accounts_file_means_unconfigured(tmp_path):
    assert accounts.load_accounts(tmp_path / "none.toml") is None
    assert accounts.sign_in_mode({}, None) == "unconfigured"
    assert accounts.sign_in_mode({"auth": {"redirect_uri": "x"}}, None) == "oidc"


def test_the_accounts_file_is_reread_when_it_changes(accounts_file):
    assert accounts.load_accounts(accounts_file).get("dulieu") is not None
    users = {k: v for k, v in USERS.items() if k != "dulieu"}
    accounts_file.write_text(accounts_text(users) + "\n# changed\n", encoding="utf-8")
    assert accounts.load_accounts(accounts_file).get("dulieu") is None


def test_the_demo_accounts_file_is_valid_and_documented():
    """The committed file: argon2id hashes that match the published demo passwords, every role,
    and docs/access.md lists every demo user name and password."""
    acc = accounts.load_accounts(ROOT / ".streamlit" / "accounts.toml")
    assert acc.demo
    assert {a.role for a in acc.accounts.values()} == {"viewer", "commune_viewer", "data_officer"}
    doc = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    for a in acc.accounts.values():
        assert a.password_hash.startswith("$argon2id$")
        assert passwords.password_matches(a, a.demo_password)
        assert f"`{a.username}`" in doc and f"`{a.demo_password}`" in doc
    raw = tomllib.loads((ROOT / ".streamlit" / "accounts.toml").read_text(encoding="utf-8"))
    assert all("password" not in u for u in raw["users"].values())  # never a plain password field


def test_an_accounts_units_are_named_as_the_sidebar_names_them(tmp_path):
    units_csv = tmp_path / "units.csv"
    units_csv.write_text(
        "unit_id,name,kind,valid_from,valid_to,successor_id\n"
        "old,Xã Phước Hậu,commune,2000-01-01,2025-06-30,new\n"
        "new,Xã Phước Hậu,commune,2025-07-01,,\n"
        "dept,Phòng Tư pháp,department,2000-01-01,2025-06-30,\n", encoding="utf-8")
    assert accounts.unit_names(("old", "new", "dept", "gone"), units_csv) == [
        "Xã Phước Hậu (đến 30/06/2025)", "Xã Phước Hậu (từ 01/07/2025)", "Phòng Tư pháp", "gone"]
    assert accounts.unit_names((), units_csv) == [] and accounts.unit_names(None, units_csv) == []


def test_demo_passwords_are_ignored_outside_a_demo_file(tmp_path):
    p = tmp_path / "a.toml"
    p.write_text(accounts_text({"x": {"role": "viewer", "password": "abcdefghijk", "demo_password": "abcdefghijk"}}),
                 encoding="utf-8")
    assert accounts.load_accounts(p).get("x").demo_password is None


# -- passwords ----------------------------------------------------------------------------------

def test_passwords_are_argon2id_and_checked(accounts_file, audit_db):
    h = passwords.hash_password("một mật khẩu dài")
    assert h.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    acc = accounts.load_accounts(accounts_file)
    ok = passwords.attempt_sign_in(acc, "LanhDao", "mat-khau-lanh-dao")
    assert ok.account.username == "lanhdao" and ok.message == ""
    bad = passwords.attempt_sign_in(acc, "lanhdao", "sai")
    assert bad.account is None and bad.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    nobody = passwords.attempt_sign_in(acc, "khong-co", "mat-khau-lanh-dao")
    assert nobody.account is None and nobody.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert passwords.attempt_sign_in(acc, "", "").message == "Hãy nhập tên đăng nhập và mật khẩu."


def test_an_account_without_password_cannot_sign_in_with_one(tmp_path, audit_db):
    p = tmp_path / "a.toml"
    p.write_text('[users."a@ubnd.gov.vn"]\nrole = "viewer"\n', encoding="utf-8")
    acc = accounts.load_accounts(p)
    assert passwords.attempt_sign_in(acc, "a@ubnd.gov.vn", "").account is None
    assert passwords.attempt_sign_in(acc, "a@ubnd.gov.vn", "anything").account is None


# -- throttle -----------------------------------------------------------------------------------

def test_delays_grow_after_three_failures():
    assert [throttle.delay_after(n) for n in range(0, 9)] == [0, 0, 0, 2, 4, 8, 16, 32, 64]
    assert throttle.delay_after(30) == 300


def test_repeated_failures_slow_the_next_attempt_down(accounts_file, audit_db):
    acc = accounts.load_accounts(accounts_file)
    for _ in range(2):
        assert passwords.attempt_sign_in(acc, "dulieu", "sai").message == "Tên đăng nhập hoặc mật khẩu không đúng."
    third = passwords.attempt_sign_in(acc, "dulieu", "sai")
    assert third.message == ("Tên đăng nhập hoặc mật khẩu không đúng. Đã sai 3 lần liên tiếp: "
                             "lần thử tiếp theo sau 2 giây.")
    # Even the right password is not checked during the wait.
    refused = passwords.attempt_sign_in(acc, "dulieu", "mat-khau-du-lieu")
    assert refused.account is None
    assert refused.message.startswith("Đăng nhập sai nhiều lần: hãy thử lại sau ")
    assert 1 <= refused.retry_after <= 2
    # Other users are not affected.
    assert passwords.attempt_sign_in(acc, "lanhdao", "mat-khau-lanh-dao").account is not None
    events = [e.event for e in audit.events(username="dulieu")]
    assert events == [audit.SIGN_IN_REFUSED, audit.SIGN_IN_FAILED, audit.SIGN_IN_FAILED, audit.SIGN_IN_FAILED]


def test_the_wait_is_measured_from_the_last_failure(audit_db):
    t0 = dt.datetime(2025, 6, 1, 8, 0, 0)
    for i in range(5):  # five failures: wait 8 s after the last
        audit.record(audit.SIGN_IN_FAILED, "x", at=t0 + dt.timedelta(seconds=i))
    last = t0 + dt.timedelta(seconds=4)
    assert throttle.retry_after("x", now=last) == 8
    assert throttle.retry_after("x", now=last + dt.timedelta(seconds=5)) == 3
    assert throttle.retry_after("x", now=last + dt.timedelta(seconds=8)) == 0
    # a success resets the count
    audit.record(audit.SIGN_IN, "x", at=last + dt.timedelta(seconds=9))
    assert throttle.failures_since_success("x", now=last + dt.timedelta(seconds=10))[0] == 0
    # failures older than the window are forgotten
    assert throttle.failures_since_success("x", now=last + throttle.WINDOW + dt.timedelta(seconds=10))[0] == 0


# -- audit trail --------------------------------------------------------------------------------

def test_audit_is_sqlite_in_wal_mode_beside_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_DB", raising=False)
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "kho" / "warehouse.duckdb"))
    assert audit.audit_path() == tmp_path / "kho" / "audit.sqlite"
    audit.record(audit.DOWNLOAD, "lanhdao", "tthc.csv", {"rows": 3})
    con = sqlite3.connect(tmp_path / "kho" / "audit.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT username, event, target, detail FROM audit_events").fetchall() == [
        ("lanhdao", "download", "tthc.csv", '{"rows": 3}')]


def test_audit_values_are_parameters_not_sql(audit_db):
    nasty = "x'); DROP TABLE audit_events; --"
    audit.record(audit.SIGN_IN_FAILED, nasty, nasty)
    [e] = audit.events()
    assert e.username == nasty and e.target == nasty


def test_a_tracked_download_is_recorded_when_it_is_produced(audit_db):
    produce = audit.tracked_download(lambda: b"a,b\n1,2\n", "phuochau", "tre-han.csv", {"table": "late_dossiers"})
    assert audit.events() == []  # drawing the button records nothing
    assert produce() == b"a,b\n1,2\n"
    [e] = audit.events()
    assert (e.username, e.event, e.target, e.detail) == ("phuochau", "download", "tre-han.csv",
                                                         {"table": "late_dossiers", "bytes": 8})


@pytest.mark.parametrize("module", ["access", "ui.auth"])  # ui.auth: the older name, kept
def test_the_hash_and_check_commands(module):
    import subprocess
    import sys

    py = ROOT / ".venv" / "bin" / "python"
    res = subprocess.run([str(py if py.exists() else sys.executable), "-m", module, "hash"], cwd=ROOT,
                         input="mot-mat-khau-dai\n", capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    h = res.stdout.strip()
    assert h.startswith("$argon2id$") and passwords.HASHER.verify(h, "mot-mat-khau-dai")
    res = subprocess.run([str(py if py.exists() else sys.executable), "-m", module, "check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "dulieu" in res.stdout and "CẢNH BÁO" in res.stdout


def test_the_key_command_prints_a_fresh_long_key():
    import subprocess
    import sys

    py = ROOT / ".venv" / "bin" / "python"
    run = lambda: subprocess.run([str(py if py.exists() else sys.executable), "-m", "access", "key"], cwd=ROOT,
                                 capture_output=True, text=True, timeout=60).stdout.strip()
    a, b = run(), run()
    assert len(a) >= 32 and a != b and "\n" not in a


def test_the_proxy_mode_comes_from_trusted_user_headers(accounts_file):
    acc = accounts.load_accounts(accounts_file)
    headers = {"X-Vhcs-User": "username"}
    assert accounts.sign_in_mode({}, acc, headers) == "proxy"
    assert accounts.sign_in_mode({"auth": {"redirect_uri": "x"}}, acc, headers) == "proxy"  # the proxy wins
    assert accounts.sign_in_mode({}, None, headers) == "unconfigured"  # no accounts: no roles: nothing
    assert accounts.sign_in_mode({}, acc, {}) == "accounts"


def test_access_has_no_streamlit_and_etl_knows_no_sign_ins():
    """access/ is pure Python (Streamlit-free), and etl/ no longer holds anything about sign-ins."""
    import ast

    for path in (ROOT / "access").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in names if m.split(".")[0] == "streamlit"], path
    assert not (ROOT / "etl" / "audit.py").exists()
    for path in (ROOT / "etl").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sign_in" not in text and "audit" not in text, path


def test_the_upload_limit_is_set_and_documented():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = config["server"]["maxUploadSize"]
    assert limit == 100
    assert f"at most {limit} MB per file" in (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
