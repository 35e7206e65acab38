"""Cam kết: who has signed the movement's commitments, per unit and year."""
import pandas as pd
import streamlit as st

from ui import charts, components as c, data, url

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Cam kết",
    "Bao nhiêu cán bộ, công chức, viên chức đã ký các cam kết của phong trào; đơn vị nào chưa đủ 100 %.",
    ctx.fresh, sel,
)

years = list(range(sel.first_month.year, sel.last_month.year + 1))
default_year = f.date_to.year if f.date_to.year in years else years[-1]
url.init_state("nam", years, default_year, parse=int)
year = st.selectbox("Năm", years, key="nam", help="Mặc định là năm của tháng cuối kỳ báo cáo.", width=200)
year = year or default_year
url.write({"nam": year})

table = data.table("commitments", f, year=year)
if table.empty:
    c.no_data(f"Chưa có số liệu cam kết năm {year} của các đơn vị đã chọn.",
              "Hãy chọn năm khác hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.")
else:
    headcount = int(pd.to_numeric(table["Số CBCCVC"]).sum())
    signed = int(pd.to_numeric(table["Đã ký"]).sum())
    short = table[pd.to_numeric(table["Tỷ lệ (%)"]) < 100]
    c.kpi_cards([
        c.Card(f"Tỷ lệ đã ký năm {year}", 100 * signed / headcount if headcount else None, None, "pct", True),
        c.Card("Chưa đủ 100 %", len(short), None, "int", False,
               "Số lượt cam kết (đơn vị × cam kết) còn người chưa ký."),
        c.Card("Số người còn thiếu", int(pd.to_numeric(short["Còn thiếu"]).sum()), None, "int", False),
    ], key="commitment-cards")

    st.subheader(f"Theo đơn vị và cam kết, năm {year}")
    if short.empty:
        st.success("Tất cả đơn vị đã ký đủ 100 % các cam kết.", icon=":material/check_circle:")
    else:
        st.caption("Dòng tô màu: đơn vị chưa đủ 100 %, cột “Còn thiếu” là số người chưa ký.")

    def _short(row: pd.Series) -> list[str]:
        under = pd.notna(row["Tỷ lệ (%)"]) and row["Tỷ lệ (%)"] < 100
        return ["background-color: #fdecea" if under else ""] * len(row)

    only_short = st.toggle("Chỉ đơn vị chưa đủ 100 %", key="_only_short") if not short.empty else False
    shown = short if only_short else table
    c.table(shown.reset_index(drop=True), slug=f"cam-ket-{year}", sel=sel, key="commitments", highlight=_short)

st.subheader("Tỷ lệ ký cam kết qua các năm")
st.caption("Tất cả các năm có số liệu, theo đơn vị và loại đơn vị đã chọn.")
by_year = data.table("commitments_by_year", f)
if by_year.empty:
    c.no_data("Chưa có số liệu cam kết của các đơn vị đã chọn.", "")
else:
    c.chart(charts.make_coverage_chart(by_year, x="Năm", y="Tỷ lệ (%)", series="Cam kết"), key="coverage-years")
    c.table(by_year, slug="cam-ket-theo-nam", sel=sel, key="commitments-years")
