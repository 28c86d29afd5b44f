-- Every candidate (any scope) with its catalog definition and normalised unit, qualifier and
-- scope flags: the measure word mapped to its unit class (seeds/units.csv) and checked against
-- the indicator's catalog unit (seeds/unit_compatibility.csv).
with

candidates as (

    select * from {{ ref('stg_raw__indicator_candidates') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

units as (

    select * from {{ ref('units') }}

),

unit_compatibility as (

    select * from {{ ref('unit_compatibility') }}

),

normalised as (

    select
        c.candidate_id,
        c.report_id,
        c.candidate_seq,
        c.indicator_code,
        i.domain,
        i.kind as indicator_kind,
        c.value,
        c.unit,
        i.unit as catalog_unit,
        u.unit_class,
        case
            when u.unit_class is null then null
            else uc.unit_class is not null
        end as is_unit_compatible,
        c.qualifier,
        c.qualifier = 'exact' as is_exact,
        c.scope,
        c.scope_reason,
        c.scope = 'total' as is_total,
        c.scope = 'total' and coalesce(c.scope_reason, '') <> '' as has_total_marker,
        c.evidence,
        c.char_start,
        c.char_end,
        c.value_start,
        c.value_end,
        c.confidence,
        c.cue,
        c.section,
        c.source,
        c.template_version,
        c.page,
        r.landed_at as report_landed_at,

    from candidates as c
    inner join reports as r
        on c.report_id = r.report_id
    left join indicators as i
        on c.indicator_code = i.code
    left join units as u
        on c.unit = u.measure_word
    left join unit_compatibility as uc
        on i.unit = uc.indicator_unit and u.unit_class = uc.unit_class

)

select * from normalised
