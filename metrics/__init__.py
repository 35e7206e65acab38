"""Every number the dashboard shows and the CLI writes: functions (connection, filters) -> DataFrame.

No streamlit import here. Public entry points:
- metrics.filters.Filters, metrics.filters.unit_restriction
- metrics.tables.build / kpis / freshness / unit_options / bieu06_title / TABLES
- metrics.export.to_csv_bytes / csv_file_name / table_csv_bytes
- python -m metrics TABLE --from YYYY-MM-DD --to YYYY-MM-DD ...
"""
