"""What a kind of file is: the shape every module under etl/sources/ fills in once (`SOURCE`)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Callable

import duckdb

if TYPE_CHECKING:
    from ..headers import HeaderMatch
    from ..staging import FileReport

# canonical column -> (exact-or-prefix synonyms, "contains" phrases), all folded (etl.text.fold).
# A heading matches a synonym when, folded, it equals it or starts with it followed by a space;
# "contains" phrases are distinctive enough to match anywhere in the heading.
Synonyms = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class SourceKind:
    kind: str                       # load_batches.kind
    label: str                      # what a user calls it: "hồ sơ TTHC"
    table: str                      # the warehouse table it fills
    synonyms: Synonyms
    required: tuple[str, ...]       # columns a header must have to be this kind
    column_labels: dict[str, str]   # canonical -> the usual Vietnamese heading
    expected: str                   # the headings named when no header is found: "Đơn vị, Năm, …"
    # stage(con, hm, report): TEMP TABLE raw -> TEMP TABLEs stg and stg_rejects; fills the report
    stage: Callable[[duckdb.DuckDBPyConnection, "HeaderMatch", "FileReport"], None]
    # SQL writing stg into the table, $batch the batch id (unless `write` does it)
    upsert_sql: str = ""
    # beyond the required columns: does this set of columns make a header of this kind?
    accepts: Callable[[dict[str, int]], bool] = lambda columns: True
    # write(con, batch): when one statement is not enough
    write: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None
    # the module writing this kind's demo files: FILE_NAME (regex of its names), write_demo(...);
    # empty: the kind has no demo data
    demo_module: str = ""
    # the blank template (mẫu) data officers fill by hand: its headings in order, and a line on how
    template: tuple[str, ...] = ()
    template_hint: str = ""

    def write_rows(self, con: duckdb.DuckDBPyConnection, batch: int) -> None:
        if self.write is not None:
            self.write(con, batch)
        else:
            con.execute(self.upsert_sql, {"batch": batch})

    def demo(self) -> ModuleType:
        """The demo generator, imported on demand (loading a file never needs numpy or holidays)."""
        return importlib.import_module(self.demo_module)
