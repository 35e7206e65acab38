"""Dữ liệu (data officers only): upload exports, see what a load would do, commit or cancel; the
load history with each batch's rejects; how fresh each unit's data is; the audit trail.

Staging, preview, commit and cancel are ui/upload.py (the same ETL as `python -m etl load`:
atomic, idempotent). Runs even when the warehouse does not exist yet (the first load of a real
deployment).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from access import audit
from etl import history, registry, templates
from etl.warehouse import db_path, file_version
from ui import auth, data, upload
from ui.components import plain_table, styled
from metrics.labels import KIND_LABELS, LEVEL_LABELS
from ui.format import vn_datetime, vn_int, vn_month

user = auth.signed_in_user()
if user is None or user.role != "data_officer":
    st.title("Dữ liệu")
    st.error("Trang này chỉ dành cho cán bộ phụ trách dữ liệu.", icon=":material/block:")
    st.stop()

db = db_path()


# -- page ---------------------------------------------------------------------------------------

st.title("Dữ liệu")
st.caption("Nạp tệp xuất từ hệ thống một cửa và các bảng đánh giá, cam kết, khảo sát hài lòng, kiểm tra đột xuất, "
           "xếp loại CBCCVC, khen thưởng; xem lịch sử nạp và đơn vị nào còn thiếu số liệu tháng mới nhất.")

tab_load, tab_history, tab_fresh, tab_units, tab_audit = st.tabs(
    ["Nạp tệp", "Lịch sử nạp", "Độ mới của dữ liệu", "Danh mục đơn vị", "Nhật ký truy cập"])

with tab_load:
    done = upload.pop_results()
    if done:
        loaded = [r for r in done if r.status == "loaded"]
        if loaded:
            st.success(f"Đã nạp {len(loaded)} tệp ({vn_int(sum(r.rows_to_load for r in loaded))} dòng). "
                       "Các trang số liệu hiển thị dữ liệu mới từ lần bấm tiếp theo.", icon=":material/check_circle:")
        else:
            st.warning("Không có tệp nào được nạp: kho dữ liệu không thay đổi.", icon=":material/info:")
        upload.draw_load_progress()
        for i, r in enumerate(done):
            upload.draw_report(r, i, user.username, preview=False)

    st.markdown("Tải lên một hoặc nhiều tệp **CSV** hoặc **Excel (.xlsx)**. Loại tệp được nhận ra từ nội dung "
                "và tiêu đề cột, không từ tên tệp. Chưa có gì được ghi cho đến khi bấm **Nạp vào kho dữ liệu**.")
    upload.uploader_style()
    files = st.file_uploader("Chọn tệp", accept_multiple_files=True, key=upload.uploader_key(),
                             help=f"Tối đa {upload.max_upload_mb()} MB mỗi tệp.")
    stage = upload.current_stage(files, db, user.username)
    if stage:
        for msg in stage.refused:
            st.error(msg, icon=":material/error:")
        for i, r in enumerate(stage.reports):
            upload.draw_report(r, i, user.username, preview=True)
        ready = stage.ready
        c1, c2 = st.columns(2)
        commit = c1.button(f"Nạp vào kho dữ liệu ({len(ready)} tệp)", type="primary", disabled=not ready,
                           icon=":material/upload:", key="du-lieu-commit", width="stretch")
        cancel = c2.button("Hủy, không nạp", icon=":material/close:", key="du-lieu-cancel", width="stretch")
        if commit and ready:
            upload.commit(stage, db, user.username)
        if cancel:
            upload.cancel(stage, user.username)

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
            plain_table(rej, key="batch-rejects", column_config=upload.REJECT_COLUMNS)
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
        labels = {"dossiers": "Hồ sơ TTHC", "evaluations": "Đánh giá, xếp loại", "commitments": "Cam kết",
                  "surveys": "Khảo sát hài lòng", "inspections": "Kiểm tra đột xuất",
                  "staff_ratings": "Xếp loại CBCCVC", "commendations": "Khen thưởng"}
        for kind, info in missing.items():
            if info["latest"] is None:
                st.markdown(f"**{labels[kind]}**: chưa có số liệu.")
                continue
            when = (f"năm {info['latest']}" if kind in history.YEARLY_KINDS
                    else f"tháng {vn_month(info['latest'])}")
            if info["missing"] is None:    # not expected of every unit: the latest month only
                st.info(f"**{labels[kind]}** — mới nhất {when}.", icon=":material/info:")
            elif info["missing"]:
                st.warning(f"**{labels[kind]}** — mới nhất {when}; {len(info['missing'])} đơn vị chưa có số liệu "
                           f"{when}: {', '.join(info['missing'])}.", icon=":material/warning:")
            else:
                st.success(f"**{labels[kind]}** — mới nhất {when}; mọi đơn vị đều đã có.", icon=":material/check_circle:")
        shown = fresh.copy()
        for column, grain, _ in history.KINDS.values():
            if grain == "month":
                shown[column] = shown[column].map(lambda d: vn_month(d) if isinstance(d, (dt.date, pd.Timestamp)) else "–")
        st.dataframe(styled(shown), hide_index=True, width="stretch", key="freshness")

with tab_units:
    # What the next load matches units against: a row naming a unit not listed here (by its name
    # or one of its spellings) is rejected. The file is the server's, kept by the administrator.
    st.caption("Các đơn vị và cách ghi tên mà lần nạp tới nhận ra (tệp data/reference/units.csv trên máy chủ, "
               "do người quản trị cập nhật). Dòng ghi một đơn vị không có ở đây, hoặc ghi đơn vị sau ngày "
               "đơn vị đó thôi hoạt động, bị loại khi nạp. Cột “Cấp” là cấp của đơn vị trong Biểu số 06.")
    try:
        units = registry.registry_rows()
    except (OSError, registry.RegistryError) as e:
        st.error(f"Danh mục đơn vị có lỗi: {e} Hãy báo người quản trị sửa tệp data/reference/units.csv.",
                 icon=":material/error:")
    else:
        # Units in office first (what today's exports name), then those that ended; each part in
        # Vietnamese order.
        today = dt.date.today()
        units.sort(key=lambda u: u["valid_to"] is not None and u["valid_to"] < today)
        table = pd.DataFrame({
            "Đơn vị": [u["name"] for u in units],
            "Loại đơn vị": [KIND_LABELS.get(u["kind"], u["kind"]) for u in units],
            "Cấp": [LEVEL_LABELS[u["level"]] for u in units],
            "Từ ngày": [u["valid_from"] for u in units],
            "Đến ngày": [u["valid_to"] for u in units],     # empty: still in office
            "Sáp nhập vào": [u["successor"] for u in units],
            "Cách ghi khác được nhận": ["; ".join(u["aliases"]) for u in units],
            "Mã đơn vị": [u["unit_id"] for u in units],
        })
        now = sum(1 for u in units if u["valid_to"] is None or u["valid_to"] >= today)
        st.markdown(f"{vn_int(len(units))} đơn vị, {vn_int(now)} đơn vị đang hoạt động.")
        plain_table(table, key="unit-registry", column_config={
            "Đơn vị": st.column_config.Column(width=280),
            "Cách ghi khác được nhận": st.column_config.Column(width="large")})
        st.download_button("Tải danh mục đơn vị (CSV)",
                           data=audit.tracked_download(lambda: data.csv_bytes(table), user.username,
                                                       "danh-muc-don-vi.csv", {"what": "unit_registry"}),
                           file_name="danh-muc-don-vi.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore", key="dl-unit-registry")

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
