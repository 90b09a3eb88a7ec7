-- data_quality_findings: the plan's soft rules (plan_soft_rules) applied to the latest version of every
-- reference commune-year with a submission — the same rules as functions/src/ingest/soft-rules.ts:
--   leader_title_not_leader — a non-contract row whose position suggests leadership (stored flag
--                             title_suggests_leader, from the plan's keywords) with is_leader false;
--   headcount_change        — roster rows changed by more than the plan's threshold (%) against the latest
--                             version of the previous year (exact compare; passes without a previous year);
--   identical_evaluations   — two or more evaluated active cadres, all with the same four group scores;
--   civil_servants_mismatch — report.civil_servants differs from the number of cong_chuc rows.
-- passed feeds Đúng in data_quality; detail gives the counts behind the finding (key=value, comma-separated).
create or replace view data_quality_findings as
with roster as (
  select
    r.submission_id as submission_id,
    CAST(sum(case when r.category <> 'hop_dong' and not r.is_leader and r.title_suggests_leader then 1 else 0 end) AS BIGINT) as title_not_leader_rows,
    CAST(sum(case when r.category = 'cong_chuc' then 1 else 0 end) AS BIGINT) as cong_chuc_rows,
    CAST(sum(case when r.category <> 'hop_dong' and r.task_results is not null then 1 else 0 end) AS BIGINT) as evaluated,
    min(case when r.category <> 'hop_dong' then r.task_results end) as min_task_results,
    max(case when r.category <> 'hop_dong' then r.task_results end) as max_task_results,
    min(case when r.category <> 'hop_dong' then r.service_quality end) as min_service_quality,
    max(case when r.category <> 'hop_dong' then r.service_quality end) as max_service_quality,
    min(case when r.category <> 'hop_dong' then r.coordination end) as min_coordination,
    max(case when r.category <> 'hop_dong' then r.coordination end) as max_coordination,
    min(case when r.category <> 'hop_dong' then r.integrity end) as min_integrity,
    max(case when r.category <> 'hop_dong' then r.integrity end) as max_integrity
  from base_roster as r
  group by r.submission_id
),
facts as (
  select
    g.year as year,
    g.commune_code as commune_code,
    ro.title_not_leader_rows as title_not_leader_rows,
    ro.cong_chuc_rows as cong_chuc_rows,
    ro.evaluated as evaluated,
    case
      when ro.evaluated >= 2
        and ro.min_task_results = ro.max_task_results
        and ro.min_service_quality = ro.max_service_quality
        and ro.min_coordination = ro.max_coordination
        and ro.min_integrity = ro.max_integrity
      then true
      else false
    end as all_identical,
    CAST(g.latest_cadre_rows AS BIGINT) as roster_rows,
    CAST(prev.cadre_rows AS BIGINT) as previous_roster_rows,
    CAST(rp.civil_servants AS BIGINT) as civil_servants
  from base_commune_year as g
  join roster as ro
    on ro.submission_id = g.latest_submission_id
  join curated_reports as rp
    on rp.submission_id = g.latest_submission_id
  left join base_submissions as prev
    on prev.commune_code = g.commune_code
    and prev.year = g.year - 1
    and prev.is_latest
  where g.has_submission
)
select
  f.year as year,
  f.commune_code as commune_code,
  sr.rule as rule,
  case
    when sr.rule = 'leader_title_not_leader' then (case when f.title_not_leader_rows = 0 then true else false end)
    when sr.rule = 'headcount_change' then (
      case
        when f.previous_roster_rows is null or f.previous_roster_rows = 0 then true
        when abs(f.roster_rows - f.previous_roster_rows) * 100 > pol.headcount_change_threshold_pct * f.previous_roster_rows then false
        else true
      end
    )
    when sr.rule = 'identical_evaluations' then (case when f.all_identical then false else true end)
    when sr.rule = 'civil_servants_mismatch' then (case when f.civil_servants = f.cong_chuc_rows then true else false end)
  end as passed,
  case
    when sr.rule = 'leader_title_not_leader' then 'rows=' || CAST(f.title_not_leader_rows AS VARCHAR)
    when sr.rule = 'headcount_change' then (
      case
        when f.previous_roster_rows is null then 'current=' || CAST(f.roster_rows AS VARCHAR)
        else 'previous=' || CAST(f.previous_roster_rows AS VARCHAR) || ',current=' || CAST(f.roster_rows AS VARCHAR)
      end
    )
    when sr.rule = 'identical_evaluations' then 'evaluated=' || CAST(f.evaluated AS VARCHAR)
    when sr.rule = 'civil_servants_mismatch' then
      'declared=' || CAST(f.civil_servants AS VARCHAR) || ',listed=' || CAST(f.cong_chuc_rows AS VARCHAR)
  end as detail
from facts as f
cross join plan_soft_rules as sr
cross join plan_policy as pol
