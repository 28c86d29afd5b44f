-- Every catalog rate that can be recomputed for a jurisdiction and year from its chosen
-- counts (the figures of fct_jurisdiction_year), beside the stated rate if any.
with

candidates as (

    select * from {{ ref('int_jurisdiction_year_candidates') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

chosen as (

    select
        jurisdiction_id,
        report_year,
        indicator_code,
        value,
        report_id,

    from candidates
    where is_chosen

),

checked as (

    {{ recompute_rates('chosen', 'indicators', ['jurisdiction_id', 'report_year']) }}

),

final as (

    select
        jurisdiction_id,
        report_year,
        indicator_code,
        stated_rate,
        recomputed_rate,
        rate_difference,
        rate_mismatch,
        numerator_value,
        denominator_value,
        stated_report_id,
        source_report_ids,
        len(source_report_ids) = 1 as is_single_report,

    from checked

)

select * from final
