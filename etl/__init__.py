"""Ingest one-stop-shop exports and evaluation / commitment sheets into the DuckDB warehouse.

No streamlit import here: the ETL runs from the command line, from tests and from the data page.
"""
