"""Progress of long work: a bar on a terminal, nothing when the output is not a terminal."""
import io

from etl import progress
from etl.scale import build_scale


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_stays_quiet():
    out = io.StringIO()
    assert progress.terminal(out) is progress.silent
    progress.terminal(out)("read", 10, 100)
    assert out.getvalue() == ""


def test_terminal_shows_each_stage_by_its_vietnamese_name():
    out = _Tty()
    show = progress.terminal(out)
    show("read", 0, 200)
    show("read", 200, 200)
    show("write", 0, None)
    text = out.getvalue()
    assert "Đọc tệp" in text and "200/200" in text.replace(".", "")
    assert "Ghi vào kho…" in text


def test_scale_build_reports_every_chunk(tmp_path):
    seen = []
    build_scale(2_500, db=tmp_path / "s.duckdb", verbose=False,
                progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[0] == ("build", 0, 2_500)
    assert ("build", 2_500, 2_500) in seen
    assert seen[-1] == ("aggregate", 1, 1)
