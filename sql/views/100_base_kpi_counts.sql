-- Base layer (internal): numerator and denominator of every plan KPI for every reference commune and year
-- (docs/kpis.md "The KPIs"). Integers only; percentages and comparisons happen in kpi_commune_year.
--   * cadre KPIs count active cadres (contract staff, hop_dong, count in no KPI) of the latest version;
--     a submission without leaders gives 0 / 0 (no value), never 0 % or 100 %;
--   * commune KPIs are 0 / 1 or 1 / 1 per commune;
--   * a commune without a submission in a CLOSED year: NULL / NULL, except report_on_time (0 / 1: not
--     reported is not on time) and initiative_replicated, which carries forward: any initiative marked
--     replicated in the latest version of any plan year up to the year counts, with or without a submission
--     this year;
--   * a commune without a submission in an OPEN year (before the report deadline) is pending, not failing:
--     NULL / NULL for every KPI, report_on_time included; initiative_replicated still carries forward when it
--     was replicated before (1 / 1), else NULL / NULL (docs/kpis.md "The year in progress").
create or replace view base_kpi_counts as
with roster as (
  select
    r.submission_id as submission_id,
    CAST(sum(case when r.is_active then 1 else 0 end) AS BIGINT) as active,
    CAST(sum(case when r.is_active and r.edoc_proficient and r.online_service_proficient then 1 else 0 end) AS BIGINT) as active_digital,
    CAST(sum(case when r.is_active and r.record_digitized then 1 else 0 end) AS BIGINT) as active_records,
    CAST(sum(case when r.is_active and r.is_leader then 1 else 0 end) AS BIGINT) as leaders,
    CAST(sum(case when r.is_active and r.is_leader and r.meets_competency_standard then 1 else 0 end) AS BIGINT) as leaders_standard,
    CAST(sum(
      case
        when r.is_active and r.is_leader and r.trained_chuyen_sau and r.trained_chuc_danh and r.trained_quan_tri_hien_dai then 1
        else 0
      end
    ) AS BIGINT) as leaders_trained
  from base_roster as r
  group by r.submission_id
),
staffing as (
  select
    t.submission_id as submission_id,
    CAST(sum(case when t.actual < t.required then 1 else 0 end) AS BIGINT) as short_fields
  from curated_staffing as t
  group by t.submission_id
),
replicated as (
  select
    g.year as year,
    g.commune_code as commune_code,
    CAST(max(case when i.replicated then 1 else 0 end) AS BIGINT) as replicated
  from base_commune_year as g
  join base_submissions as s
    on s.commune_code = g.commune_code
    and s.year <= g.year
    and s.is_latest
  join plan_years as py
    on py.year = s.year
  join curated_initiatives as i
    on i.submission_id = s.submission_id
  group by g.year, g.commune_code
),
per_commune as (
  select
    g.year as year,
    g.phase as phase,
    g.commune_code as commune_code,
    g.has_submission as has_submission,
    g.year_closed as year_closed,
    g.first_on_time as first_on_time,
    coalesce(ro.active, 0) as active,
    coalesce(ro.active_digital, 0) as active_digital,
    coalesce(ro.active_records, 0) as active_records,
    coalesce(ro.leaders, 0) as leaders,
    coalesce(ro.leaders_standard, 0) as leaders_standard,
    coalesce(ro.leaders_trained, 0) as leaders_trained,
    CAST(rp.citizen_satisfied AS BIGINT) + CAST(rp.business_satisfied AS BIGINT) as satisfied,
    CAST(rp.citizen_respondents AS BIGINT) + CAST(rp.business_respondents AS BIGINT) as respondents,
    rp.digital_cadre_management as digital_cadre_management,
    case when rp.civil_servants <= rp.staff_quota then true else false end as within_quota,
    coalesce(st.short_fields, 0) as short_fields,
    coalesce(re.replicated, 0) as replicated
  from base_commune_year as g
  left join roster as ro
    on ro.submission_id = g.latest_submission_id
  left join curated_reports as rp
    on rp.submission_id = g.latest_submission_id
  left join staffing as st
    on st.submission_id = g.latest_submission_id
  left join replicated as re
    on re.year = g.year
    and re.commune_code = g.commune_code
)
select
  p.year as year,
  p.phase as phase,
  p.commune_code as commune_code,
  k.kpi as kpi,
  k.unit as unit,
  k.sort_order as sort_order,
  p.has_submission as has_submission,
  case
    when k.kpi = 'report_on_time' and not p.has_submission and not p.year_closed then CAST(null AS BIGINT)
    when k.kpi = 'report_on_time' then CAST(case when p.first_on_time then 1 else 0 end AS BIGINT)
    when k.kpi = 'initiative_replicated' and not p.has_submission and not p.year_closed and p.replicated = 0 then CAST(null AS BIGINT)
    when k.kpi = 'initiative_replicated' then p.replicated
    when not p.has_submission then CAST(null AS BIGINT)
    when k.kpi = 'leader_standard' then p.leaders_standard
    when k.kpi = 'digital_proficiency' then p.active_digital
    when k.kpi = 'records_digitized' then p.active_records
    when k.kpi = 'leader_trained' then p.leaders_trained
    when k.kpi = 'satisfaction' then p.satisfied
    when k.kpi = 'digital_cadre_mgmt' then CAST(case when p.digital_cadre_management then 1 else 0 end AS BIGINT)
    when k.kpi = 'staffing_complete' then CAST(case when p.short_fields = 0 then 1 else 0 end AS BIGINT)
    when k.kpi = 'within_quota' then CAST(case when p.within_quota then 1 else 0 end AS BIGINT)
  end as numerator,
  case
    when k.kpi = 'report_on_time' and not p.has_submission and not p.year_closed then CAST(null AS BIGINT)
    when k.kpi = 'initiative_replicated' and not p.has_submission and not p.year_closed and p.replicated = 0 then CAST(null AS BIGINT)
    when k.kpi in ('report_on_time', 'initiative_replicated') then CAST(1 AS BIGINT)
    when not p.has_submission then CAST(null AS BIGINT)
    when k.kpi in ('leader_standard', 'leader_trained') then p.leaders
    when k.kpi in ('digital_proficiency', 'records_digitized') then p.active
    when k.kpi = 'satisfaction' then p.respondents
    when k.kpi in ('digital_cadre_mgmt', 'staffing_complete', 'within_quota') then CAST(1 AS BIGINT)
  end as denominator,
  p.year_closed as year_closed
from per_commune as p
cross join plan_kpis as k
