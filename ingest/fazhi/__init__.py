"""fazhi: China's 法治政府建设年度报告 as comparable, traceable fact tables.

The pipeline, one subpackage per stage (README "How it works" says more):
    read/        bytes on disk -> text (encodings, HTML)
    normalise/   text -> normalised view with an offset map; characters; sentences; mojibake
    extract/     quantities (value, unit, qualifier) -> indicator candidates with scope labels
    place/       title, issuer, year, document number; which jurisdiction
    warehouse/   raw schema, landing into DuckDB, dbt build and publish, export
    serve/       evidence queries, `fazhi explain`, `fazhi report`
    rules.py     the one loader of the seeds (rules as data)
    pipeline.py  the per-report chain and the streaming, parallel ingest
    cli.py       the `fazhi` command
"""

__version__ = "0.1.0"
