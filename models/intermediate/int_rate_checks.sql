-- Recomputes a stated rate from the same report's numerator and denominator, where the
-- catalog defines them (numerator_code may be a sum such as a+b) and the report states both.
with

report_indicators as (

    select * from {{ ref('int_report_indicators') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

rate_definitions as (

    select
        code as rate_code,
        string_split(numerator_code, '+') as numerator_codes,
        denominator_code,

    from indicators
    where kind = 'rate'
        and coalesce(numerator_code, '') <> ''
        and coalesce(denominator_code, '') <> ''

),

numerators as (

    select
        r.report_id,
        d.rate_code,
        sum(r.value) as numerator_value,
        count(*) as numerator_parts,
        len(any_value(d.numerator_codes)) as numerator_parts_needed,

    from rate_definitions as d
    inner join report_indicators as r
        on list_contains(d.numerator_codes, r.indicator_code)
    group by 1, 2

),

denominators as (

    select
        r.report_id,
        d.rate_code,
        r.value as denominator_value,

    from rate_definitions as d
    inner join report_indicators as r
        on r.indicator_code = d.denominator_code

),

recomputed as (

    select
        n.report_id,
        n.rate_code as indicator_code,
        n.numerator_value,
        dn.denominator_value,
        round(100.0 * n.numerator_value / dn.denominator_value, 2) as recomputed_rate,

    from numerators as n
    inner join denominators as dn
        on n.report_id = dn.report_id and n.rate_code = dn.rate_code
    where n.numerator_parts = n.numerator_parts_needed
        and dn.denominator_value > 0

),

checked as (

    select
        c.report_id,
        c.indicator_code,
        c.numerator_value,
        c.denominator_value,
        c.recomputed_rate,
        s.value as stated_rate,
        s.value is not null and abs(s.value - c.recomputed_rate) > 0.1 as rate_mismatch,

    from recomputed as c
    left join report_indicators as s
        on s.report_id = c.report_id and s.indicator_code = c.indicator_code

)

select * from checked
