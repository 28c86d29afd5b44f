-- Every time a report version stopped being current: superseded by a changed file at the same
-- source, or taken out with `fazhi remove`. Current versions are in dim_report; a version that
-- became current again (a correction reverted, a removed file ingested again) says so.
with

history as (

    select * from {{ ref('stg_raw__report_history') }}

),

current_reports as (

    select report_id from {{ ref('stg_raw__reports') }}

),

final as (

    select
        history.report_id,
        history.source_file,
        history.source_key,
        history.sha256,
        history.title,
        history.jurisdiction_id,
        history.report_year,
        history.landed_at,
        history.retired_at,
        history.change,
        history.superseded_by,
        current_reports.report_id is not null as is_current_again,

    from history
    left join current_reports using (report_id)

)

select * from final
