"""Văn hóa công sở: surprise inspections, officials' year-end ratings (the cap on "xuất sắc"
under the rule in force, from data/reference/rating_rules.csv), commendations."""
import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics.display import OVER_CAP, XUAT_SAC_OF_TOT
from ui import charts, components as c, data, light_charts

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Văn hóa công sở",
    "Kiểm tra đột xuất phát hiện bao nhiêu vi phạm; xếp loại cán bộ, công chức, viên chức cuối năm "
    "có vượt tỷ lệ “xuất sắc” không; tập thể, cá nhân nào được khen thưởng.",
    ctx.fresh, sel,
)

PER_100 = "Vi phạm / 100 lượt kiểm tra"
HINT = "Hãy chọn kỳ dài hơn hoặc bỏ bớt điều kiện lọc xã / loại đơn vị."

tab_inspections, tab_ratings, tab_commendations = st.tabs(
    ["Kiểm tra đột xuất", "Xếp loại CBCCVC", "Khen thưởng"])


def _int_sum(df: pd.DataFrame, column: str) -> int:
    return int(pd.to_numeric(df[column]).fillna(0).sum())


# -- Kiểm tra đột xuất ----------------------------------------------------------------------------
with tab_inspections:
    by_unit = data.table("inspections", f)
    if by_unit.empty:
        c.no_data(f"Không có cuộc kiểm tra đột xuất nào trong kỳ {sel.period_label} với các đơn vị đã chọn.",
                  HINT)
    else:
        now, before = data.evidence_kpis(f), data.evidence_kpis(f.previous())
        st.caption(f"Vi phạm tính theo số người vi phạm; so sánh bằng số vi phạm trên 100 lượt cán bộ, công "
                   f"chức, viên chức được kiểm tra. Thay đổi so với kỳ trước: {c.period_text(f.previous())}.")
        c.kpi_cards([
            c.Card("Số lần kiểm tra", _int_sum(by_unit, "Số lần kiểm tra"), None, "int", None),
            c.Card("Lượt được kiểm tra", now.get("inspected"), before.get("inspected"), "int", None,
                   "Cộng số cán bộ, công chức, viên chức có mặt trong các lần kiểm tra."),
            c.Card("Số vi phạm", now.get("violations"), before.get("violations"), "int", False),
            c.Card("Vi phạm / 100 lượt", now.get("violations_per_100"), before.get("violations_per_100"),
                   "num", False, "Số vi phạm / số lượt được kiểm tra × 100, cộng các đơn vị."),
        ], key="inspection-cards")

        st.subheader("Theo đơn vị")
        c.light_chart(light_charts.value_bar_spec(by_unit, group="Đơn vị", value=PER_100, color=charts.RED,
                                                  axis_title="Vi phạm / 100 lượt kiểm tra",
                                                  hover_unit=" vi phạm / 100 lượt"),
                      key="inspection-units", title="Vi phạm trên 100 lượt được kiểm tra (cao nhất trước)")
        c.table(by_unit, slug="kiem-tra-theo-don-vi", sel=sel, key="inspections",
                column_config={PER_100: st.column_config.Column(width=170),
                               "Lượt CBCCVC được kiểm tra": st.column_config.Column(width=170)})

        st.subheader("Theo loại vi phạm")
        by_kind = data.table("inspections_by_kind", f)
        c.light_chart(light_charts.value_bar_spec(by_kind, group="Loại vi phạm", value=PER_100, color=charts.ORANGE,
                                                  axis_title="Vi phạm / 100 lượt kiểm tra",
                                                  hover_unit=" vi phạm / 100 lượt"),
                      key="inspection-kinds")
        c.table(by_kind, slug="kiem-tra-theo-loai-vi-pham", sel=sel, key="inspections-kinds")

    st.subheader("Xu hướng")
    tf = replace(f, date_from=min(f.date_from, dt.date(sel.first_month.year, 1, 1)))
    # By year over several years; within one year, by quarter (one bar would say nothing).
    default_by = "year" if tf.date_from.year < tf.date_to.year else "quarter"
    trend_by = st.segmented_control("Theo", ["year", "quarter"], format_func={"year": "Năm", "quarter": "Quý"}.get,
                                    required=True, default=default_by, key="_inspections_by")
    trend_by = trend_by or default_by
    st.caption(f"Từ đầu năm có số liệu đến hết kỳ đã chọn: {c.period_text(tf)}.")
    trend = data.table("inspections_trend", tf, by=trend_by)
    if trend.empty:
        c.no_data("Chưa có cuộc kiểm tra đột xuất nào với các đơn vị đã chọn.", "Hãy bỏ bớt điều kiện lọc xã / loại đơn vị.")
    else:
        label = "Năm" if trend_by == "year" else "Quý"
        c.light_chart(light_charts.inspection_trend_spec(trend, period=label), key=f"inspection-trend-{trend_by}",
                      title="Số vi phạm trên 100 lượt được kiểm tra qua các " + ("năm" if trend_by == "year" else "quý"),
                      empty="Chưa có cuộc kiểm tra nào")
        c.table(trend, slug=f"kiem-tra-theo-{'nam' if trend_by == 'year' else 'quy'}", sel=sel,
                key=f"inspections-trend-{trend_by}", filters=tf)

