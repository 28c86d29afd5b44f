-- One row per jurisdiction and report year, one column per main indicator (var main_indicators).
-- When several reports cover the same jurisdiction and year, the figure comes from, in order:
-- the government's own report over a department's; a report with a document number over a
-- repost without one; the higher extraction confidence; the more recently published report.
with

facts as (

    select * from {{ ref('fct_report_indicators') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

ranked as (

    select
        f.*,
        row_number() over (
            partition by f.jurisdiction_id, f.report_year, f.indicator_code
            order by
                case f.issuer_kind when 'government' then 0 when 'department' then 1 else 2 end,
                (r.doc_number is null),
                f.confidence desc,
                r.published_on desc nulls last,
                f.report_id
        ) as source_rank,

    from facts as f
    inner join reports as r
        on f.report_id = r.report_id
    where f.jurisdiction_id is not null
        and f.report_year is not null

),

chosen as (

    select * from ranked
    where source_rank = 1

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
