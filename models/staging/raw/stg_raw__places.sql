with

source as (

    select * from {{ source('raw', 'places') }}

),

renamed as (

    select
        jurisdiction_id,
        name,
        level,
        adcode,
        parent_id,
        province,
        city,
        first_year,
        last_year,
        origin,

    from source

)

select * from renamed
