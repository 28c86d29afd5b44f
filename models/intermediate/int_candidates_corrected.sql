-- The ranked jurisdiction-wide candidates of every report (int_candidates_ranked) with the
-- analysts' corrections applied (int_corrections_current):
--   * `set`: the corrected value is a candidate of its own (provenance 'corrected', confidence 1)
--     ranked first in its report, carrying the evidence of the figure it replaces (the sentence
--     the analyst corrected; null when the extractor found none) and that figure as
--     extracted_value; the extracted candidates move one rank down and are flagged is_overridden
--     (they show in fct_indicator_conflicts);
--   * `reject`: every extracted candidate of the report and indicator is flagged is_rejected and
--     never chosen (the report states no figure for it; another report's may still win).
-- A view: corrections change without reports changing, so nothing incremental sits after them.
{{ config(materialized='view') }}

with

ranked as (

    select * from {{ ref('int_candidates_ranked') }}

),

corrections as (

    select * from {{ ref('int_corrections_current') }}

),

extracted as (

    select
        r.candidate_id,
        r.report_id,
        r.indicator_code,
        r.value,
        r.unit,
        r.qualifier,
        r.evidence,
        r.char_start,
        r.char_end,
        r.value_start,
        r.value_end,
        r.confidence,
        r.page,
        r.cue,
        r.support_count,
        r.source,
        r.template_version,
        r.candidate_rank + (case when c.action = 'set' then 1 else 0 end) as candidate_rank,
        'extracted' as provenance,
        coalesce(c.action = 'reject', false) as is_rejected,
        coalesce(c.action = 'set', false) as is_overridden,
        c.correction_id,
        c.reason as correction_reason,
        r.value as extracted_value,

    from ranked as r
    left join corrections as c
        on r.report_id = c.report_id
        and r.indicator_code = c.indicator_code

),

corrected as (

    select
        c.report_id || '-corrected-' || c.indicator_code as candidate_id,
        c.report_id,
        c.indicator_code,
        c.value,
        null::varchar as unit,
        c.qualifier,
        r.evidence,
        r.char_start,
        r.char_end,
        r.value_start,
        r.value_end,
        1.0::double as confidence,
        r.page,
        null::varchar as cue,
        1::bigint as support_count,
        r.source,
        r.template_version,
        1::bigint as candidate_rank,
        'corrected' as provenance,
        false as is_rejected,
        false as is_overridden,
        c.correction_id,
        c.reason as correction_reason,
        r.value as extracted_value,

    from corrections as c
    left join ranked as r
        on c.report_id = r.report_id
        and c.indicator_code = r.indicator_code
        and r.candidate_rank = 1
    where c.action = 'set'

),

final as (

    select * from extracted
    union all by name
    select * from corrected

)

select * from final
