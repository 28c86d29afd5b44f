{#-
    Recomputes every catalog rate (kind = rate, with numerator_code and denominator_code)
    from chosen figures, and compares it with the stated rate.

    figures:    a CTE/relation with the grain columns, indicator_code, value and report_id:
                one chosen figure per grain and indicator.
    indicators: a CTE/relation over seeds/indicators.csv.
    grain:      the grain columns, e.g. ['report_id'] or ['jurisdiction_id', 'report_year'].

    numerator_code may be a sum (a+b): the rate is recomputed only when every part is stated.
    Returns one row per grain and rate where both numerator and denominator are stated and
    the denominator is positive; rate_mismatch is true when a stated rate differs from the
    recomputed one by more than 0.1 points.
-#}
{% macro recompute_rates(figures, indicators, grain) %}
{%- set keys = grain | join(', ') -%}

    with

    rate_definitions as (

        select
            code as rate_code,
            string_split(numerator_code, '+') as numerator_codes,
            denominator_code,

        from {{ indicators }}
        where kind = 'rate'
            and coalesce(numerator_code, '') <> ''
            and coalesce(denominator_code, '') <> ''

    ),

    numerators as (

        select
            {% for key in grain %}f.{{ key }},{% endfor %}
            d.rate_code,
            sum(f.value) as numerator_value,
            count(*) as numerator_parts,
            list(f.report_id) as numerator_report_ids,
            len(any_value(d.numerator_codes)) as numerator_parts_needed,

        from rate_definitions as d
        inner join {{ figures }} as f
            on list_contains(d.numerator_codes, f.indicator_code)
        group by all

    ),

    denominators as (

        select
            {% for key in grain %}f.{{ key }},{% endfor %}
            d.rate_code,
            f.value as denominator_value,
            f.report_id as denominator_report_id,

        from rate_definitions as d
        inner join {{ figures }} as f
            on f.indicator_code = d.denominator_code

    ),

    recomputed as (

        select
            {% for key in grain %}n.{{ key }},{% endfor %}
            n.rate_code as indicator_code,
            n.numerator_value,
            dn.denominator_value,
            round(100.0 * n.numerator_value / dn.denominator_value, 2) as recomputed_rate,
            list_append(n.numerator_report_ids, dn.denominator_report_id) as count_report_ids,

        from numerators as n
        inner join denominators as dn
            using ({{ keys }}, rate_code)
        where n.numerator_parts = n.numerator_parts_needed
            and dn.denominator_value > 0

    )

    select
        {% for key in grain %}c.{{ key }},{% endfor %}
        c.indicator_code,
        c.numerator_value,
        c.denominator_value,
        c.recomputed_rate,
        s.value as stated_rate,
        s.report_id as stated_report_id,
        round(s.value - c.recomputed_rate, 2) as rate_difference,
        coalesce(abs(s.value - c.recomputed_rate) > 0.1, false) as rate_mismatch,
        list_sort(list_distinct(list_append(c.count_report_ids, s.report_id))) as source_report_ids,

    from recomputed as c
    left join {{ figures }} as s
        using ({{ keys }}, indicator_code)

{% endmacro %}
