-- Every losing candidate: each jurisdiction-wide figure that was not chosen for its
-- jurisdiction, year and indicator, beside the figure that won and the rule that decided.
-- Reports whose jurisdiction or year is unknown compete only within themselves: their losing
-- figures are listed too (rank_within_report), so a table cell that disagrees with the prose of
-- its own report always shows here.
-- An extracted figure an analyst corrected (loss_reason 'corrected') or rejected ('rejected')
-- is here too, with the correction's reason; a rejected one is listed even when no other
-- figure won (the chosen_* columns are then null).
with

candidates as (

    select * from {{ ref('int_jurisdiction_year_candidates') }}

),

ranked as (

    select * from {{ ref('int_candidates_corrected') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

placed as (

    select
        *,
        jurisdiction_id || '/' || report_year as competition,

    from candidates

),

unplaced as (

    select
        c.candidate_id,
        r.jurisdiction_id,
        r.report_year,
        c.indicator_code,
        c.report_id,
        r.issuer_kind,
        r.doc_number,
        c.value,
        c.unit,
        c.qualifier,
        c.confidence,
        c.evidence,
        c.candidate_rank,
        c.source,
        c.provenance,
        c.is_rejected,
        c.is_overridden,
        c.correction_id,
        c.correction_reason,
        c.candidate_rank as jurisdiction_year_rank,
        c.candidate_rank = 1 and not c.is_rejected as is_chosen,
        'report/' || c.report_id as competition,

    from ranked as c
    inner join reports as r
        on c.report_id = r.report_id
    where r.jurisdiction_id is null
        or r.report_year is null

),

competing as (

    select * from placed
    union all by name
    select * from unplaced

),

winners as (

    select * from competing
    where is_chosen

),

losers as (

    select * from competing
    where not is_chosen

),

compared as (

    select
        l.candidate_id,
        l.jurisdiction_id,
        l.report_year,
        l.indicator_code,
        l.report_id,
        l.issuer_kind,
        l.doc_number,
        l.value,
        l.unit,
        l.qualifier,
        l.confidence,
        l.evidence,
        l.candidate_rank,
        l.jurisdiction_year_rank,
        l.provenance,
        l.correction_id,
        l.correction_reason,
        w.candidate_id as chosen_candidate_id,
        w.report_id as chosen_report_id,
        w.issuer_kind as chosen_issuer_kind,
        w.value as chosen_value,
        w.qualifier as chosen_qualifier,
        w.provenance as chosen_provenance,
        coalesce(abs(l.value - w.value) > greatest(1e-6 * abs(w.value), 1e-9), true) as value_differs,
        case
            when l.is_rejected then 'rejected'
            when l.is_overridden then 'corrected'
            when l.candidate_rank > 1 then 'rank_within_report'
            when l.issuer_precedence > w.issuer_precedence then 'issuer_kind'
            when l.has_doc_number < w.has_doc_number then 'doc_number'
            when l.report_confidence < w.report_confidence then 'confidence'
            when l.published_on is distinct from w.published_on then 'published_on'
            else 'report_id'
        end as loss_reason,
        l.source,
        w.source as chosen_source,

    from losers as l
    left join winners as w
        on l.competition = w.competition
        and l.indicator_code = w.indicator_code
    where w.candidate_id is not null or l.is_rejected

)

select * from compared
