"""Xếp hạng đơn vị: units by average evaluation score, change of rank, classifications."""
import pandas as pd
import streamlit as st

from ui import components as c, data, light_charts, url
from ui.filters import trend_window
from ui.format import vn_int
from metrics.display import drop_validity_suffix

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Xếp hạng đơn vị",
    "Đơn vị nào được đánh giá cao nhất, thấp nhất trong kỳ; thứ hạng tăng hay giảm so với kỳ trước.",
    ctx.fresh, sel,
)

ranking = data.table("ranking", f)
if ranking.empty:
    c.no_data(f"Không có kết quả đánh giá, xếp loại nào trong kỳ {sel.period_label} với các đơn vị đã chọn.")
    st.stop()

CLASSES = ["Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành"]
totals = {k: int(pd.to_numeric(ranking[k], errors="coerce").fillna(0).sum()) for k in CLASSES}
st.markdown("**Kết quả xếp loại trong kỳ** (số lượt đánh giá)")
# Short labels, as the table's column headings (the full names did not fit a phone's card).
c.kpi_cards([
    c.Card(label, totals[label], None, "int", None, full)
    for label, full in [
        ("Xuất sắc", "Hoàn thành xuất sắc nhiệm vụ"), ("Tốt", "Hoàn thành tốt nhiệm vụ"),
        ("Hoàn thành", "Hoàn thành nhiệm vụ"), ("Không hoàn thành", "Không hoàn thành nhiệm vụ"),
    ]
], key="class-cards")
c.law_caption(f)

st.subheader("Bảng xếp hạng")
st.caption("Xếp theo điểm trung bình (làm tròn một chữ số thập phân); bằng điểm thì cùng hạng. "
           "“Thay đổi hạng” dương là tăng hạng so với kỳ trước.")
c.rank_among_chosen(f)
if f.map == "new":
    # The rule for combining predecessors' scores (docs/map.md).
    st.caption("Địa giới theo xã mới: mỗi tháng, điểm của xã mới trước 01/07/2025 là điểm trung bình "
               "các xã cũ sáp nhập vào, **có trọng số theo số cán bộ, công chức, viên chức** (Số CBCCVC "
               "trong bảng cam kết của năm đó) khi mọi xã cũ có điểm đều có số này, nếu không thì "
               "trung bình cộng; điểm trung bình trong kỳ là trung bình các tháng (quý, năm). Số kỳ "
               "đánh giá và số lượt xếp loại là tổng của các xã cũ và xã mới.")
if f.scope is not None:
    st.caption("Điểm và thứ hạng được công bố công khai, nên bảng xếp hạng có mọi đơn vị cùng loại với "
               "đơn vị của tài khoản; số kỳ đánh giá và số lượt xếp loại chỉ hiện cho đơn vị của tài khoản. "
               "Các bảng và tệp tải khác chỉ có số liệu trong phạm vi tài khoản.")


def _rank_change(x) -> str:
    if pd.isna(x):
        return "–"
    x = int(x)
    return f"▲ {x}" if x > 0 else (f"▼ {-x}" if x < 0 else "=")


def _highlight(row: pd.Series) -> list[str]:
    v = row.get("Thay đổi hạng")
    color = "" if pd.isna(v) or v == 0 else ("color: #2e7d32" if v > 0 else "color: #c62828")
    return [color if name == "Thay đổi hạng" else "" for name in row.index]


# The table's shape (rank change next to the score, the kind last and only when kinds are
# mixed) is metrics.display's, so the CSV and `python -m metrics ranking` are this same table.
# The index is the unit_id (metrics), hidden, used below for the unit history.
sty = c.styled(ranking).format(_rank_change, subset=["Thay đổi hạng"])
# Widths that fit the whole table on a 1440 px screen (the grid otherwise sizes every column
# from its heading plus room for a sort arrow).
RANKING_WIDTHS = {
    "Hạng": 48, "Đơn vị": 228, "Điểm TB": 66, "Thay đổi hạng": 102, "Hạng kỳ trước": 100,
    "Số kỳ đánh giá": 104, "Xuất sắc": 68, "Tốt": 42, "Hoàn thành": 84, "Không hoàn thành": 122,
    "Loại đơn vị": 150,
}
c.table(ranking, slug="xep-hang-don-vi", sel=sel, key="ranking", sty=sty, highlight=_highlight,
        csv_title=data.csv_title("ranking", f, ranking),
        column_config={col: st.column_config.Column(width=w) for col, w in RANKING_WIDTHS.items()
                       if col in ranking})

