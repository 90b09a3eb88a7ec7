-- kpi_commune_year: every reference commune × plan year × KPI, judged against the target of the year's phase
-- (docs/kpis.md: every year, against its phase's target).
--   value_pct: numerator / denominator in percent; NULL when the denominator is 0 or missing (never 0 %/100 %).
--   met: the exact ratio compare — 'gt' is strictly above ("Trên 90%": 90.0 % is not met), numerator × 100
--        against target × denominator, never a rounded percentage; NULL without a value or without a target
--        (within_quota has no target in P1).
--   year_closed: the year's report deadline has passed at as_of (an open year's non-submitters are pending).
--   gap_units: beside a missed target, the smallest whole number k of units (cadres or communes) that would
--        meet it with the denominator fixed — (numerator + k) × 100 against target × denominator, exactly
--        (docs/kpis.md "Display near a strict target"); NULL when met, without a value, or unreachable.
--   plan_version: the plan file's version the targets came from (docs/cycle.md).
create or replace view kpi_commune_year as
with judged as (
  select
    b.year as year,
    b.phase as phase,
    b.commune_code as commune_code,
    b.kpi as kpi,
    b.numerator as numerator,
    b.denominator as denominator,
    b.year_closed as year_closed,
    t.target_pct as target_pct,
    t.comparator as comparator,
    case
      when t.target_pct is null or b.numerator is null or b.denominator is null or b.denominator = 0 then CAST(null AS BOOLEAN)
      when t.comparator = 'gt' then (case when b.numerator * 100 > t.target_pct * b.denominator then true else false end)
      when t.comparator = 'gte' then (case when b.numerator * 100 >= t.target_pct * b.denominator then true else false end)
    end as met,
    case
      when t.comparator = 'gt' then CAST(floor((t.target_pct * b.denominator - CAST(100 * b.numerator AS DOUBLE)) / 100) AS BIGINT) + 1
      when t.comparator = 'gte' then CAST(ceil((t.target_pct * b.denominator - CAST(100 * b.numerator AS DOUBLE)) / 100) AS BIGINT)
    end as k
  from base_kpi_counts as b
  left join plan_kpi_targets as t
    on t.kpi = b.kpi
    and t.phase = b.phase
)
select
  j.year as year,
  j.phase as phase,
  j.commune_code as commune_code,
  j.kpi as kpi,
  j.numerator as numerator,
  j.denominator as denominator,
  case
    when j.denominator > 0 then CAST(j.numerator AS DOUBLE) * 100 / CAST(j.denominator AS DOUBLE)
  end as value_pct,
  j.target_pct as target_pct,
  j.comparator as comparator,
  j.met as met,
  j.year_closed as year_closed,
  case
    when j.met = false and j.k >= 1 and j.numerator + j.k <= j.denominator then j.k
    else CAST(null AS BIGINT)
  end as gap_units,
  p.plan_version as plan_version
from judged as j
cross join params as p
