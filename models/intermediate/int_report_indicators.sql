-- One figure per report and indicator: the top-ranked total candidate after the analysts'
-- corrections (int_candidates_corrected: a correction outranks the extracted candidates, a
-- rejection removes them), with a conflict flag when the report states other totals for the
-- same indicator (or a correction replaced another value).
with

candidates as (

    select * from {{ ref('int_candidates_corrected') }}
    where not is_rejected

),

counted as (

    select
        *,
        count(distinct value) over (partition by report_id, indicator_code) as distinct_values,

    from candidates

),

chosen as (

    select
        candidate_id,
        report_id,
        indicator_code,
        value,
        unit,
        qualifier,
        evidence,
        char_start,
        char_end,
        value_start,
        value_end,
        confidence,
        page,
        cue,
        source,
        template_version,
        support_count,
        distinct_values > 1 as has_conflict,
        distinct_values - 1 as conflicting_values,
        source,
        template_version,
        provenance,
        correction_id,
        correction_reason,
        extracted_value,

    from counted
    where candidate_rank = 1

)

select * from chosen
