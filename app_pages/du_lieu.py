"""Dữ liệu (data officers only): upload exports, see what a load would do, commit or cancel; the
load history with each batch's rejects; how fresh each unit's data is; the audit trail.

The same ETL as `python -m etl load` (etl.load.preview_files / load_files): atomic, idempotent.
Runs even when the warehouse does not exist yet (the first load of a real deployment).
"""
from __future__ import annotations

import datetime as dt
import secrets
import shutil
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from etl import audit, history, templates
from etl.load import load_files, preview_files
from etl.warehouse import db_path, file_version
from ui import auth, data
from ui.components import styled
from ui.format import vn_date, vn_datetime, vn_int, vn_month

# Per file: .streamlit/config.toml [server] maxUploadSize (Streamlit refuses bigger uploads in
# the browser and the server); checked again here before anything is written to disk.
MAX_UPLOAD_MB = int(st.get_option("server.maxUploadSize"))
STAGE_TTL_S = 24 * 3600

user = auth.signed_in_user()
if user is None or user.role != "data_officer":
    st.error("Trang này chỉ dành cho cán bộ phụ trách dữ liệu.", icon=":material/block:")
    st.stop()

db = db_path()
stage_root = db.parent / "uploads"


def _clear_stale_stages() -> None:
    if not stage_root.exists():
        return
    for d in stage_root.iterdir():
        try:
            if time.time() - d.stat().st_mtime > STAGE_TTL_S:
                shutil.rmtree(d, ignore_errors=True)
        except FileNotFoundError:
            pass


