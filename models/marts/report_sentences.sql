-- Every sentence of every report, for full-text search in SQL and BI tools (`fazhi search` ranks
-- them through search_sentence_terms). Incremental by report: report_key changes whenever a
-- report is (re-)extracted, so a build adds the sentences of new keys and the pre-hook drops
-- those of keys that are gone (a re-extracted or removed report).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook="""
            {% if is_incremental() %}
            delete from {{ this }} where report_key not in (
                select report_key from {{ ref('stg_raw__report_sentences') }}
            )
            {% endif %}
        """,
    )
}}

with

sentences as (

    select * from {{ ref('stg_raw__report_sentences') }}
    {% if is_incremental() %}
    where report_key not in (select report_key from {{ this }})
    {% endif %}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

final as (

    select
        s.sentence_id,
        s.report_id,
        s.sentence_seq,
        r.source_file,
        r.jurisdiction_id,
        r.report_year,
        s.char_start,
        s.char_end,
        substring(r.original_text, s.char_start + 1, s.char_end - s.char_start) as sentence,
        s.search_text,
        s.term_count,
        s.report_key,

    from sentences as s
    inner join reports as r
        on s.report_id = r.report_id

)

select * from final
-- ordered by report, so `fazhi search` fetches its hits through the zone maps (one sorted run
-- per build)
order by report_key, sentence_seq
