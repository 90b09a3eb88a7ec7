-- cadre_gaps (RESTRICTED — serves the API, never granted to analysts): "cảnh báo thiếu chuẩn vị trí việc
-- làm", one row per active cadre of the latest version and reason (docs/kpis.md). It identifies people by staff
-- code and position, so it is the only view that reads restricted_cadre_identity.
--   leader_not_standard      — a leader not meeting the competency framework;
--   not_digitally_proficient — not proficient in e-documents and/or online services (detail: which);
--   record_not_digitized     — the cadre's record is not digitised;
--   leader_training_missing  — a leader missing one of the three tracks (detail: the missing tracks).
create or replace view cadre_gaps as
with gaps as (
  select
    r.year as year,
    r.commune_code as commune_code,
    r.submission_id as submission_id,
    r.row_no as row_no,
    r.is_leader as is_leader,
    'leader_not_standard' as reason,
    CAST(null AS VARCHAR) as detail
  from base_roster as r
  where r.is_active and r.is_leader and not r.meets_competency_standard
  union all
  select
    r.year as year,
    r.commune_code as commune_code,
    r.submission_id as submission_id,
    r.row_no as row_no,
    r.is_leader as is_leader,
    'not_digitally_proficient' as reason,
    case
      when not r.edoc_proficient and not r.online_service_proficient then 'edoc_proficient,online_service_proficient'
      when not r.edoc_proficient then 'edoc_proficient'
      else 'online_service_proficient'
    end as detail
  from base_roster as r
  where r.is_active and not (r.edoc_proficient and r.online_service_proficient)
  union all
  select
    r.year as year,
    r.commune_code as commune_code,
    r.submission_id as submission_id,
    r.row_no as row_no,
    r.is_leader as is_leader,
    'record_not_digitized' as reason,
    CAST(null AS VARCHAR) as detail
  from base_roster as r
  where r.is_active and not r.record_digitized
  union all
  select
    r.year as year,
    r.commune_code as commune_code,
    r.submission_id as submission_id,
    r.row_no as row_no,
    r.is_leader as is_leader,
    'leader_training_missing' as reason,
    -- the missing tracks, comma-separated in the fixed order of the code list
    substr(
      (case when r.trained_chuyen_sau then '' else ',chuyen_sau' end)
      || (case when r.trained_chuc_danh then '' else ',chuc_danh' end)
      || (case when r.trained_quan_tri_hien_dai then '' else ',quan_tri_hien_dai' end),
      2
    ) as detail
  from base_roster as r
  where r.is_active and r.is_leader
    and not (r.trained_chuyen_sau and r.trained_chuc_danh and r.trained_quan_tri_hien_dai)
)
select
  g.year as year,
  g.commune_code as commune_code,
  i.cadre_code as cadre_code,
  i.position as position,
  g.is_leader as is_leader,
  g.reason as reason,
  g.detail as detail
from gaps as g
join restricted_cadre_identity as i
  on i.submission_id = g.submission_id
  and i.row_no = g.row_no
