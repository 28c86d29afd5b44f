-- The latest attempt for every file ever given to `fazhi ingest`.
with

attempts as (

    select * from {{ ref('stg_raw__ingest_attempts') }}

),

latest as (

    select *
    from attempts
    qualify row_number() over (partition by source_file order by attempt_seq desc) = 1

),

final as (

    select
        source_file,
        sha256,
        status,
        reason,
        report_id,
        attempted_at,
        duplicate_of,

    from latest

)

select * from final
