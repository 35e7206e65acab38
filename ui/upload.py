"""Uploads on the Dữ liệu page: stage the files, preview what a load would do, commit or cancel,
each step in the audit trail. The page (app_pages/du_lieu.py) only places these on screen.

Staging: every upload is written to a private folder under data/uploads/ (one sub-folder per
file, so two files with the same name stay apart and keep their names for the load history),
previewed with etl.load.preview_files, and loaded with etl.load.load_files: the same ETL as
`python -m etl load` (atomic, idempotent). Folders older than a day are removed.
"""
from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from access import audit
from etl.load import load_files, preview_files
from etl.registry import RegistryError
from etl.progress import STAGES, stage_label
from ui import chrome, data
from ui.components import plain_table
from ui.format import vn_int

STAGE_TTL_S = 24 * 3600
_STAGE = "_du_lieu_stage"
_UPLOADER = "_du_lieu_uploader"
_DONE = "_du_lieu_done"
_PROGRESS = "_du_lieu_progress"

STATUS = {"pending": ("Sẵn sàng nạp", ":material/task_alt:"),
          "unchanged": ("Đã nạp trước đó", ":material/sync_disabled:"),
          "failed": ("Không nạp được", ":material/error:"),
          "loaded": ("Đã nạp", ":material/check_circle:")}


def max_upload_mb() -> int:
    """Per file: .streamlit/config.toml [server] maxUploadSize (Streamlit refuses bigger uploads in
    the browser and the server); checked again here before anything is written to disk."""
    return int(st.get_option("server.maxUploadSize"))


def uploader_style() -> None:
    """The file uploader's own words in Vietnamese (ui.chrome), with the limit of max_upload_mb."""
    st.html(chrome.uploader_css(max_upload_mb()))


@dataclass
class Stage:
    ids: tuple
    folder: Path
    paths: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    reports: list = field(default_factory=list)

    @property
    def ready(self) -> list[Path]:
        return [p for p, r in zip(self.paths, self.reports) if r.status == "pending"]


def safe_name(name: str) -> str:
    """The uploaded file's own name, without any directory part (a name is user input)."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".") or "tep"
    return base[:180]


def clear_stale_stages(stage_root: Path, now: float | None = None) -> None:
    if not stage_root.exists():
        return
    now = time.time() if now is None else now
    for d in stage_root.iterdir():
        try:
            if now - d.stat().st_mtime > STAGE_TTL_S:
                shutil.rmtree(d, ignore_errors=True)
        except FileNotFoundError:
            pass


def write_stage(files, stage_root: Path, max_mb: int) -> tuple[Path, list[Path], list[str]]:
    """Write the uploaded files to a new private folder; too big ones are refused with a message."""
    clear_stale_stages(stage_root)
    folder = stage_root / secrets.token_hex(8)
    paths, refused = [], []
    for i, f in enumerate(files):
        name = safe_name(f.name)
        if f.size > max_mb * 1024 * 1024:
            refused.append(f"Tệp «{name}» quá lớn ({f.size // (1024 * 1024)} MB, tối đa {max_mb} MB): "
                           "hãy chia nhỏ theo tháng.")
            continue
        target = folder / str(i) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.getvalue())
        paths.append(target)
    return folder, paths, refused


def uploader_key() -> str:
    """The file uploader's key: a new one after a commit or cancel empties the widget."""
    return f"upload-{st.session_state.get(_UPLOADER, 0)}"


def drop_stage() -> None:
    stage: Stage | None = st.session_state.pop(_STAGE, None)
    if stage:
        shutil.rmtree(stage.folder, ignore_errors=True)
    st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1


def current_stage(files, db: Path, username: str) -> Stage | None:
    """The staged and previewed upload for the files now in the uploader (staged again when they
    change, dropped when the uploader is emptied)."""
    stage: Stage | None = st.session_state.get(_STAGE)
    ids = tuple(f.file_id for f in files or [])
    if files and (stage is None or stage.ids != ids):
        if stage:
            shutil.rmtree(stage.folder, ignore_errors=True)
        folder, paths, refused = write_stage(files, db.parent / "uploads", max_upload_mb())
        with st.spinner("Đang đọc và kiểm tra tệp…"):
            try:
                reports = preview_files(paths, db) if paths else []
            except RegistryError as e:   # the server's unit registry, not the user's files
                shutil.rmtree(folder, ignore_errors=True)
                st.error(f"Không kiểm tra được tệp vì danh mục đơn vị trên máy chủ có lỗi: {e} "
                         "Hãy báo người quản trị sửa tệp data/reference/units.csv.", icon=":material/error:")
                return None
        stage = Stage(ids, folder, paths, refused, reports)
        st.session_state[_STAGE] = stage
        audit.record(audit.UPLOAD, username, ", ".join(f.name for f in files)[:500],
                     {"files": [{"name": r.file_name, "sha256": r.sha256, "status": r.status, "kind": r.kind,
                                 "rows_read": r.rows_read, "rows_to_load": r.rows_to_load,
                                 "rows_rejected": r.rows_rejected} for r in reports],
                      "refused": refused})
    elif not files and stage is not None:
        drop_stage()
        stage = None
    return stage


