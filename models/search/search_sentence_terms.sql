-- The full-text index: one row per term and sentence (a posting), physically ordered by
-- term_key (the code points of the term's first two characters), so DuckDB's zone maps skip
-- every row group that cannot hold a query's terms. Plus one marker row per indexed report
-- (term_key 0), which is how a build knows what is indexed without scanning the postings.
--
-- Incremental: report_key changes whenever a report is (re-)extracted, so a build indexes the
-- sentences of new keys, appended as one more sorted run, and the pre-hook deletes the postings
-- of keys that are gone. `fazhi build --full-refresh` rewrites it as one sorted run.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="""
            {% if is_incremental() %}
            delete from {{ this }} where report_key in (
                select report_key from {{ this }} where term_key = 0
                except
                select report_key from {{ ref('report_sentences') }}
            )
            {% endif %}
        """,
    )
}}

with

sentences as (

    select * from {{ ref('stg_raw__report_sentences') }}
    where report_key in (select report_key from {{ ref('report_sentences') }})
    {% if is_incremental() %}
        and report_key not in (select report_key from {{ this }} where term_key = 0)
    {% endif %}

),

occurrences as (

    -- a sentence's terms counted inside the row (a histogram of its own list), not by a GROUP BY
    -- over every posting: that aggregation does not spill and ran out of memory at 100k reports
    select
        report_key,
        sentence_seq,
        term_count,
        unnest(map_entries(list_aggregate(string_split(index_terms, ' '), 'histogram'))) as entry,

    from sentences
    where index_terms <> ''

),

postings as (

    select
        unicode(entry.key)::bigint * 2097152 + greatest(unicode(substr(entry.key, 2, 1)), 0) as term_key,
        entry.key as term,
        report_key,
        sentence_seq,
        entry.value::smallint as term_frequency,
        term_count::smallint as sentence_term_count,

    from occurrences

),

markers as (

    select distinct
        0::bigint as term_key,
        '' as term,
        report_key,
        -1 as sentence_seq,
        0::smallint as term_frequency,
        0::smallint as sentence_term_count,

    from sentences

),

final as (

    select * from markers
    union all
    select * from postings

)

select * from final
order by term_key
