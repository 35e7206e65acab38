"""20 browser sessions read the dashboard while a load commits: no errors, and every session sees
the old state or the new one, never a mix (design: docs/loading.md, "Atomicity and readers").
The 20 sessions are signed in by the session cookie alone (access/, docs/access.md): one browser
signs in once, the 20 contexts start with its cookie and none of them is shown the sign-in page.

Real sessions (20 Chromium contexts, each its own Streamlit session over its own WebSocket)
against the real server of conftest.py (`app_url`), reading the warehouse that server reads. The
load runs in this process through etl.load.load_files, held open inside its transaction for a few
seconds so that the sessions' reruns fall before, during and after the swap.

What a "mix" would look like: the load adds N dossiers received AND returned in the default
period, so the overview's "Hồ sơ tiếp nhận" and "Hồ sơ đã giải quyết" move together by N. A
session that saw one moved and not the other, or any other pair of numbers, saw a mix.

The warehouse is put back byte-for-byte afterwards (atomically, like a load), so the other
browser tests keep their expected numbers.
"""
from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import shutil
import threading
import time
from pathlib import Path


from .conftest import VIEWER, new_page
from .helpers import SIGN_IN_TITLE, goto, metric_value, sign_in, title, wait_for_app

SESSIONS = 20
NEW_DOSSIERS = 40
HOLD_SECONDS = 4.0


def _signed_in_state(browser, app_url: str) -> dict:
    """The cookies of a browser that signed in once through the sign-in page."""
    ctx, page = new_page(browser)
    try:
        goto(page, f"{app_url}/")
        assert page.e2e_signed_in and title(page) != SIGN_IN_TITLE
        state = ctx.storage_state()
        assert any(c["name"] == "vhcs_phien" for c in state["cookies"]), "no session cookie after signing in"
        return state
    finally:
        ctx.close()


def _sign_in_if_asked(page) -> None:
    """A session that reached the sign-in page signs in (a page opened without the cookie)."""
    page.wait_for_selector('[data-testid="stMain"] h1')
    if title(page) == SIGN_IN_TITLE:
        sign_in(page, *VIEWER)


def _metric(page, label: str) -> int:
    return int(metric_value(page, label).replace(".", ""))


def _state(page) -> tuple[int, int]:
    return _metric(page, "Hồ sơ tiếp nhận"), _metric(page, "Hồ sơ đã giải quyết")


def _errors(page) -> list[str]:
    return (page.locator('[data-testid="stException"]').all_inner_texts()
            + page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
            + list(page.js_errors))


def _new_dossiers(path: Path) -> Path:
    """N dossiers of Phòng Tư pháp received and returned early in 06/2024 (the default period)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị tiếp nhận", "Hình thức nộp",
                    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi"])
        for i in range(NEW_DOSSIERS):
            day = 3 + i % 20
            w.writerow([f"TAI-{i:04d}", "Chứng thực bản sao", "Chứng thực", "Phòng Tư pháp", "Trực tiếp",
                        f"{day:02d}/06/2024 08:00", f"{day + 5:02d}/06/2024 17:00", f"{day + 1:02d}/06/2024 09:00", ""])
    return path


@contextlib.contextmanager
def _restored(db: Path, work: Path):
    """Put the warehouse back as it was, swapped in atomically under the writers' lock."""
    saved = work / "before.duckdb"
    shutil.copyfile(db, saved)
    try:
        yield
    finally:
        tmp = db.with_name(f".{db.name}.restore.tmp")
        shutil.copyfile(saved, tmp)
        with open(db.with_name(db.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            os.replace(tmp, db)


def load_while_sessions_click(pages, warehouse: Path, tmp_path: Path) -> None:
    """Load NEW_DOSSIERS into `warehouse` (held open HOLD_SECONDS in its transaction) while every
    page reruns again and again; assert: no errors, every state seen is the old or the new one,
    no session goes back, and every session shows the new data after the load. The warehouse is
    restored afterwards. Shared with test_replicas_behind_nginx.py."""
    from etl.load import load_files
    from etl.warehouse import file_version

    old = {_state(p) for p in pages}
    assert len(old) == 1, f"the sessions disagree before any load: {old}"
    [old] = old
    new = (old[0] + NEW_DOSSIERS, old[1] + NEW_DOSSIERS)

    with _restored(warehouse, tmp_path):
        version_before = file_version(warehouse)
        inside, result, failure = threading.Event(), [], []

        def hold(con):
            inside.set()
            time.sleep(HOLD_SECONDS)

        def load():
            try:
                result.extend(load_files([_new_dossiers(tmp_path / "them_ho_so_06_2024.csv")],
                                         db=warehouse, user="e2e", after_insert=hold))
            except BaseException as e:  # reported below
                failure.append(e)

        loader = threading.Thread(target=load)
        loader.start()
        assert inside.wait(30), "the load did not start"

        seen: list[list[tuple[int, int]]] = [[] for _ in pages]
        rounds_during = rounds_after = first_after = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            running = loader.is_alive()
            # Every session reruns at once (the server serves them concurrently) ...
            for page in pages:
                page.locator('[data-testid="stSidebar"] button', has_text="Đặt lại bộ lọc").click(no_wait_after=True)
            # ... then each is read when its run is over.
            for i, page in enumerate(pages):
                wait_for_app(page, timeout=90_000)
                assert _errors(page) == [], f"session {i}: {_errors(page)}"
                seen[i].append(_state(page))
            if running:
                rounds_during += 1
            else:
                first_after = len(seen[0]) - 1 if rounds_after == 0 else first_after
                rounds_after += 1
                if all(s[-1] == new for s in seen) or rounds_after >= 5:
                    break
        loader.join(60)
        assert not failure, failure
        assert [r.status for r in result] == ["loaded"] and result[0].rows_to_load == NEW_DOSSIERS
        assert file_version(warehouse) != version_before

        mixes = {s for states in seen for s in states} - {old, new}
        assert not mixes, f"states that are neither the old {old} nor the new {new}: {mixes}"
        assert rounds_during >= 1, "no session read while the load was committing"
        assert rounds_after >= 1, "no session read after the load"
        for i, states in enumerate(seen):
            # Once a session has seen the new data it never goes back.
            first_new = states.index(new) if new in states else len(states)
            assert all(s == new for s in states[first_new:]), f"session {i} went back: {states}"
        # Every session shows the new data at its first rerun that started after the swap.
        assert [states[first_after] for states in seen] == [new] * len(pages), (
            f"sessions still on the old data at the first click after the load: "
            f"{[i for i, s in enumerate(seen) if s[first_after] != new]}")


def test_twenty_sessions_see_old_or_new_never_a_mix(chromium, app_url, e2e_warehouse, tmp_path):
    contexts, pages = [], []
    state = _signed_in_state(chromium, app_url)
    try:
        for _ in range(SESSIONS):
            ctx, page = new_page(chromium, {"width": 1280, "height": 900}, storage_state=state)
            ctx.set_default_timeout(90_000)
            contexts.append(ctx)
            pages.append(page)
        for page in pages:  # open them all at once, then wait for each
            page.goto(f"{app_url}/tong-quan")
        for i, page in enumerate(pages):
            wait_for_app(page, timeout=90_000)
            page.wait_for_selector('[data-testid="stMain"] h1')
            assert title(page) != SIGN_IN_TITLE, f"session {i} was asked to sign in: the cookie did not hold"
            page.wait_for_selector(".kpi")  # the KPI cards

        load_while_sessions_click(pages, e2e_warehouse, tmp_path)
    finally:
        for ctx in contexts:
            ctx.close()
