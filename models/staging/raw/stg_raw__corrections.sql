with

source as (

    select * from {{ source('raw', 'corrections') }}

),

renamed as (

    select
        correction_id,
        created_at,
        lower(sha256) as sha256,
        report_id as report_id_when_made,
        source_file as source_file_when_made,
        indicator_code,
        action,
        value,
        coalesce(qualifier, 'exact') as qualifier,
        reason,

    from source

)

select * from renamed
