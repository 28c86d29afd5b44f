with

source as (

    select * from {{ source('raw', 'reports') }}

),

renamed as (

    select
        report_id,
        sha256,
        source_file,
        original_text,
        encoding,
        source_format,
        -- reports landed before text_source existed were text or HTML: source_format says which
        coalesce(text_source, source_format) as text_source,
        page_count,
        unread_pages,
        char_count,
        title,
        issuer,
        coalesce(issuer_kind, 'government') as issuer_kind,
        issuer_basis,
        source_url,
        doc_number,
        index_number,
        published_on,
        report_year,
        script,
        coalesce(is_garbled, false) as is_garbled,
        garbled_spans,
        jurisdiction_id,
        jurisdiction_name,
        jurisdiction_level,
        jurisdiction_status,
        jurisdiction_method,
        jurisdiction_candidates,
        jurisdiction_province,
        jurisdiction_city,
        extractor_version,
        landed_at,

    from source

)

select * from renamed
