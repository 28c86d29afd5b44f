-- Every report version that is no longer current: superseded by a changed file at the same
-- source, or taken out with `fazhi remove`. Current versions are in dim_report.
with

history as (

    select * from {{ ref('stg_raw__report_history') }}

),

final as (

    select
        report_id,
        source_file,
        source_key,
        sha256,
        title,
        jurisdiction_id,
        report_year,
        landed_at,
        retired_at,
        change,
        superseded_by,

    from history

)

select * from final
