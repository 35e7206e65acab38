"""Progress of long work (a big load, building a large warehouse, the benchmark), reported by stage.

The work calls a `Progress` callback: `progress(stage, done, total)` — `stage` one of STAGES (or a
free Vietnamese label), `done`/`total` in rows or steps (`total` None when unknown). Who listens
decides how to show it: a bar on a terminal (`terminal()`), a status box on the Dữ liệu page (ui/),
or nothing. No streamlit import here.
"""
from __future__ import annotations

import sys
from typing import Callable, Optional, TextIO

Progress = Callable[[str, int, Optional[int]], None]

# Stages of a load, as a data officer reads them.
STAGES = {
    "read": "Đọc tệp",
    "check": "Kiểm tra",
    "write": "Ghi vào kho",
    "aggregate": "Tổng hợp số liệu",
    "build": "Tạo dữ liệu",
}


def stage_label(stage: str) -> str:
    return STAGES.get(stage, stage)


def silent(stage: str, done: int, total: int | None) -> None:
    """The default listener: shows nothing."""


def terminal(stream: TextIO | None = None, unit: str = "dòng") -> Progress:
    """A progress bar per stage on a terminal (tqdm); nothing when `stream` is not a terminal
    (CI logs, pipes), so scripted runs stay quiet."""
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        return silent
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def show(stage: str, done: int, total: int | None) -> None:
        if total is None or total <= 1:  # a single step: a line saying what is being done
            if done == 0:
                for other in bars.values():
                    other.close()
                bars.clear()
                print(f"{stage_label(stage)}…", file=stream, flush=True)
            return
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():  # one stage at a time: close the previous bar
                other.close()
            bars.clear()
            bar = bars[stage] = tqdm(total=total, desc=stage_label(stage), unit=f" {unit}", file=stream,
                                     leave=False, dynamic_ncols=True,
                                     unit_scale=total >= 100_000)
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.refresh()  # the last state is drawn even when it came faster than tqdm redraws
            bar.close()
            bars.pop(stage, None)

    return show
