"""Every number the dashboard shows and the CLI writes: functions (connection, filters) -> DataFrame.

No streamlit import here. Public entry points:
- metrics.filters.Filters, metrics.filters.unit_restriction
- metrics.tables.build / shown / kpis / freshness / unit_options / bieu06_title / csv_title / TABLES
- metrics.display: the display shapes (shown = display.shape(build)); what a page shows, its CSV
  and the CLI's CSV are one table
- metrics.export.to_csv_bytes / csv_file_name / table_csv_bytes
- python -m metrics TABLE --from YYYY-MM-DD --to YYYY-MM-DD ...
"""