# -- Xếp loại CBCCVC ------------------------------------------------------------------------------
with tab_ratings:
    years_text = (str(f.date_from.year) if f.date_from.year == f.date_to.year
                  else f"{f.date_from.year}–{f.date_to.year}")
    rules = data.table("rating_rules", f)
    ratings = data.table("staff_ratings", f)
    # The rule(s) of the years shown, from data/reference/rating_rules.csv: enforced or for reference.
    for (basis, applied), part in rules.groupby(["Căn cứ", "Áp dụng"], sort=False):
        years = ", ".join(str(y) for y in sorted(part["Năm"]))
        limit = c.vn_pct(part["Tỷ lệ tối đa (%)"].iloc[0]).replace(",0 %", " %")
        if applied == "Bắt buộc":
            st.markdown(f"**Năm {years}: {basis}.** Số được xếp loại “Hoàn thành xuất sắc nhiệm vụ” không quá "
                        f"{limit} số được xếp loại “Hoàn thành tốt nhiệm vụ” trong đơn vị; đơn vị vượt được "
                        f"đánh dấu ở cột “{OVER_CAP}”.")
        else:
            note = part["Ghi chú"].iloc[0]
            st.info(f"Năm {years}: {basis}. Tỷ lệ xuất sắc / tốt (so với mức {limit}) chỉ để tham khảo, "
                    "không đánh dấu vượt." + (f" {note}" if isinstance(note, str) and note else ""),
                    icon=":material/info:")
    if rules.empty:
        st.info(f"Chưa có quy định về tỷ lệ xếp loại cho năm {years_text} trong data/reference/rating_rules.csv: "
                "tỷ lệ xuất sắc / tốt chỉ để tham khảo.", icon=":material/info:")

    if ratings.empty:
        c.no_data(f"Chưa có kết quả xếp loại cán bộ, công chức, viên chức năm {years_text} của các đơn vị đã chọn.",
                  "Kết quả xếp loại có sau đánh giá cuối năm: hãy chọn kỳ gồm năm trước (ví dụ “Cả giai đoạn”) "
                  "hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.")
    else:
        years = sorted({int(y) for y in ratings["Năm"]}, reverse=True)
        year = years[0] if len(years) == 1 else st.selectbox(
            "Năm (biểu đồ)", years, key="_ratings_year", width=200,
            help="Biểu đồ cho một năm; bảng dưới có tất cả các năm của kỳ.")
        one = ratings[ratings["Năm"] == year].reset_index(drop=True)
        over = int((one[OVER_CAP] == "Có").sum())
        xs, tot = _int_sum(one, "Xuất sắc"), _int_sum(one, "Tốt")
        enforced = bool(((rules["Năm"] == year) & (rules["Áp dụng"] == "Bắt buộc")).any())
        c.kpi_cards([
            c.Card("Số CBCCVC", _int_sum(one, "Số CBCCVC"), None, "int", None, f"Năm {year}."),
            c.Card("Xuất sắc", xs, None, "int", None, f"Năm {year}: Hoàn thành xuất sắc nhiệm vụ."),
            c.Card("Tốt", tot, None, "int", None, f"Năm {year}: Hoàn thành tốt nhiệm vụ."),
            c.Card("Xuất sắc / Tốt", 100 * xs / tot if tot else None, None, "pct", None,
                   f"Năm {year}, cộng các đơn vị đã chọn."),
            c.Card("Đơn vị vượt tỷ lệ", over if enforced or over else None, None, "int", False,
                   f"Năm {year}: số đơn vị có tỷ lệ xuất sắc / tốt vượt mức tối đa; chỉ tính "
                   "khi quy định về tỷ lệ là bắt buộc (xem căn cứ ở trên)."),
        ], key="rating-cards")

        cap = float(rules.loc[rules["Năm"] == year, "Tỷ lệ tối đa (%)"].iloc[0]) if (rules["Năm"] == year).any() else 20.0
        left, right = st.columns(2)
        with left:
            c.light_chart(light_charts.target_bar_spec(one, group="Đơn vị", value=XUAT_SAC_OF_TOT, target=cap,
                                                       higher_is_better=False, judge=enforced,
                                                       axis_title="Xuất sắc / Tốt (%)",
                                                       marker_label="Tối đa" if enforced else "Tham khảo"),
                          key="rating-ratio", title=f"Xuất sắc / tốt theo đơn vị, năm {year}")
        with right:
            c.light_chart(light_charts.class_bar_spec(one), key="rating-classes",
                          title=f"Xếp loại theo đơn vị, năm {year}", empty="Chưa có kết quả xếp loại")

        def _over(row: pd.Series) -> list[str]:
            return ["background-color: #fdecea" if row.get(OVER_CAP) == "Có" else ""] * len(row)

        st.markdown("**Bảng xếp loại theo đơn vị và năm**")
        c.table(ratings, slug="xep-loai-cbccvc", sel=sel, key="staff-ratings", highlight=_over,
                column_config={OVER_CAP: st.column_config.Column(width=110),
                               "Căn cứ": st.column_config.Column(width=260)})

