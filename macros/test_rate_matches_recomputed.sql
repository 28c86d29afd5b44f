{#- A stated rate agrees with the rate recomputed from its own counts: |stated - recomputed|
    <= `tolerance` percentage points (default 0.1). Rows without a stated rate pass.
    Meant as severity warn: the failing rows are the mismatches (also flagged rate_mismatch). -#}
{% test rate_matches_recomputed(model, column_name, recomputed_column, tolerance=0.1) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and {{ recomputed_column }} is not null
    and abs({{ column_name }} - {{ recomputed_column }}) > {{ tolerance }}

{% endtest %}
