-- Legal aid and public legal services: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'legal_aid_cases',
        'legal_aid_losses_recovered',
        'legal_aid_fees_saved',
        'hotline_consultations',
        'public_legal_service_items',
    ],
) }}
