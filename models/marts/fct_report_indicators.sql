with

report_indicators as (

    select * from {{ ref('int_report_indicators') }}

),

rate_checks as (

    select * from {{ ref('int_rate_checks') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

final as (

    select
        r.report_id,
        r.source_file,
        r.jurisdiction_id,
        r.report_year,
        i.indicator_code,
        i.value,
        i.unit,
        i.qualifier,
        i.evidence,
        i.char_start,
        i.char_end,
        i.confidence,
        i.page,
        i.candidate_id,
        r.issuer_kind,
        i.value_start,
        i.value_end,
        i.has_conflict,
        rc.recomputed_rate,
        coalesce(rc.rate_mismatch, false) as rate_mismatch,
        i.source,
        i.template_version,
        i.provenance,
        i.correction_id,
        i.correction_reason,
        i.extracted_value,

    from report_indicators as i
    inner join reports as r
        on i.report_id = r.report_id
    left join rate_checks as rc
        on i.report_id = rc.report_id and i.indicator_code = rc.indicator_code

)

select * from final
