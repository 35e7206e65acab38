"""A load reports its progress by file and stage; the CLI shows it only on a terminal; a CSV whose
first megabyte is UTF-8 but not the rest is still read as the Windows-1258 file it is."""
from __future__ import annotations

from etl.load import load_files
from etl.readers import HEAD_BYTES
from tests.data.bad.make_corpus import _cp1258
from tests.etl_helpers import DOSSIER_HEADER, dossier_row, query, run_etl, write_csv


def test_load_reports_each_file_and_stage_in_order_with_row_counts(tmp_path):
    # a.csv: 4 data rows under a title block, one with a unit not in the registry -> 3 to load.
    a = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [
        dossier_row("HS-1"), dossier_row("HS-2"), dossier_row("HS-3", unit="Xã Không Có"), dossier_row("HS-4"),
    ], title=True)
    # b.csv: 2 rows, both good; c.csv is a.csv again (already loaded in this call: not staged).
    b = write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier_row("HS-5"), dossier_row("HS-6")])
    c = tmp_path / "c.csv"
    c.write_bytes(a.read_bytes())
    seen: list[tuple] = []
    reports = load_files([a, b, c], db=tmp_path / "w.duckdb",
                         progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert {r.file_name: r.status for r in reports} == {"a.csv": "loaded", "b.csv": "loaded", "c.csv": "unchanged"}
    assert seen == [
        ("Tệp «a.csv» (1/2)", 0, None),
        ("read", 0, None), ("read", 4, 4),
        ("check", 0, 4), ("check", 4, 4),
        ("write", 0, 3), ("write", 3, 3),
        ("Tệp «b.csv» (2/2)", 0, None),
        ("read", 0, None), ("read", 2, 2),
        ("check", 0, 2), ("check", 2, 2),
        ("write", 0, 2), ("write", 2, 2),
        ("aggregate", 0, None), ("aggregate", 1, 1),
    ]


def test_cli_load_is_quiet_when_its_output_is_a_pipe(tmp_path):
    a = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier_row("HS-1"), dossier_row("HS-2")])
    done = run_etl("load", str(a), "--db", str(tmp_path / "w.duckdb"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for stage in ("Đọc tệp", "Kiểm tra", "Ghi vào kho", "Tệp «a.csv» (1/1)", "%"):
        assert stage not in done.stdout
    assert "đọc 2 dòng, đã nạp 2" in done.stdout


def test_csv_not_utf8_after_its_first_megabyte_is_read_as_windows_1258(tmp_path):
    # Headings without diacritics (they match all the same) and ASCII rows fill more than the
    # head open_source decodes; the last row spells its unit in Windows-1258 bytes, which are not
    # UTF-8. The whole file is Windows-1258, so that row loads with its unit.
    header = ["STT", "Ma ho so", "Ten thu tuc", "Linh vuc", "Don vi", "Hinh thuc nop",
              "Ngay tiep nhan", "Ngay hen tra", "Ngay tra ket qua", "Phieu xin loi"]
    rows = [dossier_row(f"HS-{i:06d}", unit="Xa Phuoc Hau", procedure="Dang ky khai sinh", field="Ho tich",
                        channel="Truc tiep") for i in range(HEAD_BYTES // 60 + 1000)]
    rows.append(dossier_row("HS-LAST", unit="Xã Phước Hậu", procedure="Đăng ký khai sinh", field="Hộ tịch"))
    path = write_csv(tmp_path / "utf8.csv", header, rows)
    path = tmp_path / "cp1258.csv"
    path.write_bytes(b"".join(_cp1258(ch) for ch in (tmp_path / "utf8.csv").read_text(encoding="utf-8")))
    assert path.stat().st_size > HEAD_BYTES
    head = path.read_bytes()[:HEAD_BYTES]
    head.decode("utf-8")  # the head alone is UTF-8 (ASCII)
    reports = load_files([path], db=tmp_path / "w.duckdb")
    assert reports[0].status == "loaded", reports[0].message
    assert reports[0].rows_to_load == len(rows)
    assert query(tmp_path / "w.duckdb", "SELECT unit_id, procedure_name FROM dossiers WHERE dossier_id = 'HS-LAST'") == \
        query(tmp_path / "w.duckdb", "SELECT unit_id, 'Đăng ký khai sinh' FROM dossiers WHERE dossier_id = 'HS-000000'")
