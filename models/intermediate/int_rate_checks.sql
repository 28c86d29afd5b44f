-- Recomputes each stated rate from the same report's numerator and denominator, where the
-- catalog defines them (numerator_code may be a sum such as a+b) and the report states both.
with

report_indicators as (

    select * from {{ ref('int_report_indicators') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

checked as (

    {{ recompute_rates('report_indicators', 'indicators', ['report_id']) }}

)

select * from checked
