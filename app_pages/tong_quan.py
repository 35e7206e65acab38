"""Tổng quan: the period at a glance, against the previous equal period."""
import streamlit as st

from metrics.display import SATISFACTION_TARGET
from ui import components as c, data, light_charts
from ui.filters import trend_window
from ui.format import vn_int

ctx = c.context()
sel, f = ctx.sel, ctx.sel.filters

c.page_header(
    "Tổng quan",
    "Kỳ này các đơn vị tiếp nhận, giải quyết bao nhiêu hồ sơ, đúng hạn đến đâu, được đánh giá thế nào, "
    "so với kỳ trước.",
    ctx.fresh, sel,
)

now, before = data.overview_numbers(f)
has_data = bool(now.get("received") or now.get("returned") or now.get("pending")
                or now.get("avg_score") is not None or now.get("commitment_coverage") is not None
                or now.get("very_satisfied_share") is not None or now.get("violations_per_100") is not None)
if not has_data:
    c.no_data(f"Không có hồ sơ, điểm đánh giá, cam kết, phiếu khảo sát hay kết quả kiểm tra nào trong kỳ "
              f"{sel.period_label} với các đơn vị đã chọn.")
    st.stop()

st.caption(f"Thay đổi so với kỳ trước cùng độ dài: {c.period_text(f.previous())}.")
c.kpi_cards([
    c.Card("Hồ sơ tiếp nhận", now.get("received"), before.get("received"), "int", None,
           "Hồ sơ tiếp nhận trong kỳ (trực tuyến, trực tiếp, bưu chính)."),
    c.Card("Hồ sơ đã giải quyết", now.get("returned"), before.get("returned"), "int", None,
           "Hồ sơ đã trả kết quả trong kỳ."),
    c.Card("Tỷ lệ đúng hạn", now.get("on_time_rate"), before.get("on_time_rate"), "pct", True,
           "(Trước hạn + đúng hạn) / số hồ sơ đã giải quyết."),
    c.Card("Số hồ sơ trễ hạn", now.get("late"), before.get("late"), "int", False,
           "Hồ sơ trả kết quả sau thời hạn, trong kỳ."),
    c.Card("Tỷ lệ trễ hạn", now.get("late_rate"), before.get("late_rate"), "pct", False,
           "Hồ sơ trả quá hạn / số hồ sơ đã giải quyết."),
    c.Card("Quá hạn chưa trả", now.get("pending_overdue"), before.get("pending_overdue"), "int", False,
           "Hồ sơ chưa trả kết quả và đã quá hạn vào cuối kỳ."),
    c.Card("Có phiếu xin lỗi", now.get("apology_coverage"), before.get("apology_coverage"), "pct", True,
           "Hồ sơ quá hạn (đã trả hoặc chưa trả) có phiếu xin lỗi và hẹn lại ngày trả / tổng số hồ sơ quá hạn."),
    c.Card("Nộp trực tuyến", now.get("online_share"), before.get("online_share"), "pct", True,
           "Hồ sơ nộp trực tuyến / hồ sơ tiếp nhận trong kỳ."),
    c.Card("Điểm đánh giá TB", now.get("avg_score"), before.get("avg_score"), "score", True,
           "Điểm trung bình (thang 100) các kỳ đánh giá của đơn vị trong kỳ."),
    c.Card("Tỷ lệ ký cam kết", now.get("commitment_coverage"), before.get("commitment_coverage"), "pct", True,
           "Số cán bộ, công chức, viên chức đã ký / tổng số, các năm thuộc kỳ."),
    c.Card("Rất hài lòng", now.get("very_satisfied_share"), before.get("very_satisfied_share"), "pct", True,
           f"Phiếu “rất hài lòng” / tổng số phiếu khảo sát, các tháng nằm trọn trong kỳ. "
           f"Mục tiêu: trên {c.vn_pct(SATISFACTION_TARGET)}."),
    c.Card("Vi phạm / 100 lượt", now.get("violations_per_100"), before.get("violations_per_100"), "num", False,
           "Số vi phạm phát hiện khi kiểm tra đột xuất / số lượt cán bộ, công chức, viên chức được kiểm tra × 100."),
])
share = now.get("very_satisfied_share")
if share is not None and share < SATISFACTION_TARGET:
    st.caption(f"Tỷ lệ rất hài lòng {c.vn_pct(share)} dưới mục tiêu {c.vn_pct(SATISFACTION_TARGET)}: "
               "xem đơn vị và tháng dưới mục tiêu ở trang Giải quyết TTHC, thẻ “Mức độ hài lòng”.")

