{#- No row has `column_name` true. On fct_data_quality.is_excluded it is the `--strict` switch:
    a warning that names the inconsistent reports, an error (nothing published) under
    `fazhi build --strict` (var strict_quality). -#}
{% test is_false(model, column_name) %}

select *
from {{ model }}
where {{ column_name }}

{% endtest %}
