{#- The parts add up to the whole on every row where all of them are stated: the check the
    standard disclosure template prints under its tables (本年新收 + 上年结转 = 办理结果总计 +
    结转下年度). `parts` and `wholes` are lists of columns; the sums are compared. Fails with the
    offending rows. -#}
{% test parts_sum_to_whole(model, parts, wholes) %}

select *
from {{ model }}
where {% for c in parts + wholes %}{{ c }} is not null{{ ' and ' if not loop.last }}{% endfor %}
    and abs(({{ parts | join(' + ') }}) - ({{ wholes | join(' + ') }})) > 1e-6

{% endtest %}