def _safe_name(name: str) -> str:
    """The uploaded file's own name, without any directory part (a name is user input)."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".") or "tep"
    return base[:180]


def _stage(files) -> tuple[Path, list[Path], list[str]]:
    """Write the uploaded files to a private folder: one sub-folder per file, so two files with
    the same name stay apart and keep their names (the load history shows them)."""
    _clear_stale_stages()
    folder = stage_root / secrets.token_hex(8)
    paths, refused = [], []
    for i, f in enumerate(files):
        name = _safe_name(f.name)
        if f.size > MAX_UPLOAD_MB * 1024 * 1024:
            refused.append(f"Tệp «{name}» quá lớn ({f.size // (1024 * 1024)} MB, tối đa {MAX_UPLOAD_MB} MB): "
                           "hãy chia nhỏ theo tháng.")
            continue
        target = folder / str(i) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.getvalue())
        paths.append(target)
    return folder, paths, refused


def _drop_stage() -> None:
    stage = st.session_state.pop("_du_lieu_stage", None)
    if stage:
        shutil.rmtree(stage["folder"], ignore_errors=True)
    st.session_state["_du_lieu_uploader"] = st.session_state.get("_du_lieu_uploader", 0) + 1


STATUS = {"pending": ("Sẵn sàng nạp", ":material/task_alt:"),
          "unchanged": ("Đã nạp trước đó", ":material/sync_disabled:"),
          "failed": ("Không nạp được", ":material/error:"),
          "loaded": ("Đã nạp", ":material/check_circle:")}


def _rejects_frame(rejects) -> pd.DataFrame:
    return pd.DataFrame({"Dòng": [r.row_number for r in rejects],
                         "Cột": [r.column_name or "" for r in rejects],
                         "Lý do": [r.reason for r in rejects],
                         "Giá trị trong tệp": [r.raw for r in rejects]})


def _period(r) -> str:
    if r.period_from is None:
        return "–"
    if r.kind == "commitments":
        return f"năm {r.period_from.year}" + (f" – {r.period_to.year}" if r.period_to.year != r.period_from.year else "")
    return f"{vn_date(r.period_from)} – {vn_date(r.period_to)}"


def _report(r, i: int, *, preview: bool) -> None:
    label, icon = STATUS.get(r.status, (r.status, ":material/help:"))
    with st.container(border=True, key=f"report-{'p' if preview else 'l'}-{i}"):
        st.markdown(f"{icon} **{r.file_name}** — {label}")
        if r.status == "failed":
            st.error(r.message, icon=":material/error:")
            return
        st.caption(r.message)
        if r.kind is None:
            return
        cols = st.columns(4)
        cols[0].metric("Loại dữ liệu", r.kind_label)
        cols[1].metric("Số dòng đọc", vn_int(r.rows_read))
        cols[2].metric("Sẽ nạp" if preview else "Đã nạp", vn_int(r.rows_to_load))
        cols[3].metric("Dòng bị loại", vn_int(r.rows_rejected))
        st.markdown(f"Thời gian dữ liệu trong tệp: **{_period(r)}**")
        if r.mapping:
            with st.expander("Cột trong tệp được hiểu là"):
                st.dataframe(pd.DataFrame({"Trường dữ liệu": list(r.mapping), "Cột trong tệp": list(r.mapping.values())}),
                             hide_index=True, width="stretch")
        if r.rejects:
            with st.expander(f"Dòng bị loại và lý do ({vn_int(len(r.rejects))} lỗi)", expanded=preview):
                df = _rejects_frame(r.rejects)
                st.dataframe(df.head(500), hide_index=True, width="stretch")
                name = f"dong-bi-loai_{Path(r.file_name).stem}.csv"
                st.download_button("Tải danh sách dòng bị loại (CSV)",
                                   data=audit.tracked_download(lambda df=df: data.csv_bytes(df), user.username, name,
                                                               {"what": "rejects_preview", "sha256": r.sha256}),
                                   file_name=name, mime="text/csv", icon=":material/download:",
                                   on_click="ignore", key=f"dl-rej-{'p' if preview else 'l'}-{i}")


# -- page ---------------------------------------------------------------------------------------

st.title("Dữ liệu")
st.caption("Nạp tệp xuất từ hệ thống một cửa và các bảng đánh giá, cam kết, khảo sát hài lòng, kiểm tra đột xuất, "
           "xếp loại CBCCVC, khen thưởng; xem lịch sử nạp và đơn vị nào còn thiếu số liệu tháng mới nhất.")

tab_load, tab_history, tab_fresh, tab_audit = st.tabs(
    ["Nạp tệp", "Lịch sử nạp", "Độ mới của dữ liệu", "Nhật ký truy cập"])

with tab_load:
    done = st.session_state.pop("_du_lieu_done", None)
    if done:
        loaded = [r for r in done if r.status == "loaded"]
        if loaded:
            st.success(f"Đã nạp {len(loaded)} tệp ({vn_int(sum(r.rows_to_load for r in loaded))} dòng). "
                       "Các trang số liệu hiển thị dữ liệu mới từ lần bấm tiếp theo.", icon=":material/check_circle:")
        else:
            st.warning("Không có tệp nào được nạp: kho dữ liệu không thay đổi.", icon=":material/info:")
        for i, r in enumerate(done):
            _report(r, i, preview=False)

    st.markdown("Tải lên một hoặc nhiều tệp **CSV** hoặc **Excel (.xlsx)**. Loại tệp được nhận ra từ nội dung "
                "và tiêu đề cột, không từ tên tệp. Chưa có gì được ghi cho đến khi bấm **Nạp vào kho dữ liệu**.")
    files = st.file_uploader("Chọn tệp", accept_multiple_files=True,
                             key=f"upload-{st.session_state.get('_du_lieu_uploader', 0)}",
                             help=f"Tối đa {MAX_UPLOAD_MB} MB mỗi tệp.")
    stage = st.session_state.get("_du_lieu_stage")
    ids = tuple(f.file_id for f in files or [])
    if files and (stage is None or stage["ids"] != ids):
        if stage:
            shutil.rmtree(stage["folder"], ignore_errors=True)
        folder, paths, refused = _stage(files)
        with st.spinner("Đang đọc và kiểm tra tệp…"):
            reports = preview_files(paths, db) if paths else []
        stage = {"ids": ids, "folder": folder, "paths": paths, "refused": refused, "reports": reports}
        st.session_state["_du_lieu_stage"] = stage
        audit.record(audit.UPLOAD, user.username, ", ".join(f.name for f in files)[:500],
                     {"files": [{"name": r.file_name, "sha256": r.sha256, "status": r.status, "kind": r.kind,
                                 "rows_read": r.rows_read, "rows_to_load": r.rows_to_load,
                                 "rows_rejected": r.rows_rejected} for r in reports],
                      "refused": refused})
    elif not files and stage is not None:
        _drop_stage()
        stage = None

    if stage:
        for msg in stage["refused"]:
            st.error(msg, icon=":material/error:")
        for i, r in enumerate(stage["reports"]):
            _report(r, i, preview=True)
        ready = [p for p, r in zip(stage["paths"], stage["reports"]) if r.status == "pending"]
        c1, c2 = st.columns(2)
        commit = c1.button(f"Nạp vào kho dữ liệu ({len(ready)} tệp)", type="primary", disabled=not ready,
                           icon=":material/upload:", key="du-lieu-commit", width="stretch")
        cancel = c2.button("Hủy, không nạp", icon=":material/close:", key="du-lieu-cancel", width="stretch")
        if commit and ready:
            with st.spinner("Đang nạp…"):
                results = load_files(ready, db=db, user=user.username)
            audit.record(audit.LOAD, user.username, ", ".join(r.file_name for r in results)[:500],
                         {"files": [{"name": r.file_name, "sha256": r.sha256, "status": r.status,
                                     "batch_id": r.batch_id, "rows_loaded": r.rows_to_load,
                                     "rows_rejected": r.rows_rejected} for r in results]})
            st.session_state["_du_lieu_done"] = results
            _drop_stage()
            st.rerun()
        if cancel:
            audit.record(audit.LOAD_CANCELLED, user.username, ", ".join(r.file_name for r in stage["reports"])[:500])
            _drop_stage()
            st.rerun()

with tab_load:
    st.markdown("#### Mẫu tệp")
    st.caption("Mẫu trống (Excel) cho các bảng nhập tay, với đúng tiêu đề cột hệ thống nhận ra: điền từ dòng 5 "
               "rồi tải lên ở trên.")
    cols = st.columns(4)
    for i, kind in enumerate(templates.TEMPLATE_KINDS):
        cols[i % 4].download_button(
            templates.label(kind), data=lambda kind=kind: templates.template_xlsx(kind),
            file_name=templates.template_file_name(kind),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:", on_click="ignore", key=f"mau-{kind}", width="stretch")

reader = data.reader() if file_version(db) is not None else None


def _query(fn, *args):
    """fn(cursor, *args) on the current warehouse file; the cursor is held only while it runs."""
    cur = reader.cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()

with tab_history:
    hist = None
    if reader is not None:
        hist = _query(history.load_history)
    if hist is None:
        st.info("Chưa có kho dữ liệu: chưa nạp lần nào.", icon=":material/info:")
    elif hist.empty:
        st.info("Chưa nạp tệp nào.", icon=":material/info:")
    else:
        shown = hist.copy()
        shown["Thời điểm nạp"] = shown["Thời điểm nạp"].map(vn_datetime)
        st.dataframe(styled(shown), hide_index=True, width="stretch", key="load-history")
        st.download_button("Tải lịch sử nạp (CSV)",
                           data=audit.tracked_download(lambda: data.csv_bytes(hist), user.username,
                                                       "lich-su-nap.csv", {"what": "load_history"}),
                           file_name="lich-su-nap.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore", key="dl-history")
        with_rejects = hist[hist["Số dòng bị loại"] > 0]
        if not with_rejects.empty:
            st.subheader("Dòng bị loại của một lô")
            batch = st.selectbox(
                "Lô", list(with_rejects["Lô"]),
                format_func=lambda b: (lambda row: f"Lô {b} · {row['Tệp']} · {vn_int(row['Số dòng bị loại'])} dòng bị loại")(
                    with_rejects[with_rejects["Lô"] == b].iloc[0]),
                key="du-lieu-batch")
            rej = _query(history.batch_rejects, int(batch))
            st.dataframe(rej.head(1000), hide_index=True, width="stretch", key="batch-rejects")
            name = f"dong-bi-loai_lo-{int(batch)}.csv"
            st.download_button("Tải dòng bị loại của lô này (CSV)",
                               data=audit.tracked_download(lambda rej=rej: data.csv_bytes(rej), user.username,
                                                           name, {"what": "batch_rejects", "batch_id": int(batch)}),
                               file_name=name, mime="text/csv", icon=":material/download:",
                               on_click="ignore", key="dl-batch-rejects")

with tab_fresh:
    if reader is None:
        st.info("Chưa có kho dữ liệu.", icon=":material/info:")
    else:
        missing = _query(history.missing_latest)
        fresh = _query(history.freshness_by_unit)
        labels = {"dossiers": "Hồ sơ TTHC", "evaluations": "Đánh giá, xếp loại", "commitments": "Cam kết"}
        for kind, info in missing.items():
            if info["latest"] is None:
                st.markdown(f"**{labels[kind]}**: chưa có số liệu.")
                continue
            when = f"năm {info['latest']}" if kind == "commitments" else f"tháng {vn_month(info['latest'])}"
            if info["missing"]:
                st.warning(f"**{labels[kind]}** — mới nhất {when}; {len(info['missing'])} đơn vị chưa có số liệu "
                           f"{when}: {', '.join(info['missing'])}.", icon=":material/warning:")
            else:
                st.success(f"**{labels[kind]}** — mới nhất {when}; mọi đơn vị đều đã có.", icon=":material/check_circle:")
        shown = fresh.copy()
        for col in ("Hồ sơ TTHC: tháng mới nhất", "Đánh giá: tháng mới nhất"):
            shown[col] = shown[col].map(lambda d: vn_month(d) if isinstance(d, (dt.date, pd.Timestamp)) else "–")
        st.dataframe(styled(shown), hide_index=True, width="stretch", key="freshness")

with tab_audit:
    events = audit.events(limit=300)
    if not events:
        st.info("Chưa có sự kiện nào.", icon=":material/info:")
    else:
        st.caption("300 sự kiện gần nhất: đăng nhập, tải tệp lên, nạp dữ liệu, tải xuống.")
        st.dataframe(pd.DataFrame({
            "Thời điểm": [vn_datetime(e.at) for e in events],
            "Người dùng": [e.username or "" for e in events],
            "Sự kiện": [e.label for e in events],
            "Đối tượng": [e.target or "" for e in events],
        }), hide_index=True, width="stretch", key="audit-events")
