-- Law publicity and rule-of-law training: one row per jurisdiction and report year (see macros/domain_fact.sql).
{{ domain_fact(
    indicators=[
        'publicity_events',
        'publicity_reach',
        'publicity_materials',
        'publicity_budget',
        'legal_literates',
        'training_sessions',
        'training_participants',
        'cadre_exam_participants',
        'cadre_exam_pass_rate',
    ],
) }}
