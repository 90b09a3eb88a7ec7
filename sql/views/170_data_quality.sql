-- data_quality: "Đúng – Đủ – Sạch – Sống" (docs/kpis.md, plan III.5.2) per reference commune and year, each 0–100;
-- every component and the score are 0 for a commune without a submission for a CLOSED year, and NULL for one
-- that is pending in an OPEN year (docs/kpis.md "The year in progress").
--   du   (Đủ, complete)  — 100 if an accepted submission exists;
--   dung (Đúng, correct) — share of the plan's soft rules the latest version passes (data_quality_findings);
--   sach (Sạch, clean)   — share of the latest version's ACTIVE cadres (contract staff count in neither part)
--                          not also listed as active cadres, the same year, by another commune's latest
--                          version (same person_key);
--   song (Sống, live)    — from the FIRST accepted version: 100 if on time, else 100 − penalty × d, at least 0,
--                          d = the started 24-hour periods after the deadline instant: at the deadline up to
--                          exactly 24 h late is d = 1, 24 h + 1 ms is d = 2 (plan_late_days holds the bands,
--                          computed from the plan; each band is (from, until], the first also holds `from`);
--   score                — the mean of the four.
create or replace view data_quality as
with rules as (
  select
    f.year as year,
    f.commune_code as commune_code,
    CAST(sum(case when f.passed then 1 else 0 end) AS BIGINT) as passed,
    CAST(count(*) AS BIGINT) as checked
  from data_quality_findings as f
  group by f.year, f.commune_code
),
rule_count as (
  select CAST(count(*) AS BIGINT) as n from plan_soft_rules as sr
),
shared_persons as (
  select
    r.year as year,
    r.person_key as person_key
  from base_roster as r
  where r.is_active
  group by r.year, r.person_key
  having count(distinct r.commune_code) > 1
),
clean as (
  select
    r.submission_id as submission_id,
    CAST(count(*) AS BIGINT) as roster_rows,
    CAST(sum(case when sp.person_key is null then 1 else 0 end) AS BIGINT) as clean_rows
  from base_roster as r
  left join shared_persons as sp
    on sp.year = r.year
    and sp.person_key = r.person_key
  where r.is_active
  group by r.submission_id
),
components as (
  select
    g.year as year,
    g.commune_code as commune_code,
    g.has_submission as has_submission,
    g.year_closed as year_closed,
    case
      when not g.has_submission and not g.year_closed then CAST(null AS DOUBLE)
      when not g.has_submission then CAST(0 AS DOUBLE)
      when rc.n = 0 then CAST(100 AS DOUBLE)
      else CAST(coalesce(ru.passed, 0) AS DOUBLE) * 100 / CAST(rc.n AS DOUBLE)
    end as dung,
    case
      when not g.has_submission and not g.year_closed then CAST(null AS DOUBLE)
      when g.has_submission then CAST(100 AS DOUBLE)
      else CAST(0 AS DOUBLE)
    end as du,
    case
      when not g.has_submission and not g.year_closed then CAST(null AS DOUBLE)
      when not g.has_submission or cl.roster_rows is null or cl.roster_rows = 0 then CAST(0 AS DOUBLE)
      else CAST(cl.clean_rows AS DOUBLE) * 100 / CAST(cl.roster_rows AS DOUBLE)
    end as sach,
    case
      when not g.has_submission and not g.year_closed then CAST(null AS DOUBLE)
      when not g.has_submission then CAST(0 AS DOUBLE)
      when g.first_on_time then CAST(100 AS DOUBLE)
      else coalesce(ld.song, CAST(0 AS DOUBLE))
    end as song
  from base_commune_year as g
  cross join rule_count as rc
  left join rules as ru
    on ru.year = g.year
    and ru.commune_code = g.commune_code
  left join clean as cl
    on cl.submission_id = g.latest_submission_id
  left join plan_late_days as ld
    on ld.year = g.year
    and (g.first_received_at > ld.late_from_utc or (ld.days_late = 1 and g.first_received_at >= ld.late_from_utc))
    and (ld.late_until_utc is null or g.first_received_at <= ld.late_until_utc)
)
select
  c.year as year,
  c.commune_code as commune_code,
  c.dung as dung,
  c.du as du,
  c.sach as sach,
  c.song as song,
  (c.dung + c.du + c.sach + c.song) / CAST(4 AS DOUBLE) as score,
  c.year_closed as year_closed
from components as c
