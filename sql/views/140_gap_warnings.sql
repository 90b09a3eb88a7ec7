-- gap_warnings: one row per KPI (with a target in the year's phase) that is not met or has no value, at
-- commune and province scope (docs/kpis.md "Gap warnings"; severities are product policy, in the plan file):
--   missing  — no value (no submission, or a denominator of 0), or a province value not judged for want of
--              coverage (docs/kpis.md "Coverage"); takes precedence, and carries no projection;
--   critical — needs a passed deadline: not met in the phase's last year once that year is closed, or not met in
--              a closed year at or after a deadline year of the KPI, or in any year after it (any phase's
--              deadline: a 2026 deadline missed in 2029 is still critical);
--   medium   — not met, but the projection to the phase's last year meets the target (same comparator);
--   high     — not met, and the projection does not meet it either.
-- gap_units: what the missed target takes, in units (kpi_commune_year / kpi_province_year).
-- Met KPIs raise no warning, and a commune that has not submitted for an OPEN year is pending: no warning
-- (docs/kpis.md "The year in progress"). commune_code is NULL at province scope.
create or replace view gap_warnings as
with judged as (
  select
    'commune' as scope,
    k.year as year,
    k.phase as phase,
    k.commune_code as commune_code,
    k.kpi as kpi,
    k.value_pct as value_pct,
    k.target_pct as target_pct,
    k.comparator as comparator,
    k.met as met,
    k.year_closed as year_closed,
    k.gap_units as gap_units
  from kpi_commune_year as k
  join base_commune_year as g
    on g.year = k.year
    and g.commune_code = k.commune_code
  where g.year_closed or g.has_submission
  union all
  select
    'province' as scope,
    p.year as year,
    p.phase as phase,
    CAST(null AS VARCHAR) as commune_code,
    p.kpi as kpi,
    p.value_pct as value_pct,
    p.target_pct as target_pct,
    p.comparator as comparator,
    p.met as met,
    p.year_closed as year_closed,
    p.gap_units as gap_units
  from kpi_province_year as p
),
deadlines as (
  select
    t.kpi as kpi,
    min(t.deadline_year) as deadline_year
  from plan_kpi_targets as t
  group by t.kpi
),
rated as (
  select
    j.year as year,
    j.phase as phase,
    j.scope as scope,
    j.commune_code as commune_code,
    j.kpi as kpi,
    j.value_pct as value_pct,
    j.target_pct as target_pct,
    pr.projected_pct as projected_pct,
    j.year_closed as year_closed,
    j.gap_units as gap_units,
    case
      when j.value_pct is null or j.met is null then 'missing'
      when y.is_phase_last_year and j.year_closed then 'critical'
      when d.deadline_year is not null and j.year > d.deadline_year then 'critical'
      when d.deadline_year is not null and j.year = d.deadline_year and j.year_closed then 'critical'
      when j.comparator = 'gt' and pr.projected_pct > j.target_pct then 'medium'
      when j.comparator = 'gte' and pr.projected_pct >= j.target_pct then 'medium'
      else 'high'
    end as severity
  from judged as j
  join plan_years as y
    on y.year = j.year
  left join deadlines as d
    on d.kpi = j.kpi
  left join base_kpi_projection as pr
    on pr.scope = j.scope
    and pr.year = j.year
    and pr.kpi = j.kpi
    and coalesce(pr.commune_code, '') = coalesce(j.commune_code, '')
  where j.target_pct is not null
    and (j.value_pct is null or j.met is null or j.met = false)
)
select
  r.year as year,
  r.phase as phase,
  r.scope as scope,
  r.commune_code as commune_code,
  r.kpi as kpi,
  r.value_pct as value_pct,
  r.target_pct as target_pct,
  case when r.severity = 'missing' then CAST(null AS DOUBLE) else r.projected_pct end as projected_pct,
  r.severity as severity,
  r.year_closed as year_closed,
  r.gap_units as gap_units
from rated as r
