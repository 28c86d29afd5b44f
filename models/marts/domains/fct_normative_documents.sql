-- Normative documents: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'normative_doc_reviews',
        'normative_doc_filings',
        'normative_doc_repealed',
    ],
) }}
