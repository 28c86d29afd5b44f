with

source as (

    select * from {{ source('raw', 'report_history') }}

),

renamed as (

    select
        report_id,
        sha256,
        source_file,
        source_key,
        title,
        jurisdiction_id,
        report_year,
        landed_at,
        retired_at,
        change,
        superseded_by,

    from source

)

select * from renamed