# -- Khen thưởng ----------------------------------------------------------------------------------
with tab_commendations:
    by_unit_form = data.table("commendations", f)
    if by_unit_form.empty:
        c.no_data(f"Không có quyết định khen thưởng nào trong kỳ {sel.period_label} với các đơn vị đã chọn.",
                  "Khen thưởng thường có vào dịp sơ kết, tổng kết cuối năm: hãy chọn kỳ dài hơn (ví dụ cả năm) "
                  "hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.")
    else:
        decisions = data.table("commendation_decisions", f)
        c.kpi_cards([
            c.Card("Quyết định", int(decisions["Số quyết định"].nunique()), None, "int", None,
                   "Số quyết định khen thưởng trong kỳ."),
            c.Card("Tập thể", _int_sum(by_unit_form, "Tập thể"), None, "int", None, "Lượt tập thể được khen."),
            c.Card("Cá nhân", _int_sum(by_unit_form, "Cá nhân"), None, "int", None, "Lượt cá nhân được khen."),
        ], key="commendation-cards")

        by_form = data.table("commendations_by_form", f)
        st.subheader("Theo hình thức và năm")
        c.light_chart(light_charts.commendation_spec(by_form), key="commendation-forms",
                      empty="Chưa có quyết định khen thưởng")
        c.table(by_form, slug="khen-thuong-theo-hinh-thuc", sel=sel, key="commendations-forms")

        st.subheader("Theo đơn vị")
        c.table(by_unit_form, slug="khen-thuong-theo-don-vi", sel=sel, key="commendations")

        st.subheader("Các quyết định khen thưởng")
        c.table(decisions, slug="quyet-dinh-khen-thuong", sel=sel, key="commendation-decisions",
                column_config={"Tập thể, cá nhân được khen": st.column_config.Column(width=220)})
