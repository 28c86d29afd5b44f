-- Ranks the jurisdiction-wide (scope = total) candidates of each report and indicator.
-- Rule, in order:
--   1. a measure word that fits the catalog unit (or is unknown) before one that does not;
--   2. a cell of the standard 政府信息公开 template before any other figure (the mandated table is
--      the authoritative statement; a prose figure that disagrees is listed as a conflict);
--   3. a candidate that agrees with its own report's stated rate (numerator / denominator
--      reproduces the stated rate within 0.1 points) before one that does not;
--   4. an explicit whole-jurisdiction marker (全区, 共计, a 合计 row ...) before an unmarked figure;
--   5. higher extraction confidence (a generic table cell is 0.6, below most prose totals);
--   6. the value stated most often in the report (summary and body repeat the total);
--   7. the earliest statement (a total comes before its breakdown; an exact figure is not
--      preferred over an approximate one, which is often the rounded whole beside an exact part).
--
-- depends_on: {{ ref('stg_raw__reports') }}
-- Incremental by report: every rule above looks inside one report only, so a build re-ranks just
-- the reports landed (or re-extracted) since the last build. The pre-hook also clears reports
-- that were re-extracted to no total candidate at all, which delete+insert alone would miss.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='report_id',
        pre_hook="""
            {% if is_incremental() %}
            delete from {{ this }} where report_id in (
                select report_id from {{ ref('stg_raw__reports') }}
                where landed_at > (select coalesce(max(report_landed_at), '1900-01-01'::timestamp) from {{ this }})
            )
            {% endif %}
        """,
    )
}}

with

candidates as (

    select * from {{ ref('int_candidates_normalised') }}
    {% if is_incremental() %}
    where report_landed_at > (select coalesce(max(report_landed_at), '1900-01-01'::timestamp) from {{ this }})
    {% endif %}

),

indicators as (

    select * from {{ ref('indicators') }}

),

totals as (

    select * from candidates
    where is_total

),

rate_definitions as (

    -- single-code numerators only; a sum numerator (a+b) is not used for ranking
    select
        code as rate_code,
        numerator_code,
        denominator_code,

    from indicators
    where kind = 'rate'
        and coalesce(numerator_code, '') <> ''
        and coalesce(denominator_code, '') <> ''
        and not contains(numerator_code, '+')

),

coherent_triples as (

    select
        n.candidate_id as numerator_id,
        d.candidate_id as denominator_id,
        r.candidate_id as rate_id,

    from rate_definitions as def
    inner join totals as n
        on n.indicator_code = def.numerator_code
    inner join totals as d
        on d.report_id = n.report_id
        and d.indicator_code = def.denominator_code
    inner join totals as r
        on r.report_id = n.report_id
        and r.indicator_code = def.rate_code
    where d.value > 0
        and abs(100.0 * n.value / d.value - r.value) <= 0.1

),

coherent_candidates as (

    select distinct unnest([numerator_id, denominator_id, rate_id]) as candidate_id,
    from coherent_triples

),

supported as (

    select
        t.*,
        c.candidate_id is not null as is_rate_coherent,
        count(*) over (partition by t.report_id, t.indicator_code, t.value) as support_count,

    from totals as t
    left join coherent_candidates as c
        on t.candidate_id = c.candidate_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by report_id, indicator_code
            order by
                (is_unit_compatible is not false) desc,
                (template_version is not null) desc,
                is_rate_coherent desc,
                has_total_marker desc,
                confidence desc,
                support_count desc,
                char_start,
                candidate_seq
        ) as candidate_rank,
        count(distinct value) over (partition by report_id, indicator_code) as distinct_values,

    from supported

)

select * from ranked
