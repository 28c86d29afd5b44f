-- People's mediation: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'mediation_cases_accepted',
        'mediation_cases_resolved',
        'mediation_success_rate',
        'mediation_amount_involved',
    ],
    recomputed_rates=[
        'mediation_success_rate',
    ],
) }}
