"""etl.registry.load_reference: the reference CSV files into the tables, as written (types, blanks,
spellings, lineage). Expected rows by hand from the small registry below."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import registry
from etl.load import reference_connection
from etl.warehouse import REFERENCE_DIR

UNITS_CSV = """unit_id,name,kind,valid_from,valid_to,successor_id,aliases
xa-a,Xã An Hòa,commune,2000-01-01,2025-06-30,xa-c,UBND xã An Hòa|An Hoa
xa-b,Xã Bình Sơn,commune,2000-01-01,2025-06-30,xa-c,
xa-c,Xã Cà Ná,commune,2025-07-01,,,
so-x,Sở Xây dựng,department,,,,
"""


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    for f in REFERENCE_DIR.glob("*.csv"):
        if f.name not in ("units.csv", "unit_notes.csv"):
            shutil.copy(f, tmp_path / f.name)
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    (tmp_path / "unit_notes.csv").write_text("unit_id,partial_note\nxa-b,Thiếu số liệu 2019\n", encoding="utf-8")
    return tmp_path


def test_units_aliases_notes_and_lineage(reference_dir):
    con = reference_connection()
    registry.load_reference(con, reference_dir)
    registry.load_reference(con, reference_dir)  # again, as every load does: replaced, not added
    # No `level` column (a registry written before it): the level by kind.
    assert con.execute("SELECT * FROM units ORDER BY unit_id").fetchall() == [
        ("so-x", "Sở Xây dựng", "department", None, None, None, "district"),
        ("xa-a", "Xã An Hòa", "commune", dt.date(2000, 1, 1), dt.date(2025, 6, 30), "xa-c", "commune"),
        ("xa-b", "Xã Bình Sơn", "commune", dt.date(2000, 1, 1), dt.date(2025, 6, 30), "xa-c", "commune"),
        ("xa-c", "Xã Cà Ná", "commune", dt.date(2025, 7, 1), None, None, "commune"),
    ]
    # name, id and aliases, folded and without a leading "UBND" / "xã": "UBND xã An Hòa", "Xã An
    # Hòa" and "An Hoa" are one key, the id "xa-a" is "a".
    assert con.execute("SELECT alias_norm, unit_id FROM unit_aliases ORDER BY ALL").fetchall() == [
        ("a", "xa-a"), ("an hoa", "xa-a"), ("b", "xa-b"), ("binh son", "xa-b"), ("c", "xa-c"),
        ("ca na", "xa-c"), ("so x", "so-x"), ("so xay dung", "so-x"),
    ]
    assert con.execute("SELECT * FROM unit_notes").fetchall() == [("xa-b", "Thiếu số liệu 2019")]
    assert con.execute("SELECT unit_id, rollup_id FROM unit_lineage ORDER BY ALL").fetchall() == [
        ("so-x", "so-x"), ("xa-a", "xa-a"), ("xa-a", "xa-c"), ("xa-b", "xa-b"), ("xa-b", "xa-c"), ("xa-c", "xa-c"),
    ]


def test_a_kind_outside_the_list_is_refused(reference_dir):
    (reference_dir / "units.csv").write_text(UNITS_CSV.replace("department", "phong_ban"), encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="^units.csv, dòng 5: loại đơn vị «phong_ban» không hợp lệ"):
        registry.load_reference(reference_connection(), reference_dir)


def test_a_date_that_is_not_one_is_refused(reference_dir):
    (reference_dir / "units.csv").write_text(UNITS_CSV.replace("2025-07-01", "01/07/2025"), encoding="utf-8")
    with pytest.raises(registry.RegistryError,
                       match="^units.csv, dòng 4: ngày «01/07/2025» ở cột valid_from không đúng dạng NNNN-TT-NN"):
        registry.load_reference(reference_connection(), reference_dir)
