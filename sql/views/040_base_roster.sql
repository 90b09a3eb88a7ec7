-- Base layer (internal): every roster row (all categories, contract staff included) of the latest version of
-- each commune-year. Internal because it carries what analysts never see (row_no links to the restricted
-- identity table; per-person scores; title_suggests_leader).
create or replace view base_roster as
select
  s.year as year,
  s.commune_code as commune_code,
  s.submission_id as submission_id,
  c.row_no as row_no,
  c.person_key as person_key,
  c.category as category,
  case when c.category in ('can_bo', 'cong_chuc', 'vien_chuc') then true else false end as is_active,
  c.is_leader as is_leader,
  c.org_unit as org_unit,
  c.education as education,
  c.age_band as age_band,
  c.gender as gender,
  c.meets_competency_standard as meets_competency_standard,
  c.edoc_proficient as edoc_proficient,
  c.online_service_proficient as online_service_proficient,
  c.record_digitized as record_digitized,
  c.trainings as trainings,
  c.trained_chuyen_sau as trained_chuyen_sau,
  c.trained_chuc_danh as trained_chuc_danh,
  c.trained_quan_tri_hien_dai as trained_quan_tri_hien_dai,
  c.on_probation as on_probation,
  c.rotated_in as rotated_in,
  c.title_suggests_leader as title_suggests_leader,
  c.rating as rating,
  c.task_results as task_results,
  c.service_quality as service_quality,
  c.coordination as coordination,
  c.integrity as integrity
from base_submissions as s
join curated_cadres as c
  on c.submission_id = s.submission_id
where s.is_latest
