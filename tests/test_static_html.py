"""ui/static_html.py: the KPI cards and the plain tables as HTML, checked on hand-made values."""
from __future__ import annotations

import pandas as pd

from page_blocks import cards as read_cards, plain_tables
from ui.components import styled
from ui.static_html import Card, kpi_cards, plain_table


class _Html:
    def __init__(self, body):
        self.proto = type("P", (), {"body": body})


class _At:
    """What page_blocks reads of an AppTest: its st.html elements."""
    def __init__(self, *bodies):
        self._html = [_Html(b) for b in bodies]

    def get(self, kind):
        return self._html if kind == "html" else []


def test_cards_show_value_change_tone_and_arrow():
    shown = read_cards(_At(kpi_cards([
        Card("Hồ sơ tiếp nhận", 15083, 13074, "int", None, "Hồ sơ tiếp nhận trong kỳ."),  # a volume: grey
        Card("Tỷ lệ đúng hạn", 99.3, 99.4, "pct", True),        # lower, higher is better: bad
        Card("Số hồ sơ trễ hạn", 112, 79, "int", False),         # more late dossiers: bad
        Card("Quá hạn chưa trả", 47, 55, "int", False),          # fewer: good
        Card("Điểm đánh giá TB", 92.54, 92.5, "score", True),    # +0,04 shows as 0,0: no change
        Card("Rất hài lòng", None, 80.0, "pct", True),           # no value: no change shown
    ])))
    assert [(c.label, c.value, c.delta, c.tone, c.arrow) for c in shown] == [
        ("Hồ sơ tiếp nhận", "15.083", "+2.009", "neutral", "up"),
        ("Tỷ lệ đúng hạn", "99,3 %", "-0,1 điểm %", "bad", "down"),
        ("Số hồ sơ trễ hạn", "112", "+33", "bad", "up"),
        ("Quá hạn chưa trả", "47", "-8", "good", "down"),
        ("Điểm đánh giá TB", "92,5", "Không đổi", "neutral", None),
        ("Rất hài lòng", "–", None, None, None),
    ]
    assert shown[0].help == "Hồ sơ tiếp nhận trong kỳ." and shown[1].help is None


def test_card_text_is_escaped_and_ids_are_per_block():
    body = kpi_cards([Card("<b>Nhãn</b>", 1, None, "int", True, 'Giải thích "A & B"')], key="Tab 2")
    assert "<b>" not in body and "&lt;b&gt;Nhãn&lt;/b&gt;" in body
    assert "Giải thích &quot;A &amp; B&quot;" in body
    assert 'id="tab-2-tip-0"' in body and 'aria-describedby="tab-2-tip-0"' in body
    assert 'aria-label="Giải thích: &lt;b&gt;Nhãn&lt;/b&gt;"' in body
    (card,) = read_cards(_At(body))
    assert (card.label, card.help) == ("<b>Nhãn</b>", 'Giải thích "A & B"')


def test_plain_table_formats_numbers_and_right_aligns_only_number_columns():
    df = pd.DataFrame({"Hạng": [1, 2], "Đơn vị": ["Xã <A>", "Xã B"], "Điểm TB": [99.0, 1234.5],
                       "Tỷ lệ đúng hạn (%)": [100.0, None]})
    body = plain_table(styled(df), label="Bảng thử")
    assert body.count(' num"') == 6          # 3 number columns × 2 rows; the names left-aligned
    assert "Xã &lt;A&gt;" in body and 'aria-label="Bảng thử"' in body
    (read,) = plain_tables(_At(body))
    assert list(read.columns) == ["Hạng", "Đơn vị", "Điểm TB", "Tỷ lệ đúng hạn (%)"]
    assert read.iloc[0].tolist()[:3] == [1, "Xã <A>", 99.0]
    assert read.iloc[1, 2] == 1234.5 and pd.isna(read.iloc[1, 3]) and read.iloc[0, 3] == 100.0
    assert ">1.234,5<" in body and ">100,0 %<" in body and ">–<" in body


def test_plain_table_escapes_headings_and_keeps_its_formats():
    df = pd.DataFrame({"A & <B>": ["x < y", "Phòng Văn hóa & Thông tin"], "Tỷ lệ (%)": [92.46, 7.0]})
    body = plain_table(styled(df).format(lambda v: f"[{v}]", subset=["A & <B>"]), label="t")
    assert "A &amp; &lt;B&gt;" in body and "[x &lt; y]" in body and ">92,5 %<" in body
    (read,) = plain_tables(_At(body))
    assert list(read.columns) == ["A & <B>", "Tỷ lệ (%)"]
    assert read["A & <B>"].tolist() == ["[x < y]", "[Phòng Văn hóa & Thông tin]"]
