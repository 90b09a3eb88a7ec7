-- Base layer (internal): one row per reference commune and plan year considered at params.as_of (every
-- reference commune, submitted or not — docs/kpis.md counts non-submitters in the province's commune KPIs).
-- Carries the latest version (what counts) and the first version (punctuality), and whether the year is closed
-- at as_of (docs/kpis.md "The year in progress": open until its report deadline, 6 November 00:00 UTC+7, passes).
create or replace view base_commune_year as
select
  y.year as year,
  y.phase as phase,
  y.phase_last_year as phase_last_year,
  y.is_phase_last_year as is_phase_last_year,
  c.commune_code as commune_code,
  c.type as type,
  case when l.submission_id is null then false else true end as has_submission,
  l.submission_id as latest_submission_id,
  l.cadre_rows as latest_cadre_rows,
  f.submission_id as first_submission_id,
  f.received_at as first_received_at,
  case when f.on_time then true else false end as first_on_time,
  case when d.deadline_utc is not null and p.as_of >= d.deadline_utc then true else false end as year_closed
from plan_years as y
cross join ref_communes as c
cross join params as p
left join plan_report_deadlines as d
  on d.year = y.year
left join base_submissions as l
  on l.commune_code = c.commune_code
  and l.year = y.year
  and l.is_latest
left join base_submissions as f
  on f.commune_code = c.commune_code
  and f.year = y.year
  and f.is_first
