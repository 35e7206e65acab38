"""Giải quyết TTHC: late rates, monthly trend, Biểu số 06/VPCP/KSTT, late and overdue dossiers,
citizens' satisfaction (surveys) against the 90 % target."""
import pandas as pd
import streamlit as st

from metrics.display import SATISFACTION_TARGET
from ui import components as c, data, light_charts, url
from ui.bieu06 import bieu06_html
from ui.filters import trend_window

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Giải quyết thủ tục hành chính",
    "Hồ sơ TTHC được giải quyết đúng hạn đến đâu; đơn vị, lĩnh vực, thủ tục nào hay trễ hạn; "
    "hồ sơ nào quá hạn và đã có phiếu xin lỗi chưa.",
    ctx.fresh, sel,
)


def satisfaction_section() -> None:
    """Citizens' satisfaction by month (12 months to the period's end) and by unit, against the
    target: a tab beside the dossiers, or alone when the period has no dossier."""
    target = SATISFACTION_TARGET
    st.caption(f"Phiếu khảo sát mức độ hài lòng của người dân, tổ chức. Mục tiêu: tỷ lệ “rất hài lòng” "
               f"trên {c.vn_pct(target)}. Tỷ lệ = số phiếu rất hài lòng / tổng số phiếu, cộng các đơn vị, "
               "các tháng nằm trọn trong kỳ.")
    sf = trend_window(f, sel.first_month)
    by_month = data.table("satisfaction_by_month", sf)
    by_unit = data.table("satisfaction", f)
    if by_month.empty and by_unit.empty:
        c.no_data(f"Chưa có phiếu khảo sát mức độ hài lòng nào trong kỳ {c.period_text(sf)} với các đơn vị đã chọn.",
                  "Hãy chọn kỳ khác hoặc bỏ bớt điều kiện lọc xã / loại đơn vị; phiếu khảo sát được nạp "
                  "trên trang Dữ liệu.")
    else:
        st.markdown("**Tỷ lệ rất hài lòng theo tháng**")
        if sf.date_from != f.date_from:
            st.caption(f"Lấy 12 tháng đến hết kỳ đã chọn: {c.period_text(sf)}.")
        c.light_chart(light_charts.satisfaction_trend_spec(by_month, target=target), key="satisfaction-trend",
                      empty="Chưa có phiếu khảo sát trong kỳ")
        below = int((by_month["Tỷ lệ rất hài lòng (%)"] < target).sum())
        if below:
            st.caption(f"{c.vn_int(below)} tháng dưới mục tiêu {c.vn_pct(target)} (tô màu trong bảng).")

        def _below(row: pd.Series) -> list[str]:
            v = row.get("Tỷ lệ rất hài lòng (%)")
            return ["background-color: #fdecea" if pd.notna(v) and v < target else ""] * len(row)

        c.table(by_month, slug="hai-long-theo-thang", sel=sel, key="satisfaction-months", highlight=_below,
                filters=sf)

        st.markdown(f"**Theo đơn vị, kỳ {sel.period_label}**")
        if by_unit.empty:
            c.no_data(f"Chưa có phiếu khảo sát trong kỳ {sel.period_label}.",
                      "Hãy chọn kỳ dài hơn (một tháng chỉ tính khi nằm trọn trong kỳ).")
        else:
            c.light_chart(light_charts.target_bar_spec(by_unit, group="Đơn vị", value="Tỷ lệ rất hài lòng (%)",
                                                       target=target, axis_title="Tỷ lệ rất hài lòng (%)"),
                          key="satisfaction-units", title="Tỷ lệ rất hài lòng theo đơn vị (thấp nhất trước)")
            c.table(by_unit, slug="hai-long-theo-don-vi", sel=sel, key="satisfaction-units-table",
                    highlight=_below)


k = data.kpis(f)
if not (k.get("received") or k.get("returned") or k.get("pending")):
    c.no_data(f"Không có hồ sơ TTHC nào trong kỳ {sel.period_label} với các đơn vị đã chọn.")
    st.subheader("Mức độ hài lòng")
    satisfaction_section()
    st.stop()

c.kpi_cards([
    c.Card("Hồ sơ đã giải quyết", k.get("returned"), None, "int", None),
    c.Card("Tỷ lệ trễ hạn", k.get("late_rate"), None, "pct", False),
    c.Card("Quá hạn chưa trả", k.get("pending_overdue"), None, "int", False,
           "Hồ sơ chưa trả kết quả và đã quá hạn vào cuối kỳ."),
    c.Card("Có phiếu xin lỗi", k.get("apology_coverage"), None, "pct", True,
           "Hồ sơ quá hạn (đã trả hoặc chưa trả) có phiếu xin lỗi và hẹn lại ngày trả / tổng số hồ sơ quá hạn."),
], key="tthc-cards")

tab_rates, tab_trend, tab_b06, tab_list, tab_satisfaction = st.tabs(
    ["Tỷ lệ trễ hạn", "Theo tháng", "Biểu số 06", "Hồ sơ trễ hạn", "Mức độ hài lòng"])

