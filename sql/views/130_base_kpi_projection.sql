-- Base layer (internal): the trajectory behind gap warnings (docs/kpis.md, product policy). For each scope
-- (commune, province), KPI and year: a least-squares line through the scope's yearly values in all plan
-- years up to and including the year (across phases; years without a value skipped), evaluated at the last
-- year of the year's phase, clamped to 0–100. Fewer than two values: the current value.
-- x is measured from the phase's last year, so the projection is the regression's intercept. It is rounded
-- to 9 decimals so floating-point noise never decides a comparison (e.g. 99.99999999999997 against 100).
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
  select
    cur.scope as scope,
    cur.commune_code as commune_code,
    cur.year as year,
    cur.kpi as kpi,
    cur.value_pct as value_pct,
    CAST(count(h.value_pct) AS BIGINT) as n_values,
    regr_intercept(h.value_pct, CAST(h.year - y.phase_last_year AS DOUBLE)) as at_phase_end
  from kpi_values as cur
  join plan_years as y
    on y.year = cur.year
  left join kpi_values as h
    on h.scope = cur.scope
    and h.commune_code = cur.commune_code
    and h.kpi = cur.kpi
    and h.year <= cur.year
    and h.value_pct is not null
  group by cur.scope, cur.commune_code, cur.year, cur.kpi, cur.value_pct
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
