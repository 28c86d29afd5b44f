-- Petitions (信访): one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'petitions_received',
        'petitions_completion_rate',
    ],
) }}
