"""Commendations (khen thưởng): one row per recipient of a decision, into `commendations`.

Level and form are kept as the decision writes them. Whether the recipient is a collective or a
person comes from a "Tập thể/Cá nhân" column, else from the form (a "Tập thể lao động tiên tiến" is
a collective's title; "Lao động tiên tiến" and "Chiến sĩ thi đua" are a person's), else from the
name (a unit of the registry, or "Tập thể …"). A blank unit cell is taken from a collective's name.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from ..staging import Row, Units, col, dates_of, distinct, resolve_unit, stage_rows
from ..text import fold
from .base import SourceKind

if TYPE_CHECKING:
    import duckdb

    from ..headers import HeaderMatch
    from ..staging import FileReport

SYNONYMS = {
    "decision_no": (("so quyet dinh", "so qd", "quyet dinh so", "so hieu quyet dinh", "so ky hieu", "quyet dinh"), ()),
    "decided_on": (("ngay quyet dinh", "ngay qd", "ngay ky", "ngay ban hanh", "ngay ky quyet dinh",
                    "ngay thang nam quyet dinh"), ()),
    "level": (("cap khen thuong", "cap khen", "cap quyet dinh", "co quan quyet dinh", "cap"), ()),
    "form": (("hinh thuc khen thuong", "hinh thuc", "danh hieu", "hinh thuc danh hieu", "danh hieu thi dua",
              "loai khen thuong"), ()),
    "recipient_kind": (("tap the ca nhan", "doi tuong", "tap the hay ca nhan", "loai doi tuong", "ca nhan tap the",
                        "doi tuong khen thuong"), ()),
    "recipient_name": (("ten tap the ca nhan", "ho va ten", "ho ten", "ten tap the", "ten ca nhan",
                        "tap the ca nhan duoc khen thuong", "ten tap the ca nhan duoc khen thuong", "nguoi duoc khen",
                        "ten"), ()),
    "unit": (("don vi", "don vi cong tac", "co quan don vi", "co quan cong tac", "ten don vi", "co quan"), ()),
}

REQUIRED = ("decision_no", "decided_on", "level", "form", "recipient_name", "unit")

COLUMN_LABELS = {
    "decision_no": "Số quyết định", "decided_on": "Ngày quyết định", "level": "Cấp khen thưởng",
    "form": "Hình thức khen thưởng", "recipient_kind": "Tập thể/Cá nhân", "recipient_name": "Tên tập thể, cá nhân",
    "unit": "Đơn vị",
}

RECIPIENT_KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}


def recipient_kind_of(text: str | None) -> str | None:
    """'collective' | 'individual' from the words a sheet uses; None when it is not one of them."""
    f = fold(text)
    if f in ("tap the", "tt", "to chuc", "co quan", "don vi") or f.startswith("tap the "):
        return "collective"
    if f in ("ca nhan", "cn") or f.startswith("ca nhan "):
        return "individual"
    return None


def kind_of_form(form: str | None) -> str | None:
    """The recipient kind a form implies, or None when both may receive it (Giấy khen, Bằng khen)."""
    f = fold(form)
    if "tap the" in f:
        return "collective"          # Tập thể lao động tiên tiến / xuất sắc
    if "lao dong tien tien" in f or "chien si thi dua" in f:
        return "individual"
    return None


def stage(con: duckdb.DuckDBPyConnection, hm: HeaderMatch, report: FileReport) -> None:
    units = Units(con)
    days = dates_of(con, distinct(con, col(hm, "decided_on")))

    def check(row: Row) -> tuple | None:
        number, raw_day = row.get("decision_no"), row.get("decided_on")
        if number is None:
            row.reject("decision_no", "Thiếu số quyết định")
        day = days.get(raw_day) if raw_day is not None else None
        if raw_day is None:
            row.reject("decided_on", "Thiếu ngày quyết định")
        elif day is None:
            row.reject("decided_on", f"Ngày quyết định «{raw_day}» không phải ngày hợp lệ (cần ngày/tháng/năm, "
                                     "ví dụ 02/05/2023)")
        for column, what in (("level", "cấp khen thưởng"), ("form", "hình thức khen thưởng"),
                             ("recipient_name", "tên tập thể, cá nhân được khen thưởng")):
            if row.get(column) is None:
                row.reject(column, f"Thiếu {what}")
        name, form = row.get("recipient_name"), row.get("form")
        unit_id = None
        named_unit = _unit_named(con, units.cache, name, day) if name else None
        if row.get("unit") is None and named_unit:
            unit_id = named_unit
        else:
            unit_id = units.resolve(row, "unit", day)
        written = row.get("recipient_kind")
        kind = recipient_kind_of(written) if written is not None else None
        if written is not None and kind is None:
            row.reject("recipient_kind", f"«{written}» không rõ là tập thể hay cá nhân (cần: Tập thể hoặc Cá nhân)")
        implied = kind_of_form(form)
        if kind and implied and kind != implied:
            row.reject("recipient_kind", f"Hình thức «{form}» dành cho {RECIPIENT_KIND_LABELS[implied].lower()}, "
                                         f"nhưng dòng ghi «{written}»")
        kind = kind or implied
        if kind is None and written is None and name:
            kind = "collective" if named_unit or _names_a_collective(name) else "individual"
        if row.problems:
            return None
        return (number, day, row.get("level"), form, kind, name, unit_id)

    stage_rows(con, hm, report, COLUMN_LABELS, check, key=lambda r: (r[0], r[5], r[6]),
               names=["decision_no", "decided_on", "level", "form", "recipient_kind", "recipient_name", "unit_id"],
               types=[pa.string(), pa.date32(), pa.string(), pa.string(), pa.string(), pa.string(), pa.string()],
               period=lambda recs: (min(r[1] for r in recs), max(r[1] for r in recs)))


# How the name of a collective starts: "Tập thể …", "Phòng …", "Tổ một cửa …", "Ban …", …  Words that are
# also family names once folded (Tô / Tổ, Trương / Trường, Đoàn) only with the word after them.
_COLLECTIVE_WORDS = ("tap the", "phong", "ban", "trung tam", "hoi", "van phong", "ubnd", "uy ban", "bo phan",
                     "chi bo", "thanh tra", "xa", "thi tran", "khoi", "cong an", "to mot cua", "to cong tac",
                     "to dan pho", "to chuyen mon", "doan thanh nien", "doan xa", "truong mam non", "truong mau giao",
                     "truong tieu hoc", "truong trung hoc", "truong thcs", "truong thpt")


def _names_a_collective(name: str) -> bool:
    f = fold(name)
    return any(f == w or f.startswith(w + " ") for w in _COLLECTIVE_WORDS)


def _unit_named(con, cache: dict, name: str, on) -> str | None:
    """The registry unit a collective's name designates ("Tập thể UBND xã Phước Hậu", "Phòng Tư pháp")."""
    bare = name
    if fold(bare).startswith("tap the "):
        bare = bare.split(None, 2)[2] if len(bare.split(None, 2)) == 3 else ""
    unit_id, err = resolve_unit(con, cache, bare, on)
    return None if err else unit_id


UPSERT = """
    INSERT OR REPLACE INTO commendations (decision_no, decided_on, level, form, recipient_kind, recipient_name,
                                          unit_id, batch_id)
    SELECT decision_no, decided_on, level, form, recipient_kind, recipient_name, unit_id, $batch FROM stg
"""


TEMPLATE = ("STT", "Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng",
              "Tập thể/Cá nhân", "Tên tập thể, cá nhân", "Đơn vị")
TEMPLATE_HINT = ("Mỗi dòng một tập thể hoặc cá nhân được khen (số quyết định như 125/QĐ-UBND, ngày ngày/tháng/năm); "
                 "cột Tập thể/Cá nhân ghi «Tập thể» hoặc «Cá nhân».")

SOURCE = SourceKind(
    kind="commendations", label="khen thưởng", table="commendations", synonyms=SYNONYMS, required=REQUIRED,
    column_labels=COLUMN_LABELS,
    expected="Số quyết định, Ngày quyết định, Cấp khen thưởng, Hình thức khen thưởng, Tên tập thể, cá nhân, "
             "Đơn vị",
    stage=stage, upsert_sql=UPSERT, demo_module="etl.sources.commendations_demo",
    template=TEMPLATE, template_hint=TEMPLATE_HINT,
)
