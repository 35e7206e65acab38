"""A UTF-8 CSV is read by DuckDB's parallel scanner (when etl.load.CSV_PARALLEL allows), which
refuses a quoted line break (with the ragged-row padding the load needs): the load then reads the
file again with the serial scanner, in a new transaction, and the result is the same as for any
other file. Every test runs with the parallel scanner and with the serial one."""
from __future__ import annotations

import duckdb
import pytest

from etl import load
from etl.load import load_files, preview_files
from etl_helpers import DOSSIER_HEADER, dossier_row, query, write_csv


def _rows():
    return [dossier_row("A1", stt=1),
            dossier_row("A2", procedure="Đăng ký khai sinh\n(có yếu tố nước ngoài)", stt=2),
            dossier_row(None, stt=3),
            [],  # a blank line, dropped
            dossier_row("A3", received="02/05/2023", due="05/05/2023 17:00", finished="  05/05/2023  16:00 ", stt=4)]


@pytest.fixture(params=[True, False], ids=["parallel", "serial"], autouse=True)
def scanner(request, monkeypatch):
    monkeypatch.setattr(load, "CSV_PARALLEL", request.param)
    return request.param


def test_the_parallel_scanner_refuses_a_quoted_line_break(tmp_path):
    """What the fallback is for (if DuckDB ever reads it, the fallback is no longer needed)."""
    path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, _rows())
    con = duckdb.connect()
    with pytest.raises(duckdb.Error, match="parallel scanner does not support"):
        con.execute("SELECT * FROM read_csv(?, header = false, skip = 1, columns = {'c0': 'VARCHAR', 'c1': 'VARCHAR', "
                    "'c2': 'VARCHAR'}, null_padding = true, quote = '\"', escape = '\"', strict_mode = false, "
                    "auto_detect = false, parallel = true)", [str(path)]).fetchall()


@pytest.mark.parametrize("line_break", [True, False])
def test_rows_and_row_numbers_with_or_without_a_quoted_line_break(tmp_path, line_break):
    rows = _rows()
    if not line_break:
        rows[1] = dossier_row("A2", procedure="Đăng ký khai sinh (có yếu tố nước ngoài)", stt=2)
    path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows, title=True, totals=[None, "Tổng cộng:", 4])
    db = tmp_path / "w.duckdb"
    [p] = preview_files([path], db=db)  # staged outside a transaction
    [r] = load_files([path], db=db)
    for x in (p, r):
        assert (x.rows_read, x.rows_to_load, x.rows_rejected) == (4, 3, 1)
        # title block rows 1-5, header row 6, data from row 7; the blank line is row 10
        assert [(j.row_number, j.reason) for j in x.rejects] == [(9, "Thiếu mã hồ sơ")]
    assert query(db, "SELECT dossier_id, procedure_name, finished_at::VARCHAR, finished_has_time FROM dossiers "
                     "ORDER BY dossier_id") == [
        ("A1", "Đăng ký khai sinh", "2023-05-04 10:00:00", True),
        ("A2", "Đăng ký khai sinh (có yếu tố nước ngoài)", "2023-05-04 10:00:00", True),
        ("A3", "Đăng ký khai sinh", "2023-05-05 16:00:00", True),
    ]


def test_a_second_file_in_the_same_load_after_the_fallback(tmp_path):
    """raw (a view over raw_cells, or a table) is replaced file after file on the same connection."""
    a = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, _rows())
    b = write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier_row("B1"), dossier_row(None)])
    db = tmp_path / "w.duckdb"
    ra, rb = load_files([a, b], db=db)
    assert (ra.rows_to_load, rb.rows_to_load) == (3, 1)
    assert [(j.row_number, j.reason) for j in rb.rejects] == [(3, "Thiếu mã hồ sơ")]
    assert query(db, "SELECT count(*) FROM dossiers") == [(4,)]


def test_auto_counts_the_cores_other_processes_keep_busy_not_our_own(scanner):
    """CSV_PARALLEL = "auto" measures, since the last mark, the cores OTHER processes used: our
    own threads' work (hashing the file, DuckDB checking the previous one) leaves them free; a
    process spinning on a core takes one away. (Runs once per scanner fixture value; the measure
    does not depend on it.)"""
    import hashlib
    import os
    import subprocess
    import sys
    import time

    cores = os.cpu_count() or 1
    load.mark_cpu()
    h, t0 = hashlib.sha256(), time.perf_counter()
    while time.perf_counter() - t0 < 0.3:          # our own thread busy
        h.update(b"x" * (1 << 20))
    assert load.free_cores_since_mark() >= cores - 0.5

    spin = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 5: pass"])
    try:
        time.sleep(0.2)                            # it has started spinning
        load.mark_cpu()
        time.sleep(0.4)
        free = load.free_cores_since_mark()
    finally:
        spin.kill()
        spin.wait()
    assert free <= cores - 0.6

    load.mark_cpu()                                # a window too short to tell: no answer
    assert load.free_cores_since_mark() is None
