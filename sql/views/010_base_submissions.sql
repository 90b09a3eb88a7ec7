-- Base layer (internal): every accepted version the views may see. All other views read submissions
-- through here, so two rules hold everywhere:
--   * cut-off: only versions committed (made visible) up to params.as_of — docs/kpis.md "As known on": a version
--     claimed before a crash and completed later is invisible to an as_of before its completion, so a pack
--     regenerated at the same as_of never gains a submission (markers from before committed_at existed: their
--     received_at);
--   * voids: a version voided by an admin (voided_at <= as_of) is skipped, as if never filed.
-- is_first / is_latest rank the remaining versions of a commune-year: the latest counts for every figure
-- (a correction supersedes), the first decides punctuality (report_on_time, Sống: a correction never changes it).
-- on_time: received strictly before 6 November 00:00 Asia/Ho_Chi_Minh (plan_report_deadlines.deadline_utc).
create or replace view base_submissions as
with visible as (
  select
    s.submission_id as submission_id,
    s.commune_code as commune_code,
    s.year as year,
    s.version as version,
    s.received_at as received_at,
    s.received_date_vn as received_date_vn,
    s.content_sha256 as content_sha256,
    s.cadre_rows as cadre_rows
  from curated_submissions as s
  cross join params as p
  where coalesce(s.committed_at, s.received_at) <= p.as_of
    and not exists (
      select 1
      from curated_voids as v
      where v.submission_id = s.submission_id
        and v.voided_at <= p.as_of
    )
),
ranked as (
  select
    v.submission_id as submission_id,
    v.commune_code as commune_code,
    v.year as year,
    v.version as version,
    v.received_at as received_at,
    v.received_date_vn as received_date_vn,
    v.content_sha256 as content_sha256,
    v.cadre_rows as cadre_rows,
    row_number() over (partition by v.commune_code, v.year order by v.version desc nulls last) as rn_latest,
    row_number() over (partition by v.commune_code, v.year order by v.version asc nulls last) as rn_first
  from visible as v
)
select
  r.submission_id as submission_id,
  r.commune_code as commune_code,
  r.year as year,
  r.version as version,
  r.received_at as received_at,
  r.received_date_vn as received_date_vn,
  r.content_sha256 as content_sha256,
  r.cadre_rows as cadre_rows,
  case when r.rn_latest = 1 then true else false end as is_latest,
  case when r.rn_first = 1 then true else false end as is_first,
  case when d.deadline_utc is not null and r.received_at < d.deadline_utc then true else false end as on_time
from ranked as r
left join plan_report_deadlines as d
  on d.year = r.year