# The bulletin: the period's key figures and the monthly trend in one picture for a group chat,
# made when the button is clicked (report.bulletin; Chromium draws it in a few seconds).
from access import audit  # noqa: E402
from report.build import MIME, file_name  # noqa: E402

_bulletin = file_name("png", f, sel.unit_names)
st.download_button(
    "Tải bản tin (ảnh)", icon=":material/image:", key="dl-ban-tin", on_click="ignore", mime=MIME["png"],
    file_name=_bulletin,
    data=audit.tracked_download(lambda: data.report_file("png", f),
                                getattr(ctx.user, "username", None), _bulletin, {"report": "png"}),
    help="Một ảnh 1080 × 1350 các chỉ tiêu chính của kỳ và biểu đồ theo tháng, để gửi nhóm trên điện thoại.",
)

# The two tables under an expander are built and drawn only once it is opened (c.lazy_expander).
def _overview_table() -> None:
    overview = data.overview_table(f)
    c.table(overview, slug="tong-quan-chi-tieu", sel=sel, key="overview", sty=c.overview_styler(overview))


c.lazy_expander("Bảng chỉ tiêu (kỳ này, kỳ trước, thay đổi)", c.OVERVIEW_TABLE_EXPANDER, _overview_table)

st.subheader("Diễn biến theo tháng")
tf = trend_window(f, sel.first_month)
if tf.date_from != f.date_from:
    st.caption(f"Biểu đồ xu hướng lấy 12 tháng đến hết kỳ đã chọn: {c.period_text(tf)}.")
trend = data.table("trend", tf)
if trend.empty:
    c.no_data("Không có số liệu theo tháng trong kỳ.")
else:
    left, right = st.columns(2)
    with left:
        c.light_chart(light_charts.trend_spec(trend, merger=sel.merger), key="trend-tthc",
                      title="Hồ sơ TTHC theo tháng")
    with right:
        c.light_chart(light_charts.score_trend_spec(trend, merger=sel.merger), key="trend-score",
                      title="Điểm đánh giá trung bình theo tháng", empty="Chưa có điểm đánh giá trong kỳ")
    c.lazy_expander("Bảng số liệu theo tháng", c.OVERVIEW_TREND_EXPANDER,
                    lambda: c.table(trend, slug="tong-quan-theo-thang", sel=sel, key="trend", filters=tf))

st.subheader("Đơn vị dẫn đầu và cuối bảng")
st.caption("Theo điểm đánh giá trung bình trong kỳ.")
c.rank_among_chosen(f)
if f.scope is not None:   # metrics.tables.top_units: the public ranking, as on Xếp hạng đơn vị
    st.caption("Điểm và thứ hạng được công bố công khai, nên danh sách có mọi đơn vị cùng loại với đơn vị "
               "của tài khoản, xếp hạng như trang Xếp hạng đơn vị; tỷ lệ đúng hạn chỉ hiện cho đơn vị của "
               "tài khoản.")
c.law_caption(f)
# The best EACH and the worst EACH; when every unit with a score fits in those 2 × EACH rows (the
# four new communes of the demo, one commune's own units) the two lists would show the same units
# twice, so one list shows them all, best first. Asking the best 2 × EACH + 1 tells which case it is.
EACH = 5
top, bottom = data.tables_side_by_side(f, ("top_units", {"n": 2 * EACH + 1}), ("bottom_units", {"n": EACH}))
if top.empty:
    c.no_data("Chưa có điểm đánh giá của đơn vị nào trong kỳ.", "Hãy chọn kỳ khác.")
elif len(top) <= 2 * EACH:
    st.markdown(f"**Cả {vn_int(len(top))} đơn vị có điểm, điểm cao nhất trước**")
    c.table(top, slug="don-vi-theo-diem", sel=sel, key="top", static=True)
else:
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{EACH} đơn vị cao nhất**")
        c.table(top.head(EACH), slug="don-vi-cao-nhat", sel=sel, key="top", static=True)
    with right:
        st.markdown(f"**{EACH} đơn vị thấp nhất**")
        c.table(bottom, slug="don-vi-thap-nhat", sel=sel, key="bottom", static=True)
