-- kpi_commune_year: every reference commune × plan year × KPI, judged against the target of the year's phase
-- (kpis.md: every year, against its phase's target).
--   value_pct: numerator / denominator in percent; NULL when the denominator is 0 or missing (never 0 %/100 %).
--   met: the exact ratio compare — 'gt' is strictly above ("Trên 90%": 90.0 % is not met), numerator × 100
--        against target × denominator, never a rounded percentage; NULL without a value or without a target
--        (within_quota has no target in P1).
create or replace view kpi_commune_year as
select
  b.year as year,
  b.phase as phase,
  b.commune_code as commune_code,
  b.kpi as kpi,
  b.numerator as numerator,
  b.denominator as denominator,
  case
    when b.denominator > 0 then CAST(b.numerator AS DOUBLE) * 100 / CAST(b.denominator AS DOUBLE)
  end as value_pct,
  t.target_pct as target_pct,
  t.comparator as comparator,
  case
    when t.target_pct is null or b.numerator is null or b.denominator is null or b.denominator = 0 then CAST(null AS BOOLEAN)
    when t.comparator = 'gt' then (case when b.numerator * 100 > t.target_pct * b.denominator then true else false end)
    when t.comparator = 'gte' then (case when b.numerator * 100 >= t.target_pct * b.denominator then true else false end)
  end as met
from base_kpi_counts as b
left join plan_kpi_targets as t
  on t.kpi = b.kpi
  and t.phase = b.phase
