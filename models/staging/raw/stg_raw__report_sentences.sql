with

source as (

    select * from {{ source('raw', 'report_sentences') }}

),

renamed as (

    select
        report_id || '-' || lpad(sentence_seq::varchar, 5, '0') as sentence_id,
        report_id,
        report_key,
        sentence_seq,
        char_start,
        char_end,
        search_text,
        index_terms,
        (case when index_terms = '' then 0 else len(string_split(index_terms, ' ')) end)::integer as term_count,

    from source

)

select * from renamed
