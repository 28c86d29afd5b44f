{#- Use the configured schema as is (staging, intermediate, marts, seeds): users query
    marts.fct_report_indicators, not main_marts.fct_report_indicators. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
