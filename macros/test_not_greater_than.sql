{#- A part never exceeds its whole: `column_name` <= `ceiling_column` on every row where both
    are stated (e.g. mediation cases resolved <= accepted, lawsuits lost <= concluded).
    Fails with the offending rows. -#}
{% test not_greater_than(model, column_name, ceiling_column) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and {{ ceiling_column }} is not null
    and {{ column_name }} > {{ ceiling_column }}

{% endtest %}
