{#-
    One domain fact table: one row per jurisdiction and report year that has at least one
    chosen figure among `indicators`, pivoted from int_jurisdiction_year_candidates (the
    figures chosen by the conflict rule).

    For every indicator code c:   c (value), and with `companions` c_qualifier, c_issuer_kind,
                                  c_report_id, c_provenance (extracted | corrected),
                                  c_correction_reason.
    For every code r in `recomputed_rates` (catalog rates with numerator and denominator):
                                  r_recomputed, r_mismatch (from fct_rate_checks).
    Row-level: jurisdiction_name, jurisdiction_level, the `row_figures` (name -> aggregate over
    the row's chosen candidates, e.g. the template version), source_report_ids,
    source_issuer_kinds, conflict_count (losing candidates with another value, listed in
    fct_indicator_conflicts). `row_filter`: a condition on the aggregates a row must meet (the
    candidates carry their catalog `domain`).
-#}
{% macro domain_fact(indicators, recomputed_rates=[], companions=true, row_figures={}, row_filter=none) %}
{%- set codes -%}
    ({% for code in indicators %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endset -%}
{%- set rate_codes -%}
    ({% for code in recomputed_rates %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endset -%}

with

candidates as (

    select * from {{ ref('int_jurisdiction_year_candidates') }}

),

conflicts as (

    select * from {{ ref('fct_indicator_conflicts') }}

),

{% if recomputed_rates %}
rate_checks as (

    select * from {{ ref('fct_rate_checks') }}

),
{% endif %}

jurisdictions as (

    select * from {{ ref('dim_jurisdiction') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

chosen as (

    select
        c.*,
        i.domain,

    from candidates as c
    inner join indicators as i
        on c.indicator_code = i.code
    where c.is_chosen
        and c.indicator_code in {{ codes }}

),

figures as (

    select
        jurisdiction_id,
        report_year,
        {% for name, aggregate in row_figures.items() %}
        {{ aggregate }} as {{ name }},
        {% endfor %}
        {% for code in indicators %}
        any_value(value) filter (where indicator_code = '{{ code }}') as {{ code }},
        {% if companions %}
        any_value(qualifier) filter (where indicator_code = '{{ code }}') as {{ code }}_qualifier,
        any_value(issuer_kind) filter (where indicator_code = '{{ code }}') as {{ code }}_issuer_kind,
        any_value(report_id) filter (where indicator_code = '{{ code }}') as {{ code }}_report_id,
        any_value(provenance) filter (where indicator_code = '{{ code }}') as {{ code }}_provenance,
        any_value(correction_reason) filter (where indicator_code = '{{ code }}') as {{ code }}_correction_reason,
        {% endif %}
        {% endfor %}
        list(distinct report_id order by report_id) as source_report_ids,
        list(distinct issuer_kind order by issuer_kind) as source_issuer_kinds,

    from chosen
    group by jurisdiction_id, report_year
    {% if row_filter %}
    having {{ row_filter }}
    {% endif %}

),

{% if recomputed_rates %}
rates as (

    select
        jurisdiction_id,
        report_year,
        {% for code in recomputed_rates %}
        any_value(recomputed_rate) filter (where indicator_code = '{{ code }}') as {{ code }}_recomputed,
        any_value(rate_mismatch) filter (where indicator_code = '{{ code }}') as {{ code }}_mismatch,
        {% endfor %}

    from rate_checks
    where indicator_code in {{ rate_codes }}
    group by jurisdiction_id, report_year

),
{% endif %}

disagreements as (

    select
        jurisdiction_id,
        report_year,
        count(*) as conflict_count,

    from conflicts
    where value_differs
        and indicator_code in {{ codes }}
    group by jurisdiction_id, report_year

),

final as (

    select
        f.jurisdiction_id,
        f.report_year,
        j.name as jurisdiction_name,
        j.level as jurisdiction_level,
        {% for name in row_figures %}
        f.{{ name }},
        {% endfor %}
        {% for code in indicators %}
        f.{{ code }},
        {% if companions %}
        f.{{ code }}_qualifier,
        f.{{ code }}_issuer_kind,
        f.{{ code }}_report_id,
        f.{{ code }}_provenance,
        f.{{ code }}_correction_reason,
        {% endif %}
        {% if code in recomputed_rates %}
        r.{{ code }}_recomputed,
        r.{{ code }}_mismatch,
        {% endif %}
        {% endfor %}
        f.source_report_ids,
        f.source_issuer_kinds,
        coalesce(d.conflict_count, 0) as conflict_count,

    from figures as f
    left join jurisdictions as j
        on f.jurisdiction_id = j.jurisdiction_id
    {% if recomputed_rates %}
    left join rates as r
        on f.jurisdiction_id = r.jurisdiction_id
        and f.report_year = r.report_year
    {% endif %}
    left join disagreements as d
        on f.jurisdiction_id = d.jurisdiction_id
        and f.report_year = d.report_year

)

select * from final
{% endmacro %}
