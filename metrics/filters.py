"""The filter set every metric takes, and the one place the unit restriction SQL is built."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

KINDS = ("commune", "department", "service_unit", "association")

# The two maps ("Địa giới", docs/map.md): "asis" reports a row under the unit that produced it
# (today's behaviour); "new" reports a row of a unit that has ended and has a successor under the
# last successor of its chain (the communes from 01/07/2025), so predecessors sum into it.
MAPS = ("asis", "new")
MAP_LABELS = {"asis": "Như thời điểm phát sinh", "new": "Theo xã mới (từ 01/07/2025)"}


@dataclass(frozen=True)
class Filters:
    date_from: date                 # first day (inclusive, whole days)
    date_to: date                   # last day (inclusive)
    units: tuple[str, ...] = ()     # selected unit_ids, expanded through unit_lineage; () = all
    kinds: tuple[str, ...] = ()     # unit kinds; () = all
    scope: tuple[str, ...] | None = None  # access restriction: None = everything, else ONLY these (+ lineage)
    map: str = "asis"               # "asis" | "new" (MAPS): under which unit a row is reported

    def __post_init__(self) -> None:
        # Accept lists from widgets, keep the object hashable (st.cache_data keys on it).
        for name in ("units", "kinds"):
            value = getattr(self, name)
            if value is None:
                value = ()
            object.__setattr__(self, name, tuple(value))
        if self.scope is not None:
            object.__setattr__(self, "scope", tuple(self.scope))
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                object.__setattr__(self, name, value.date())
            elif not isinstance(value, date):
                raise TypeError(f"{name} phải là ngày (datetime.date)")
        if self.date_from > self.date_to:
            raise ValueError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc")
        if self.map not in MAPS:
            raise ValueError(f"Địa giới không hợp lệ: {self.map} (chọn một trong: {', '.join(MAPS)})")
        bad = [k for k in self.kinds if k not in KINDS]
        if bad:
            raise ValueError(f"Loại đơn vị không hợp lệ: {', '.join(bad)}")

    # -- periods -------------------------------------------------------------------------------
    @property
    def whole_months(self) -> bool:
        return self.date_from.day == 1 and (self.date_to + timedelta(days=1)).day == 1

    def previous(self) -> "Filters":
        """The equal-length period just before: same number of months when the period is whole
        months (Q1 -> Q4 of the year before, 03/2022 -> 02/2022), else the same number of days."""
        if self.whole_months:
            months = (self.date_to.year * 12 + self.date_to.month) - (
                self.date_from.year * 12 + self.date_from.month) + 1
            index = self.date_from.year * 12 + (self.date_from.month - 1) - months
            new_from = date(index // 12, index % 12 + 1, 1)
        else:
            new_from = self.date_from - timedelta(days=(self.date_to - self.date_from).days + 1)
        return replace(self, date_from=new_from, date_to=self.date_from - timedelta(days=1))

    def period_params(self) -> dict:
        """SQL parameters for the period. $start/$end are timestamps, $end EXCLUSIVE (midnight after
        date_to), so 'before the end of `to`' is `< $end`."""
        prev = self.previous()
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "start": datetime.combine(self.date_from, time()),
            "end": datetime.combine(self.date_to + timedelta(days=1), time()),
            "prev_from": prev.date_from,
            "prev_to": prev.date_to,
            "year_from": self.date_from.year,
            "year_to": self.date_to.year,
            # the map is a parameter of the scoped units too; here also for the queries whose
            # unit list is a table (metrics.db._scoped_relation), e.g. _unit_scores.sql
            "map_new": self.map == "new",
        }

    def unit_restriction(self) -> tuple[str, dict]:
        return unit_restriction(self.units, self.kinds, self.scope, self.map)


# The allowed units, with display names. Names shared by two units (Xã Phước Hữu before and after
# the 2025 merger) get their validity appended so tables and selectors can tell them apart; this
# is computed over ALL units first so a name does not change with the filter.
# `units` and `scope` are both expanded through unit_lineage (rollup_id IN list -> unit_id) and
# AND-ed: `units` can only narrow what `scope` allows. An empty scope (not None) allows nothing.
# report_id: the unit a row is REPORTED under (by-unit queries group by report_id, name). Under
# the asis map the unit itself; under the new map ($map_new) the end of the unit's successor chain
# when the unit has ended and has a successor (unit_lineage holds every successor down the chain;
# the end is the one without a successor), else itself. `name` is the display name of report_id:
# under the new map the old units are never shown, so a new commune is named plainly ("Xã Phước
# Hậu"), unless two report units share a name.
_SCOPED_UNITS_SQL = """
    SELECT n.unit_id,
           CASE WHEN $map_new::BOOLEAN THEN coalesce(r.report_name, n.name) ELSE n.name END AS name,
           n.kind,
           CASE WHEN $map_new::BOOLEAN THEN coalesce(r.report_id, n.unit_id) ELSE n.unit_id END AS report_id
    FROM (
        SELECT u.unit_id, u.kind,
               CASE
                   WHEN count(*) OVER (PARTITION BY u.name) > 1 AND u.valid_to IS NOT NULL
                       THEN u.name || ' (đến ' || strftime(u.valid_to, '%d/%m/%Y') || ')'
                   WHEN count(*) OVER (PARTITION BY u.name) > 1 AND u.valid_from IS NOT NULL
                       THEN u.name || ' (từ ' || strftime(u.valid_from, '%d/%m/%Y') || ')'
                   ELSE u.name
               END AS name
        FROM units u
    ) n
    LEFT JOIN (
        -- each unit's last successor (itself when it has none): the unit_lineage row whose
        -- rollup has no successor; named plainly unless another last unit has the same name
        SELECT l.unit_id, t.unit_id AS report_id,
               CASE WHEN t.shared THEN coalesce(t.dated_name, t.name) ELSE t.name END AS report_name
        FROM unit_lineage l
        JOIN (
            SELECT u.unit_id, u.name, count(*) OVER (PARTITION BY u.name) > 1 AS shared,
                   u.name || ' (từ ' || strftime(u.valid_from, '%d/%m/%Y') || ')' AS dated_name
            FROM units u
            WHERE coalesce(u.successor_id, '') = ''
        ) t ON t.unit_id = l.rollup_id
    ) r ON r.unit_id = n.unit_id
    WHERE (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], n.kind))
      AND (len($units::VARCHAR[]) = 0 OR n.unit_id IN (
              SELECT l.unit_id FROM unit_lineage l WHERE list_contains($units::VARCHAR[], l.rollup_id)))
      AND ($scope_all::BOOLEAN OR n.unit_id IN (
              SELECT l.unit_id FROM unit_lineage l WHERE list_contains($scope::VARCHAR[], l.rollup_id)))
"""


def unit_restriction(
    units: tuple[str, ...] | list[str] = (),
    kinds: tuple[str, ...] | list[str] = (),
    scope: tuple[str, ...] | list[str] | None = None,
    map: str = "asis",
) -> tuple[str, dict]:
    """The unit restriction every query uses: a SELECT of (unit_id, name, kind, report_id) of the
    allowed units, to be used as a CTE `scoped_units`, and its parameters. `report_id` is the
    unit a row is reported under on `map` ("asis": the unit; "new": its last successor), `name`
    the display name of report_id. The SQL text never varies; only the parameters carry the
    selection."""
    return _SCOPED_UNITS_SQL, {
        "units": [str(u) for u in units or ()],
        "kinds": [str(k) for k in kinds or ()],
        "scope": [str(s) for s in scope or ()],
        "scope_all": scope is None,
        "map_new": map == "new",
    }
