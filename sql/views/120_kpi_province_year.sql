-- kpi_province_year: the province's value of every KPI per plan year, pooled — sum of numerators over sum of
-- denominators, not an average of commune percentages (docs/kpis.md).
--   * a CLOSED year: commune KPIs divide by ALL reference communes (a commune that did not submit counts as
--     not meeting the KPI);
--   * an OPEN year (before its report deadline): every KPI pools over the communes that have submitted —
--     the commune KPIs' denominator is communes_reporting — and the values are provisional (year_closed false);
--   * coverage (docs/kpis.md "Coverage"): communes_expected = reference communes, coverage_pct = 100 ×
--     communes_reporting / communes_expected; a KPI whose unit is the cadre is not judged (met NULL) when
--     coverage is below the plan's policy.min_coverage_pct — a province value from a few communes is not one;
--   * gap_units: the smallest whole number of units (cadres or communes) that would meet a missed target.
create or replace view kpi_province_year as
with pooled as (
  select
    b.year as year,
    b.phase as phase,
    b.kpi as kpi,
    b.unit as unit,
    CAST(sum(
      case
        when b.unit = 'commune' and (b.year_closed or b.has_submission) then coalesce(b.numerator, 0)
        when b.unit = 'commune' then 0
        when b.has_submission then b.numerator
      end
    ) AS BIGINT) as numerator,
    CAST(sum(
      case
        when b.unit = 'commune' and (b.year_closed or b.has_submission) then 1
        when b.unit = 'commune' then 0
        when b.has_submission then b.denominator
      end
    ) AS BIGINT) as denominator,
    CAST(sum(case when b.has_submission then 1 else 0 end) AS BIGINT) as communes_reporting,
    CAST(count(*) AS BIGINT) as communes_expected,
    CAST(max(case when b.year_closed then 1 else 0 end) AS BIGINT) as closed
  from base_kpi_counts as b
  group by b.year, b.phase, b.kpi, b.unit
),
judged as (
  select
    p.year as year,
    p.phase as phase,
    p.kpi as kpi,
    p.numerator as numerator,
    p.denominator as denominator,
    p.communes_reporting as communes_reporting,
    p.communes_expected as communes_expected,
    p.closed as closed,
    t.target_pct as target_pct,
    t.comparator as comparator,
    case
      when t.target_pct is null or p.numerator is null or p.denominator is null or p.denominator = 0 then CAST(null AS BOOLEAN)
      when p.unit <> 'commune' and p.communes_reporting * 100 < pol.min_coverage_pct * p.communes_expected then CAST(null AS BOOLEAN)
      when t.comparator = 'gt' then (case when p.numerator * 100 > t.target_pct * p.denominator then true else false end)
      when t.comparator = 'gte' then (case when p.numerator * 100 >= t.target_pct * p.denominator then true else false end)
    end as met,
    case
      when t.comparator = 'gt' then CAST(floor((t.target_pct * p.denominator - CAST(100 * p.numerator AS DOUBLE)) / 100) AS BIGINT) + 1
      when t.comparator = 'gte' then CAST(ceil((t.target_pct * p.denominator - CAST(100 * p.numerator AS DOUBLE)) / 100) AS BIGINT)
    end as k
  from pooled as p
  cross join plan_policy as pol
  left join plan_kpi_targets as t
    on t.kpi = p.kpi
    and t.phase = p.phase
)
select
  j.year as year,
  j.phase as phase,
  j.kpi as kpi,
  j.numerator as numerator,
  j.denominator as denominator,
  case
    when j.denominator > 0 then CAST(j.numerator AS DOUBLE) * 100 / CAST(j.denominator AS DOUBLE)
  end as value_pct,
  j.target_pct as target_pct,
  j.comparator as comparator,
  j.met as met,
  j.communes_reporting as communes_reporting,
  j.communes_expected as communes_expected,
  CAST(j.communes_reporting AS DOUBLE) * 100 / CAST(j.communes_expected AS DOUBLE) as coverage_pct,
  case when j.closed = 1 then true else false end as year_closed,
  case
    when j.met = false and j.k >= 1 and j.numerator + j.k <= j.denominator then j.k
    else CAST(null AS BIGINT)
  end as gap_units,
  pa.plan_version as plan_version
from judged as j
cross join params as pa
