"""Documents built from metrics/ tables (never SQL of their own): the Word draft of the report
(Nghị định 30/2020 format, sections I–IV of the seed report 176/BC-UBND), the Excel annex with
Biểu số 06/VPCP/KSTT in its statutory layout, and the one-picture bulletin.

    python -m report --from 2024-01-01 --to 2024-12-31 --out bao-cao.docx

- data.collect(con, filters) -> ReportData: the KPIs and tables of the period (metrics.tables)
- sections: one function per section, ReportData -> blocks (model: Heading, Paragraph, Table, Picture)
- word.build_docx / excel.build_xlsx / bulletin.build_png: the blocks as files
- build: the three from a connection and Filters, and `write(path)` choosing by the extension
"""
