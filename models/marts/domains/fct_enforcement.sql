-- Administrative enforcement: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'enforcement_cases',
        'enforcement_inspections',
        'enforcement_penalties',
        'enforcement_penalty_amount',
        'enforcement_coercive',
        'enforcement_files_reviewed',
        'enforcement_officers_certified',
        'admin_licensing_cases',
    ],
) }}
