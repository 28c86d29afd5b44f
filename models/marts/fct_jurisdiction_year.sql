-- One row per jurisdiction and report year, one column per main indicator (var main_indicators):
-- the figures chosen by the conflict rule of int_jurisdiction_year_candidates (government
-- report over a department's, document number over a repost, confidence, later publication).
-- The losing figures are in fct_indicator_conflicts.
with

candidates as (

    select * from {{ ref('int_jurisdiction_year_candidates') }}

),

chosen as (

    select * from candidates
    where is_chosen

),

pivoted as (

    select
        jurisdiction_id,
        report_year,
        count(distinct report_id) as source_report_count,
        list(distinct report_id order by report_id) as source_report_ids,
        {% for code in var('main_indicators') %}
        max(value) filter (where indicator_code = '{{ code }}') as {{ code }},
        {% endfor %}

    from chosen
    group by 1, 2

)

select * from pivoted
