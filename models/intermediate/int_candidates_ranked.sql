-- Ranks the jurisdiction-wide (scope = total) candidates of each report and indicator.
-- Rule: highest confidence first; then the value stated most often in the report
-- (a fact repeated in the summary and the body counts once but supports itself);
-- then the earliest statement.
with

candidates as (

    select * from {{ ref('stg_raw__indicator_candidates') }}

),

totals as (

    select * from candidates
    where scope = 'total'

),

supported as (

    select
        *,
        count(*) over (partition by report_id, indicator_code, value) as support_count,

    from totals

),

ranked as (

    select
        *,
        row_number() over (
            partition by report_id, indicator_code
            order by confidence desc, support_count desc, char_start
        ) as candidate_rank,
        count(distinct value) over (partition by report_id, indicator_code) as distinct_values,

    from supported

)

select * from ranked
