-- Every losing candidate: each jurisdiction-wide figure that was not chosen for its
-- jurisdiction, year and indicator, beside the figure that won and the rule that decided.
-- An extracted figure an analyst corrected (loss_reason 'corrected') or rejected ('rejected')
-- is here too, with the correction's reason; a rejected one is listed even when no other
-- figure won (the chosen_* columns are then null).
with

candidates as (

    select * from {{ ref('int_jurisdiction_year_candidates') }}

),

winners as (

    select * from candidates
    where is_chosen

),

losers as (

    select * from candidates
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

    from losers as l
    left join winners as w
        on l.jurisdiction_id = w.jurisdiction_id
        and l.report_year = w.report_year
        and l.indicator_code = w.indicator_code
    where w.candidate_id is not null or l.is_rejected

)

select * from compared
