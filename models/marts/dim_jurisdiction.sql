with

places as (

    select * from {{ ref('stg_raw__places') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

report_counts as (

    select
        jurisdiction_id,
        count(*) as report_count,

    from reports
    where jurisdiction_id is not null
    group by 1

),

final as (

    select
        p.jurisdiction_id,
        p.name,
        p.level,
        p.adcode,
        p.parent_id,
        p.province,
        p.city,
        p.first_year,
        p.last_year,
        p.origin,
        coalesce(c.report_count, 0) as report_count,

    from places as p
    left join report_counts as c
        on p.jurisdiction_id = c.jurisdiction_id

)

select * from final
