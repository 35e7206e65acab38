"""python -m bench --report  (or python -m bench.report_bench [--db FILE] [--year 2024] [--runs 3])

Time to build the Word draft and the Excel annex of a whole year of the demo (target: both
together in ≤ 10 s), as the Báo cáo page and `python -m report` build them: one
report.data.collect per file (each download builds its own), pictures through kaleido/Chromium.
The first run includes starting Chromium (each build starts and stops it); the median of the
runs after it is recorded in bench/RESULTS.md (section "Report documents", replaced on each run).
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 10.0
SECTION = "## Report documents"


def measure(db: Path, year: int, runs: int) -> dict:
    from etl.warehouse import connect_read
    from metrics.filters import Filters
    from report import build

    filters = Filters(dt.date(year, 1, 1), dt.date(year, 12, 31))
    con = connect_read(db)
    try:
        out = {"docx": [], "xlsx": [], "docx_cpu": [], "xlsx_cpu": [], "sizes": {}}
        for _ in range(runs + 1):
            for kind in ("docx", "xlsx"):
                c0 = _cpu()
                t0 = time.perf_counter()
                payload = build.BUILDERS[kind](con, filters)
                out[kind].append(time.perf_counter() - t0)
                out[kind + "_cpu"].append(_cpu() - c0)
                out["sizes"][kind] = len(payload)
    finally:
        con.close()
    first = out["docx"][0] + out["xlsx"][0]
    med = {k: statistics.median(out[k][1:]) for k in ("docx", "xlsx", "docx_cpu", "xlsx_cpu")}
    return {"year": year, "runs": runs, "first_total_s": first, "docx_s": med["docx"], "xlsx_s": med["xlsx"],
            "total_s": med["docx"] + med["xlsx"], "docx_cpu": med["docx_cpu"], "xlsx_cpu": med["xlsx_cpu"],
            "sizes": out["sizes"]}


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (Chromium, once stopped): the
    work done, whatever else shares the cores."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def markdown(r: dict, db: Path) -> str:
    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ok = "✓" if r["total_s"] <= TARGET_S and r["first_total_s"] <= TARGET_S else "✗"
    return "\n".join([
        SECTION,
        "",
        f"Run {dt.datetime.now():%d/%m/%Y %H:%M} with `python -m bench --report` on `{db.name}` "
        f"(the demo warehouse, `python -m etl demo`), year {r['year']}, all units; python "
        f"{platform.python_version()}, load average (1 min) {load:.1f}.",
        "",
        "| file | median wall s (runs 2…) | CPU s (with Chromium) | size |",
        "|---|---:|---:|---:|",
        f"| Word draft (.docx, 3 pictures via kaleido + Chromium) | {r['docx_s']:.2f} | {r['docx_cpu']:.2f} | {r['sizes']['docx'] / 1024:.0f} KiB |",
        f"| Excel annex (.xlsx, 2 × Biểu 06 + a sheet per table) | {r['xlsx_s']:.2f} | {r['xlsx_cpu']:.2f} | {r['sizes']['xlsx'] / 1024:.0f} KiB |",
        f"| **both** | **{r['total_s']:.2f}** | {r['docx_cpu'] + r['xlsx_cpu']:.2f} | target ≤ {TARGET_S:.0f} s {ok} |",
        "",
        f"First run (Chromium starting cold, files cold): {r['first_total_s']:.2f} s for both. Wall "
        "times above a load average of ~2 are upper bounds: other jobs shared the 2 cores.",
        "",
    ])


def record(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda m: text + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.report_bench")
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = ap.parse_args(argv)
    if not args.db.exists():
        print(f"Không có kho dữ liệu {args.db}: chạy `python -m etl demo` trước.", file=sys.stderr)
        return 1
    r = measure(args.db, args.year, args.runs)
    text = markdown(r, args.db)
    print(text)
    record(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
