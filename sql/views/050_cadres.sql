-- cadres: one active cadre (cán bộ, công chức, viên chức — contract staff excluded, docs/kpis.md "Units") of the
-- latest version per commune-year. No staff code, position title, per-person scores or birth year.
create or replace view cadres as
select
  r.year as year,
  r.commune_code as commune_code,
  r.person_key as person_key,
  r.category as category,
  r.is_leader as is_leader,
  r.org_unit as org_unit,
  r.education as education,
  r.age_band as age_band,
  r.gender as gender,
  r.meets_competency_standard as meets_competency_standard,
  r.edoc_proficient as edoc_proficient,
  r.online_service_proficient as online_service_proficient,
  r.record_digitized as record_digitized,
  r.trainings as trainings,
  r.on_probation as on_probation,
  r.rotated_in as rotated_in,
  r.rating as rating
from base_roster as r
where r.is_active
