with

source as (

    select * from {{ source('raw', 'indicator_candidates') }}

),

renamed as (

    select
        report_id || '-' || lpad(candidate_seq::varchar, 5, '0') as candidate_id,
        report_id,
        candidate_seq,
        indicator_code,
        value,
        unit,
        coalesce(qualifier, 'exact') as qualifier,
        scope,
        scope_reason,
        evidence,
        char_start,
        char_end,
        value_start,
        value_end,
        confidence,
        cue,
        section,
        coalesce(source, 'prose') as source,
        template_version,
        page,

    from source

)

select * from renamed
