with

indicators as (

    select * from {{ ref('indicators') }}

),

final as (

    select
        code as indicator_code,
        domain,
        name_zh,
        name_en,
        unit,
        kind,
        nullif(numerator_code, '') as numerator_code,
        nullif(denominator_code, '') as denominator_code,
        cue_phrases_zh,
        source,
        notes,
        nullif(mart, '') as mart,
        is_main,
        nullif(part_of, '') as part_of,

    from indicators

)

select * from final
