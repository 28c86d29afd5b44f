"""fazhi: China's 法治政府建设年度报告 as comparable, traceable fact tables.

The pipeline, one module per stage:
    read.py        bytes on disk -> text (encodings, HTML)
    normalise.py   text -> normalised view with an offset map to the original
    quantities.py  normalised text -> quantities (value, unit, qualifier)
    attribute.py   quantities -> indicator candidates with scope labels
    metadata.py    title, issuer, year, document number
    jurisdiction.py  which jurisdiction a report belongs to
    land.py        records -> DuckDB raw schema
    build.py       dbt build and the atomic swap of the serving warehouse
"""

__version__ = "0.1.0"
