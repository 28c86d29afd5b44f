-- Figures a report states that cannot all be true, named with their report, for the people
-- who publish the warehouse: `fazhi build` lists these reports instead of refusing to publish.
with

findings as (

    select * from {{ ref('int_report_indicators_checked') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

final as (

    select
        f.report_id,
        r.source_file,
        r.jurisdiction_id,
        r.report_year,
        f.check_name,
        f.indicator_code,
        f.value,
        f.detail,
        f.is_excluded,

    from findings as f
    inner join reports as r
        on f.report_id = r.report_id

)

select * from final