class LoadProgress:
    """etl.load's progress callback for the page: a status box with a bar saying which file, which
    stage (Đọc tệp, Kiểm tra, Ghi vào kho, Tổng hợp số liệu) and how many rows; it keeps one line
    per file ("Tệp «a.csv» (1/2): Đọc tệp 4 dòng · Kiểm tra 4 dòng · Ghi vào kho 3 dòng") that the
    page shows again after the load."""

    def __init__(self, box):
        self.box = box
        self.bar = box.progress(0.0, text="Chuẩn bị nạp…")
        self.lines: list[str] = []
        self._file: str | None = None
        self._counts: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in STAGES:  # a file begins
            self._keep_line()
            self._file, self._counts = stage, {}
            self.box.update(label=f"Đang nạp {stage}…")
            self.bar.progress(0.0, text=f"{stage}: bắt đầu")
            return
        label = stage_label(stage)
        where = f"{self._file} — " if self._file and stage != "aggregate" else ""
        if total is None or (stage == "aggregate" and total <= 1):
            self.bar.progress(1.0 if total and done >= total else 0.0, text=f"{where}{label}…")
            return
        self.bar.progress(min(done / total, 1.0) if total else 1.0,
                          text=f"{where}{label}: {vn_int(done)}/{vn_int(total)} dòng")
        if done >= total:
            self._counts[label] = done

    def _keep_line(self) -> None:
        if self._file:
            done = " · ".join(f"{k} {vn_int(v)} dòng" for k, v in self._counts.items())
            self.lines.append(f"{self._file}: {done or 'không nạp được (lý do ở dưới)'}")
        self._file = None

    def finish(self) -> None:
        self._keep_line()
        self.box.update(label="Đã nạp xong", state="complete", expanded=False)


def commit(stage: Stage, db: Path, username: str) -> None:
    """Load the ready files, showing the progress by file and stage; record the load, show the
    results after the rerun."""
    progress = LoadProgress(st.status("Đang nạp…", expanded=True))
    try:
        results = load_files(stage.ready, db=db, user=username, progress=progress)
    except RegistryError as e:   # nothing was written
        progress.box.update(label="Chưa nạp", state="error", expanded=False)
        st.error(f"Chưa nạp được vì danh mục đơn vị trên máy chủ có lỗi: {e} Kho dữ liệu không thay đổi; "
                 "hãy báo người quản trị sửa tệp data/reference/units.csv.", icon=":material/error:")
        return
    progress.finish()
    st.session_state[_PROGRESS] = progress.lines
    audit.record(audit.LOAD, username, ", ".join(r.file_name for r in results)[:500],
                 {"files": [{"name": r.file_name, "sha256": r.sha256, "status": r.status,
                             "batch_id": r.batch_id, "rows_loaded": r.rows_to_load,
                             "rows_rejected": r.rows_rejected} for r in results]})
    st.session_state[_DONE] = results
    drop_stage()
    st.rerun()


def cancel(stage: Stage, username: str) -> None:
    audit.record(audit.LOAD_CANCELLED, username, ", ".join(r.file_name for r in stage.reports)[:500])
    drop_stage()
    st.rerun()


def pop_results() -> list | None:
    """The results of the load just committed (once)."""
    return st.session_state.pop(_DONE, None)


def draw_load_progress() -> None:
    """After a load: what it did, file by file and stage by stage (once)."""
    lines = st.session_state.pop(_PROGRESS, None)
    if lines:
        with st.status("Tiến trình nạp", state="complete", expanded=False):
            for line in lines:
                st.markdown(f"- {line}")


# -- drawing a file's report ---------------------------------------------------------------------

# The rejected rows' table (a load's report, the Dữ liệu page's history): the reason wide.
REJECT_COLUMNS = {"Lý do": st.column_config.Column(width="large")}


def rejects_frame(rejects) -> pd.DataFrame:
    return pd.DataFrame({"Dòng": [r.row_number for r in rejects],
                         "Cột": [r.column_name or "" for r in rejects],
                         "Lý do": [r.reason for r in rejects],
                         "Giá trị trong tệp": [r.raw for r in rejects]})


def period_text(r) -> str:
    """The file's period in its kind's grain (etl.history.period_label): "năm 2023" for staff ratings."""
    from etl.history import period_label

    return period_label(r.kind, r.period_from, r.period_to)


# The reason etl gives a row naming a unit the registry does not know, and where to look it up.
UNKNOWN_UNIT = "không có trong danh mục đơn vị"
UNKNOWN_UNIT_HINT = ("Tên đơn vị nào được nhận: xem thẻ **Danh mục đơn vị** của trang này. Sửa tên trong tệp "
                     "rồi tải lên lại, hoặc báo người quản trị thêm cách ghi này vào danh mục.")


def draw_report(r, i: int, username: str, *, preview: bool) -> None:
    """One file: recognised kind, counts, period, heading mapping, rejected rows (downloadable)."""
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
        st.markdown(f"Thời gian dữ liệu trong tệp: **{period_text(r)}**")
        if r.mapping:
            with st.expander("Cột trong tệp được hiểu là"):
                st.dataframe(pd.DataFrame({"Trường dữ liệu": list(r.mapping), "Cột trong tệp": list(r.mapping.values())}),
                             hide_index=True, width="stretch")
        if r.rejects:
            with st.expander(f"Dòng bị loại và lý do ({vn_int(len(r.rejects))} lỗi)", expanded=preview):
                df = rejects_frame(r.rejects)
                plain_table(df, key=f"rej-{'p' if preview else 'l'}-{i}", column_config=REJECT_COLUMNS)
                if df["Lý do"].astype(str).str.contains(UNKNOWN_UNIT, regex=False).any():
                    st.caption(UNKNOWN_UNIT_HINT)
                name = f"dong-bi-loai_{Path(r.file_name).stem}.csv"
                st.download_button("Tải danh sách dòng bị loại (CSV)",
                                   data=audit.tracked_download(lambda df=df: data.csv_bytes(df), username, name,
                                                               {"what": "rejects_preview", "sha256": r.sha256}),
                                   file_name=name, mime="text/csv", icon=":material/download:",
                                   on_click="ignore", key=f"dl-rej-{'p' if preview else 'l'}-{i}")
