with

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

places as (

    select
        jurisdiction_id as place_id,
        province as place_province,
        city as place_city,

    from {{ ref('stg_raw__places') }}

),

final as (

    select
        report_id,
        source_file,
        title,
        issuer,
        issuer_kind,
        issuer_basis,
        source_url,
        jurisdiction_id,
        jurisdiction_name,
        jurisdiction_status,
        jurisdiction_method,
        jurisdiction_candidates,
        -- the resolved jurisdiction's province and city; while it is ambiguous or unresolved,
        -- what the evidence settles of them (all homonyms in one province, an area code)
        case when place_id is not null then place_province else jurisdiction_province end as province,
        case when place_id is not null then place_city else jurisdiction_city end as city,
        report_year,
        published_on,
        doc_number,
        index_number,
        script,
        is_garbled,
        encoding,
        text_source,
        page_count,
        unread_pages,
        char_count,
        sha256,
        landed_at,

    from reports
    left join places
        on reports.jurisdiction_id = places.place_id

)

select * from final