BY = {"unit": "Đơn vị", "field": "Lĩnh vực", "procedure": "Thủ tục"}
with tab_rates:
    url.init_state("theo", list(BY), "unit")
    by = st.segmented_control("Tỷ lệ trễ hạn theo", list(BY), format_func=BY.get, required=True, key="theo")
    by = by or "unit"
    url.write({"theo": None if by == "unit" else by})
    rates = data.table("late_rates", f, by=by)
    if rates.empty:
        c.no_data("Không có hồ sơ nào trong kỳ.")
    else:
        group = BY[by]
        c.light_chart(light_charts.rate_bar_spec(rates, group=group, rate="Tỷ lệ quá hạn (%)",
                                                 count="Đã giải quyết", only_positive=True),
                      key=f"late-rate-{by}",
                      title=f"Tỷ lệ hồ sơ trả quá hạn theo {group.lower()} (cao nhất trước, chỉ nơi có hồ sơ quá hạn)",
                      empty="Không có hồ sơ trả quá hạn trong kỳ")
        c.table(rates, slug=f"ty-le-tre-han-theo-{group}", sel=sel, key=f"late-rates-{by}")

with tab_trend:
    tf = trend_window(f, sel.first_month)
    if tf.date_from != f.date_from:
        st.caption(f"Lấy 12 tháng đến hết kỳ đã chọn: {c.period_text(tf)}.")
    trend = data.table("trend", tf)
    c.light_chart(None if trend.empty else light_charts.trend_spec(trend, merger=sel.merger), key="tthc-trend")
    c.table(trend, slug="tthc-theo-thang", sel=sel, key="tthc-trend-table", filters=tf)

B06_BY = {"field": "Lĩnh vực", "unit": "Cơ quan, đơn vị"}
with tab_b06:
    # The form's rows are fields within each level; the same columns per unit (the report's
    # annex "Biểu 06 theo đơn vị") answer "which unit" with the same totals.
    url.init_state("b06", list(B06_BY), "field")
    b06_by = st.segmented_control("Biểu 06 theo", list(B06_BY), format_func=B06_BY.get, required=True,
                                  key="b06") or "field"
    url.write({"b06": None if b06_by == "field" else b06_by})
    name = "bieu06" if b06_by == "field" else "bieu06_by_unit"
    b06 = data.table(name, f)
    title = data.csv_title(name, f, b06)
    st.html(bieu06_html(title, b06))
    st.caption("Cột (6): hồ sơ nhận từ kỳ trước chưa trả đến đầu kỳ. (3) = (4) + (5) + (6) = (7) + (11); "
               "(7) = (8) + (9) + (10); (11) = (12) + (13)."
               + (" Mỗi cơ quan, đơn vị chỉ gồm hồ sơ của chính nó, kể cả khi xem theo địa giới mới."
                  if b06_by == "unit" else ""))
    c.download(b06, slug="bieu-06" if b06_by == "field" else "bieu-06-theo-don-vi", sel=sel,
               key="dl-bieu06" if b06_by == "field" else "dl-bieu06-unit", title=title, label="Tải Biểu số 06 (CSV)")

with tab_list:
    # How many: the KPI counts (the same dossiers as the list). The list itself is asked for only
    # up to the page shown (a province over years: 100.000 rows and more), the whole of it only
    # when a download is clicked. Column order (unit, procedure, status, days late, apology
    # letter, dates, then the dossier number and the field) is metrics.display's: the CSV and the
    # CLI have the same.
    n_late = int(k.get("late_dossiers") or 0)
    if n_late == 0:
        st.success("Không có hồ sơ trả quá hạn hay quá hạn chưa trả trong kỳ.", icon=":material/check_circle:")
    else:
        only_missing = st.toggle("Chỉ hồ sơ chưa có phiếu xin lỗi", key="_only_missing_apology")
        n_missing = n_late - int(k.get("late_with_apology") or 0)
        st.caption(f"{c.vn_int(n_late)} hồ sơ quá hạn (trả quá hạn trong kỳ hoặc chưa trả đến "
                   f"{c.vn_date(f.date_to)}), trong đó {c.vn_int(n_missing)} hồ sơ chưa có phiếu xin lỗi.")

        def _flag(row: pd.Series) -> list[str]:
            return ["color: #c62828; font-weight: 600" if (name == "Phiếu xin lỗi" and v == "Chưa có") else ""
                    for name, v in row.items()]

        # Widths that keep everything up to the three dates on a 1440 px screen; a long unit or
        # procedure name is cut in the grid (a click on the cell shows it whole; the CSV has it
        # in full).
        late_widths = {"Đơn vị": 170, "Thủ tục": 200, "Trạng thái": 120, "Số ngày quá hạn": 114,
                       "Phiếu xin lỗi": 94, "Ngày tiếp nhận": 106, "Hạn trả": 84, "Ngày trả": 84,
                       "Mã hồ sơ": 150, "Lĩnh vực": 140}
        c.long_table(lambda n: data.table("late_dossiers", f, limit=n, only_missing=only_missing),
                     n_missing if only_missing else n_late,
                     full=lambda: data.table("late_dossiers", f, only_missing=only_missing),
                     slug="ho-so-tre-han", sel=sel, key="late-dossiers", highlight=_flag,
                     column_config={col: st.column_config.Column(width=w) for col, w in late_widths.items()})

with tab_satisfaction:
    satisfaction_section()
