-- Every jurisdiction-wide candidate of every report with a resolved jurisdiction and year,
-- ranked by the conflict rule within its jurisdiction, year and indicator:
--   1. the government's own report over a department's (over any other issuer): department
--      reports roll up to their government's jurisdiction but only fill gaps;
--   2. a report with a document number (文号) over a repost or copy without one;
--   3. the report whose own chosen figure has the higher extraction confidence;
--   4. the later publication (a corrected re-issue supersedes), then report_id (stable);
--   5. within one report, its own ranking (int_candidates_corrected.candidate_rank: an analyst's
--      correction first).
-- A candidate an analyst rejected is ranked after all others and never chosen.
-- Only stated figures compete: nothing is summed, across sub-units or across levels.
with

ranked as (

    select * from {{ ref('int_candidates_corrected') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

located as (

    select
        c.candidate_id,
        r.jurisdiction_id,
        r.report_year,
        c.indicator_code,
        c.report_id,
        r.issuer_kind,
        r.doc_number,
        r.published_on,
        c.value,
        c.unit,
        c.qualifier,
        c.confidence,
        c.evidence,
        c.candidate_rank,
        c.source,
        c.template_version,
        c.provenance,
        c.is_rejected,
        c.is_overridden,
        c.correction_id,
        c.correction_reason,
        case r.issuer_kind
            when 'government' then 1
            when 'department' then 2
            else 3
        end as issuer_precedence,
        r.doc_number is not null as has_doc_number,
        max(c.confidence) filter (where c.candidate_rank = 1 and not c.is_rejected) over (
            partition by c.report_id, c.indicator_code
        ) as report_confidence,

    from ranked as c
    inner join reports as r
        on c.report_id = r.report_id
    where r.jurisdiction_id is not null
        and r.report_year is not null

),

source_ranked as (

    select
        *,
        dense_rank() over (
            partition by jurisdiction_id, report_year, indicator_code
            order by
                is_rejected,
                issuer_precedence,
                has_doc_number desc,
                report_confidence desc,
                published_on desc nulls last,
                report_id
        ) as source_rank,

    from located

),

year_ranked as (

    select
        *,
        row_number() over (
            partition by jurisdiction_id, report_year, indicator_code
            order by is_rejected, source_rank, candidate_rank
        ) as jurisdiction_year_rank,

    from source_ranked

),

final as (

    select
        *,
        jurisdiction_year_rank = 1 and not is_rejected as is_chosen,

    from year_ranked

)

select * from final
