"""The Ninh Phước demo, 07/2019 to the last full month before the day it is built, written as the
raw files real systems export and loaded through the real ETL. Until 06/2025 the district's 30
units; from 07/2025 the four communes that replaced them (data/reference/units.csv).

`write_demo_files` runs every kind's demo generator (etl/sources/*_demo.py, found through the
registry etl.sources.SOURCES) into a directory; `build_demo` then loads the files with
`etl.load.load_files` and marks the warehouse as demo data. Units, calendar and the writers the
generators share are in etl/demo_common.py. The same seed and months give byte-identical files.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Shared settings, re-exported for the callers that read them from here.
from .demo_common import (DEFAULT_OUT_DIR, DEFAULT_SEED, DEMO_MARK, FIRST_MONTH, LAST_MONTH, UNITS,  # noqa: F401
                          WEAK_UNITS, last_full_month)
from .sources import SOURCES


def write_demo_files(out_dir: Path | str | None = None, seed: int = DEFAULT_SEED, *,
                     first_month: tuple[int, int] = FIRST_MONTH,
                     last_month: tuple[int, int] | None = None) -> list[Path]:
    """Write the demo's raw files into out_dir (default data/demo/); return them in load order.

    Load order: the kinds in registry order, each generator's files in its own order (dossier books
    month by month: a later book updates dossiers carried over from the earlier one). Files the
    generators wrote earlier (their FILE_NAME patterns) are removed first; nothing else in out_dir
    is touched. last_month defaults to the last full month before today. A narrower
    [first_month, last_month] (tests) gives a consistent smaller demo.
    """
    last_month = last_month or last_full_month()
    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    generators = [s.demo() for s in SOURCES if s.demo_module]
    for p in out.iterdir():
        if p.is_file() and any(g.FILE_NAME.match(p.name) for g in generators):
            p.unlink()
    files: list[Path] = []
    for g in generators:
        files += g.write_demo(out, seed, first_month, last_month)
    return files


def build_demo(out_dir: Path | str | None = None, db: Path | None = None, seed: int = DEFAULT_SEED) -> list:
    """Write the demo files and load them through the real ETL, marking the warehouse as demo.

    Returns the ETL's per-file reports (`etl.load.load_files`), which is what `python -m etl demo`
    prints; the written files are `write_demo_files(out_dir, seed)` (same names every run).
    """
    from .load import load_files

    files = write_demo_files(out_dir, seed)
    return load_files(files, db, user="demo", meta={"is_demo": "true"})


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    ap = argparse.ArgumentParser(prog="python -m etl.demo", description="Tạo dữ liệu minh họa Ninh Phước")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-load", action="store_true", help="chỉ ghi tệp, không nạp vào kho dữ liệu")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.no_load:
        files = write_demo_files(a.out, a.seed)
        print(f"{len(files)} tệp trong {a.out} ({time.perf_counter() - t0:.1f} giây)")
        return 0
    reports = build_demo(a.out, a.db, a.seed)
    for r in reports:
        if r.status != "loaded" or getattr(r, "rows_rejected", 0):
            print(f"{r.status}: {r.message}")
    print(f"{len(reports)} tệp minh họa trong {a.out}, nạp xong sau {time.perf_counter() - t0:.1f} giây")
    return 0


if __name__ == "__main__":
    sys.exit(main())
