-- Base layer (internal): the trajectory behind gap warnings (docs/kpis.md, product policy). For each scope
-- (commune, province), KPI and year: a least-squares line through the scope's yearly values in all plan
-- years up to and including the year (across phases; years without a value skipped), evaluated at the last
-- year of the year's phase, clamped to 0–100. Fewer than two values: the current value.
-- x is measured from the plan's first year and the line read at the phase's last year (intercept + slope × the
-- distance), one window over the values rather than a join of each year to its history. It is rounded to 9
-- decimals so floating-point noise never decides a comparison (e.g. 99.99999999999997 against 100).
create or replace view base_kpi_projection as
with kpi_values as (
  select
    'commune' as scope,
    k.commune_code as commune_code,
    k.year as year,
    k.kpi as kpi,
    k.value_pct as value_pct
  from kpi_commune_year as k
  union all
  select
    'province' as scope,
    '' as commune_code,
    p.year as year,
    p.kpi as kpi,
    p.value_pct as value_pct
  from kpi_province_year as p
),
fitted as (
  -- One pass over the values (a window, not a self-join of the history: every plan expands this view twice as
  -- often otherwise — issue 15, item 8): the least-squares line through this and the earlier years' values,
  -- x counted from the plan's first year, read at the phase's last year.
  select
    v.scope as scope,
    v.commune_code as commune_code,
    v.year as year,
    v.kpi as kpi,
    v.value_pct as value_pct,
    CAST(count(v.value_pct) over (partition by v.scope, v.commune_code, v.kpi order by v.year nulls last rows between unbounded preceding and current row) AS BIGINT) as n_values,
    regr_intercept(v.value_pct, CAST(v.year - b.first_year AS DOUBLE)) over (partition by v.scope, v.commune_code, v.kpi order by v.year nulls last rows between unbounded preceding and current row)
      + regr_slope(v.value_pct, CAST(v.year - b.first_year AS DOUBLE)) over (partition by v.scope, v.commune_code, v.kpi order by v.year nulls last rows between unbounded preceding and current row)
        * CAST(y.phase_last_year - b.first_year AS DOUBLE) as at_phase_end
  from kpi_values as v
  join plan_years as y
    on y.year = v.year
  cross join (select min(year) as first_year from plan_years) as b
)
select
  f.scope as scope,
  case when f.scope = 'commune' then f.commune_code end as commune_code,
  f.year as year,
  f.kpi as kpi,
  f.n_values as n_values,
  case
    when f.n_values < 2 or f.at_phase_end is null then f.value_pct
    when f.at_phase_end < 0 then CAST(0 AS DOUBLE)
    when f.at_phase_end > 100 then CAST(100 AS DOUBLE)
    else round(f.at_phase_end, 9)
  end as projected_pct
from fitted as f
