"""Cam kết: who has signed the movement's commitments, per unit and year."""
import pandas as pd
import streamlit as st

from metrics.display import COMMITMENT_SHORT, commitment_rate_heading, rate_columns, short_of_full
from ui import components as c, data, light_charts, url

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

# The page follows its own "Năm" selector, not the sidebar period: the header says the year.
# Its value is settled (URL, session, default) before the header is drawn.
years = list(range(sel.first_month.year, sel.last_month.year + 1))
default_year = f.date_to.year if f.date_to.year in years else years[-1]
url.init_state("nam", years, default_year, parse=int)
year = st.session_state.get("nam") or default_year

c.page_header(
    "Cam kết",
    "Bao nhiêu cán bộ, công chức, viên chức đã ký các cam kết của phong trào; đơn vị nào chưa đủ 100 %.",
    ctx.fresh, sel, period=f"Năm: **{year}**",
)

year = st.selectbox("Năm", years, key="nam", width=200, placeholder="Chọn năm",
                    help="Số liệu cam kết theo năm. Mặc định là năm của tháng cuối kỳ báo cáo.")
year = year or default_year
url.write({"nam": year})

# One row per unit (metrics.display.commitment_pivot): the table, its CSV and
# `python -m metrics commitments` are the same. The cards add up the long table (one row per
# unit and commitment).
table = data.table("commitments", f, year=year)
long = data.source_table("commitments", f, year=year)
if long.empty:
    c.no_data(f"Chưa có số liệu cam kết năm {year} của các đơn vị đã chọn.",
              "Hãy chọn năm khác hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.")
else:
    short = short_of_full(table)
    headcount = int(pd.to_numeric(long["Số CBCCVC"]).sum())
    signed = int(pd.to_numeric(long["Đã ký"]).sum())
    c.kpi_cards([
        # Short labels: a phone's card has room for about 15 characters.
        c.Card("Tỷ lệ đã ký", 100 * signed / headcount if headcount else None, None, "pct", True,
               f"Năm {year}: số chữ ký đã có / số chữ ký cần có, cộng các cam kết và các đơn vị."),
        c.Card("Đơn vị chưa đủ", int(short.sum()), None, "int", False,
               "Số đơn vị chưa đủ 100 %: còn người chưa ký ít nhất một cam kết."),
        c.Card("Lượt ký còn thiếu", int(pd.to_numeric(table["Còn thiếu"]).sum()), None, "int", False,
               "Cộng các cam kết: một người chưa ký hai cam kết là hai lượt."),
    ], key="commitment-cards")

    st.subheader(f"Theo đơn vị, năm {year}")
    if not short.any():
        st.success("Tất cả đơn vị đã ký đủ 100 % các cam kết.", icon=":material/check_circle:")
    else:
        st.caption("Mỗi cột là tỷ lệ đã ký một cam kết. Dòng tô màu: đơn vị chưa đủ 100 %; "
                   "“Còn thiếu” là số lượt ký còn thiếu, cộng các cam kết.")

    def _short(row: pd.Series) -> list[str]:
        under = any(pd.notna(row[col]) and row[col] < 100 for col in rate_columns(table))
        return ["background-color: #fdecea" if under else ""] * len(row)

    only_short = st.toggle("Chỉ đơn vị chưa đủ 100 %", key="_only_short") if short.any() else False
    shown = table[short] if only_short else table
    full_names = {commitment_rate_heading(n): n for n in long["Cam kết"].unique()}
    config = {col: st.column_config.Column(width=150, help=f"Tỷ lệ đã ký: {full}")
              for col, full in full_names.items()}
    config["Còn thiếu"] = st.column_config.Column(width=90, help="Số lượt ký còn thiếu, cộng các cam kết.")
    config["Số CBCCVC"] = st.column_config.Column(width=90, help="Số cán bộ, công chức, viên chức của đơn vị.")
    c.table(shown.reset_index(drop=True), slug=f"cam-ket-{year}", sel=sel, key="commitments",
            highlight=_short, column_config=config)

st.subheader("Tỷ lệ ký cam kết qua các năm")
st.caption("Tất cả các năm có số liệu, theo đơn vị và loại đơn vị đã chọn.")
by_year = data.source_table("commitments_by_year", f)
if by_year.empty:
    c.no_data("Chưa có số liệu cam kết của các đơn vị đã chọn.", "")
else:
    c.light_chart(light_charts.coverage_bar_spec(by_year, x="Năm", y="Tỷ lệ (%)", series="Cam kết",
                                                 short_names=COMMITMENT_SHORT),
                  key="coverage-years", empty="Chưa có số liệu cam kết")
    # The table (year, short commitment name, rate first) is metrics.display's, as in its CSV;
    # the chart above keeps the full names for its hover.
    years_table = data.table("commitments_by_year", f)
    c.table(years_table, slug="cam-ket-theo-nam", sel=sel, key="commitments-years",
            column_config={"Cam kết": st.column_config.Column(width=170)})
