"""Báo cáo: the Word draft of the report, its Excel annex (Biểu 06 in the statutory layout) and the
one-picture bulletin for the sidebar's period, units and map; a preview of section III."""
import re

import streamlit as st

from access import audit
from ui import components as c, data

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Báo cáo",
    "Dự thảo báo cáo kết quả Phong trào thi đua văn hóa công sở (Word), phụ lục số liệu có Biểu số 06 "
    "(Excel) và bản tin một ảnh, cho kỳ và đơn vị đã chọn.",
    ctx.fresh, sel,
)
st.caption("Thể thức theo Nghị định 30/2020/NĐ-CP, bố cục theo Báo cáo 176/BC-UBND (mục I–IV). Mục III "
           "lấy số liệu từ kho dữ liệu, đúng như các trang khác với cùng bộ lọc; mục I, II, IV có gợi ý "
           "để cán bộ viết tiếp. Tệp được tạo khi bấm nút tải (vài giây).")

FILES = (
    ("docx", "Tải báo cáo (Word)", ":material/description:"),
    ("xlsx", "Tải phụ lục số liệu (Excel)", ":material/table_view:"),
    ("png", "Tải bản tin (ảnh)", ":material/image:"),
)
from report.build import MIME, file_name  # noqa: E402  (no SQL: report/ reads metrics/ tables)

user = getattr(ctx.user, "username", None)
with st.container(horizontal=True):
    for kind, label, icon in FILES:
        name = file_name(kind, f, sel.unit_names)
        st.download_button(
            label,
            data=audit.tracked_download(lambda kind=kind: data.report_file(kind, f), user, name,
                                        {"report": kind}),
            file_name=name, mime=MIME[kind], icon=icon, on_click="ignore", key=f"dl-report-{kind}",
            type="primary" if kind == "docx" else "secondary",
        )

st.subheader("Xem trước mục III. Kết quả đạt được")
_MD = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def _md(text: str) -> str:
    return _MD.sub(r"\\\1", text)


with st.container(border=True, key="report-preview"):
    for kind, text in data.report_preview(f):
        if kind == "h1":
            st.markdown(f"#### {_md(text)}")
        elif kind == "h2":
            st.markdown(f"**{_md(text)}**")
        elif kind == "h3":
            st.markdown(f"***{_md(text)}***")
        elif kind == "guide":
            st.caption(f"\\[{_md(text)}\\]")
        elif kind == "table":
            st.markdown(f":material/table_chart: _{_md(text)}_ (trong tệp Word và Excel)")
        elif kind == "picture":
            st.markdown(f":material/bar_chart: _{_md(text)}_ (trong tệp Word)")
        else:
            st.markdown(_md(text))
