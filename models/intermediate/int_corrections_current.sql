-- The corrections in force: the latest one for each report (by content hash) and indicator,
-- for the reports that are in the warehouse. Earlier corrections of the same pair are
-- superseded; a correction whose report has not landed waits (`fazhi corrections` lists both).
with

corrections as (

    select * from {{ ref('stg_raw__corrections') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

latest as (

    select
        *,
        row_number() over (
            partition by sha256, indicator_code
            order by created_at desc, correction_id desc
        ) as recency,

    from corrections

),

current as (

    select
        l.correction_id,
        r.report_id,
        l.sha256,
        l.indicator_code,
        l.action,
        l.value,
        l.qualifier,
        l.reason,
        l.created_at,

    from latest as l
    inner join reports as r
        on l.sha256 = r.sha256
    where l.recency = 1

)

select * from current
