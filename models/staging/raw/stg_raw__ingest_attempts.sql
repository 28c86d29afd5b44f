with

source as (

    select * from {{ source('raw', 'ingest_attempts') }}

),

renamed as (

    select
        source_file,
        sha256,
        status,
        reason,
        report_id,
        attempted_at,
        attempt_seq,
        source_key,
        duplicate_of,

    from source

)

select * from renamed
