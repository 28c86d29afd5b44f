-- One figure per report and indicator: the top-ranked total candidate, with a conflict flag
-- when the report states other totals for the same indicator.
with

ranked as (

    select * from {{ ref('int_candidates_ranked') }}

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
        support_count,
        distinct_values > 1 as has_conflict,
        distinct_values - 1 as conflicting_values,

    from ranked
    where candidate_rank = 1

)

select * from chosen
