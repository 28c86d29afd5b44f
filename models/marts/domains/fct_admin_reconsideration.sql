-- Administrative reconsideration: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'admin_reconsideration_received',
        'admin_reconsideration_accepted',
        'admin_reconsideration_concluded',
        'admin_reconsideration_corrected',
        'admin_reconsideration_correction_rate',
        'admin_reconsideration_settled',
        'admin_reconsideration_resolution_rate',
    ],
    recomputed_rates=[
        'admin_reconsideration_correction_rate',
        'admin_reconsideration_resolution_rate',
    ],
) }}
