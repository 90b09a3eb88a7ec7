-- kpi_province_year: the province's value of every KPI per plan year, pooled — sum of numerators over sum of
-- denominators, not an average of commune percentages (kpis.md). Commune KPIs divide by ALL reference
-- communes: a commune that did not submit counts as not meeting the KPI. communes_reporting: reference
-- communes with an accepted submission for the year.
create or replace view kpi_province_year as
with pooled as (
  select
    b.year as year,
    b.phase as phase,
    b.kpi as kpi,
    b.unit as unit,
    CAST(sum(case when b.unit = 'commune' then coalesce(b.numerator, 0) else b.numerator end) AS BIGINT) as numerator,
    CAST(sum(case when b.unit = 'commune' then 1 else b.denominator end) AS BIGINT) as denominator,
    CAST(sum(case when b.has_submission then 1 else 0 end) AS BIGINT) as communes_reporting
  from base_kpi_counts as b
  group by b.year, b.phase, b.kpi, b.unit
)
select
  p.year as year,
  p.phase as phase,
  p.kpi as kpi,
  p.numerator as numerator,
  p.denominator as denominator,
  case
    when p.denominator > 0 then CAST(p.numerator AS DOUBLE) * 100 / CAST(p.denominator AS DOUBLE)
  end as value_pct,
  t.target_pct as target_pct,
  t.comparator as comparator,
  case
    when t.target_pct is null or p.numerator is null or p.denominator is null or p.denominator = 0 then CAST(null AS BOOLEAN)
    when t.comparator = 'gt' then (case when p.numerator * 100 > t.target_pct * p.denominator then true else false end)
    when t.comparator = 'gte' then (case when p.numerator * 100 >= t.target_pct * p.denominator then true else false end)
  end as met,
  p.communes_reporting as communes_reporting
from pooled as p
left join plan_kpi_targets as t
  on t.kpi = p.kpi
  and t.phase = p.phase
