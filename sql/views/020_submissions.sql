-- submissions: one accepted, non-voided submission version (as of params.as_of).
-- on_time: THIS version arrived before the year's deadline instant (per version; the KPI report_on_time judges
-- the first version); is_latest: the version that counts. received_at is UTC; received_date_vn is its date in
-- the plan's zone (Vietnam, UTC+7), computed at ingest (NULL for versions stored before it existed).
create or replace view submissions as
select
  s.submission_id as submission_id,
  s.commune_code as commune_code,
  s.year as year,
  s.version as version,
  s.received_at as received_at,
  s.content_sha256 as content_sha256,
  s.is_latest as is_latest,
  s.on_time as on_time,
  CAST(s.received_date_vn AS DATE) as received_date_vn
from base_submissions as s
