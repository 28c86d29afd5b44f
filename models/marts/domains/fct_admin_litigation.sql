-- Administrative litigation: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'admin_litigation_cases',
        'admin_litigation_concluded',
        'admin_litigation_lost',
        'admin_litigation_loss_rate',
        'admin_litigation_hearings',
        'admin_litigation_appearances',
        'admin_litigation_appearance_rate',
    ],
    recomputed_rates=[
        'admin_litigation_loss_rate',
        'admin_litigation_appearance_rate',
    ],
) }}
