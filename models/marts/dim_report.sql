with

reports as (

    select * from {{ ref('stg_raw__reports') }}

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

)

select * from final