# A province's ranking has hundreds of units: a bar and a row per unit make charts thousands of
# pixels tall (13–14k px for 538 units) that take seconds to draw and cannot be read on a phone.
# Above 2 × CHART_EACH units with a score the two charts show the best and the worst CHART_EACH;
# the ranking table, the score table and their downloads keep every unit.
CHART_EACH = 20
scored = ranking.dropna(subset=["Điểm TB"])
chart_units = None
if len(scored) > 2 * CHART_EACH:
    chart_units = set(scored["Đơn vị"].head(CHART_EACH)) | set(scored["Đơn vị"].tail(CHART_EACH))
    st.caption(f"Hai biểu đồ dưới đây có {CHART_EACH} đơn vị điểm cao nhất và {CHART_EACH} đơn vị điểm "
               f"thấp nhất trong {vn_int(len(scored))} đơn vị có điểm; bảng xếp hạng ở trên và bảng điểm "
               f"theo tháng có đủ mọi đơn vị.")
bars = ranking if chart_units is None else ranking[ranking["Đơn vị"].isin(chart_units)]
c.light_chart(light_charts.score_bar_spec(bars), key="ranking-bars", title="Điểm trung bình theo đơn vị"
              + ("" if chart_units is None else f" ({CHART_EACH} cao nhất, {CHART_EACH} thấp nhất)"),
              empty="Chưa có điểm đánh giá trong kỳ")

tf = trend_window(f, sel.first_month)
heat = data.table("heatmap", tf)
st.subheader("Điểm theo đơn vị và tháng")
if tf.date_from != f.date_from:
    st.caption(f"Lấy 12 tháng đến hết kỳ đã chọn: {c.period_text(tf)}. Đơn vị xếp theo thứ hạng trong kỳ.")
# Units in rank order; units not ranked in the period after them, in the (Vietnamese) order the
# heatmap came in. A longer window can name a unit with its validity where the ranking does not.
position = {u: i for i, u in enumerate(ranking["Đơn vị"])}
ranked_as = [drop_validity_suffix(u, f.date_from, f.date_to) for u in heat["Đơn vị"]]
heat_sorted = heat.assign(_o=[position.get(u, len(position)) for u in ranked_as]).sort_values(
    ["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
heat_shown = heat_sorted if chart_units is None else heat_sorted[
    heat_sorted["Đơn vị"].map(dict(zip(heat["Đơn vị"], ranked_as))).isin(chart_units)]
c.light_chart(light_charts.heatmap_spec(heat_shown), key="heatmap", empty="Chưa có điểm đánh giá trong kỳ")
# Built only once opened: at the widest period of a province (538 units × 84 months) the table
# is 45k rows, ~1 s of the server's and the browser's work for a table few open.
c.lazy_expander("Bảng điểm theo đơn vị và tháng", c.HEATMAP_TABLE_EXPANDER,
                lambda: c.table(heat_sorted, slug="diem-theo-thang", sel=sel, key="heatmap-table", filters=tf))

st.subheader("Lịch sử của một đơn vị")
# The ranking carries the unit_id (its index): the units to pick from, in rank order, named as
# in the table above.
ranked_ids = [str(u) for u in ranking.index]
id_to_name = dict(zip(ranked_ids, ranking["Đơn vị"]))
if f.scope is not None:  # a viewer's own units: the rows the public ranking gives counts for
    ranked_ids = [u for u, n in zip(ranked_ids, ranking["Số kỳ đánh giá"]) if pd.notna(n)]
if not ranked_ids:
    c.no_data("Đơn vị của tài khoản chưa có điểm đánh giá trong kỳ.", "Hãy chọn kỳ dài hơn.")
    st.stop()
url.init_state("dv", ranked_ids, ranked_ids[0])
unit_id = st.selectbox("Chọn đơn vị", ranked_ids, format_func=lambda u: id_to_name.get(u, u), key="dv",
                       placeholder="Chọn đơn vị")
url.write({"dv": unit_id})
history = data.table("unit_history", tf, unit_id=unit_id)
if history.empty:
    c.no_data(f"{id_to_name.get(unit_id, unit_id)} chưa có điểm đánh giá theo tháng trong kỳ.",
              "Hãy chọn kỳ dài hơn.")
else:
    c.light_chart(light_charts.unit_history_spec(history, rank="Hạng trong tháng", merger=sel.merger),
                  key="unit-history", title=f"Điểm theo tháng – {id_to_name.get(unit_id, unit_id)}",
                  empty="Đơn vị chưa có điểm đánh giá trong kỳ")
    c.law_caption(tf)
    c.table(history, slug="lich-su-don-vi", sel=sel, key="unit-history-table",
            unit_names=[id_to_name.get(unit_id, unit_id)], filters=tf,
            csv_title=data.csv_title("unit_history", tf, history))
