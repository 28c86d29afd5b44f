-- Figures of one report that cannot all be true, found with the catalog (seeds/indicators.csv):
--   part_exceeds_whole  a part above its whole: `part_of`, or a rate's numerator above its
--                       denominator (resolved > accepted);
--   rate_out_of_range   a percentage below 0 or above 100;
--   rate_mismatch       a stated rate its own counts do not reproduce (within 0.1 points).
-- One row per report, check and figure involved (a part above its whole gives two rows, one per
-- side: which of the two is wrong cannot be told, so neither is used). is_excluded figures do not
-- compete for the comparison marts (int_jurisdiction_year_candidates); rate mismatches are only
-- marked there (the *_mismatch columns), as before.
-- Qualifiers: only figures that bound each other are compared: an exact or at-least part above an
-- exact or at-most whole (1600余 accepted and 1661 resolved can both be true).
with

report_indicators as (

    select * from {{ ref('int_report_indicators') }}

),

rate_checks as (

    select * from {{ ref('int_rate_checks') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

part_whole_definitions as (

    select distinct
        unnest(string_split(numerator_code, '+')) as part_code,
        denominator_code as whole_code,

    from indicators
    where kind = 'rate'
        and coalesce(numerator_code, '') <> ''
        and coalesce(denominator_code, '') <> ''

    union

    select
        code as part_code,
        part_of as whole_code,

    from indicators
    where coalesce(part_of, '') <> ''

),

parts_over_wholes as (

    select
        p.report_id,
        p.indicator_code as part_code,
        p.value as part_value,
        w.indicator_code as whole_code,
        w.value as whole_value,

    from part_whole_definitions as d
    inner join report_indicators as p
        on p.indicator_code = d.part_code
    inner join report_indicators as w
        on w.report_id = p.report_id
        and w.indicator_code = d.whole_code
    where p.value > w.value
        and p.qualifier in ('exact', 'at_least')
        and w.qualifier in ('exact', 'at_most')

),

part_whole_findings as (

    select
        report_id,
        'part_exceeds_whole' as check_name,
        unnest([part_code, whole_code]) as indicator_code,
        unnest([part_value, whole_value]) as value,
        part_code || ' ' || part_value || ' > ' || whole_code || ' ' || whole_value as detail,
        true as is_excluded,

    from parts_over_wholes

),

rate_range_findings as (

    select
        f.report_id,
        'rate_out_of_range' as check_name,
        f.indicator_code,
        f.value,
        f.indicator_code || ' ' || f.value || '% outside 0-100%' as detail,
        true as is_excluded,

    from report_indicators as f
    inner join indicators as i
        on f.indicator_code = i.code
    where i.kind = 'rate'
        and i.unit = 'percent'
        and (f.value < 0 or f.value > 100)

),

rate_mismatch_findings as (

    select
        report_id,
        'rate_mismatch' as check_name,
        indicator_code,
        stated_rate as value,
        indicator_code || ' stated ' || stated_rate || '% but its counts give '
            || recomputed_rate || '%' as detail,
        false as is_excluded,

    from rate_checks
    where rate_mismatch

),

findings as (

    select * from part_whole_findings
    union all
    select * from rate_range_findings
    union all
    select * from rate_mismatch_findings

)

-- a figure that is the part of one pair and the whole of another appears once per check
select
    report_id,
    check_name,
    indicator_code,
    any_value(value) as value,
    string_agg(detail, '; ' order by detail) as detail,
    bool_or(is_excluded) as is_excluded,

from findings
group by report_id, check_name, indicator_code
