-- commune_reports: the latest report per commune-year (staffing and initiatives have their own views).
create or replace view commune_reports as
select
  s.year as year,
  s.commune_code as commune_code,
  s.submission_id as submission_id,
  s.version as version,
  s.received_at as received_at,
  r.digital_cadre_management as digital_cadre_management,
  r.staff_quota as staff_quota,
  r.civil_servants as civil_servants,
  r.dialogues_held as dialogues_held,
  r.citizen_reception_days as citizen_reception_days,
  r.complaints_received as complaints_received,
  r.complaints_resolved_on_time as complaints_resolved_on_time,
  r.citizen_respondents as citizen_respondents,
  r.citizen_satisfied as citizen_satisfied,
  r.business_respondents as business_respondents,
  r.business_satisfied as business_satisfied
from base_submissions as s
join curated_reports as r
  on r.submission_id = s.submission_id
where s.is_latest
