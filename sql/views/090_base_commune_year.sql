-- Base layer (internal): one row per reference commune and plan year considered at params.as_of (every
-- reference commune, submitted or not — kpis.md counts non-submitters in the province's commune KPIs).
-- Carries the latest version (what counts) and the first version (punctuality).
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
  case when f.on_time then true else false end as first_on_time
from plan_years as y
cross join ref_communes as c
left join base_submissions as l
  on l.commune_code = c.commune_code
  and l.year = y.year
  and l.is_latest
left join base_submissions as f
  on f.commune_code = c.commune_code
  and f.year = y.year
  and f.is_first
