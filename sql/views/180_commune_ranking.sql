-- commune_ranking: a composite score 0–100 for every reference commune and year (docs/kpis.md, product policy):
--   kpi_score          — mean over the commune KPIs with a target in the year's phase of the attainment
--                        min(value / target, 1) × 100, capped at plan_policy.not_met_cap when not met (a value
--                        exactly at a strict target is not met), 0 for a missing value;
--   evaluation_score   — the mean of the four evaluation groups over evaluated active cadres (0 if none);
--   data_quality_score — data_quality.score;
--   score              — the weighted sum (weights from plan_policy), rounded to 6 decimals so equal scores tie
--                        on every engine.
-- rank / rank_in_type: standard competition ranking (1, 2, 2, 4), highest first, per year and per year × type.
-- A commune that has not submitted for an OPEN year is pending: no score, components or rank; the communes
-- that did submit are ranked among themselves (docs/kpis.md "The year in progress"). year_closed says which.
create or replace view commune_ranking as
with attainment as (
  select
    k.year as year,
    k.commune_code as commune_code,
    avg(
      case
        when k.value_pct is null then CAST(0 AS DOUBLE)
        when k.met then CAST(100 AS DOUBLE)
        when k.target_pct = 0 then pol.not_met_cap
        when k.value_pct * 100 / k.target_pct > pol.not_met_cap then pol.not_met_cap
        else k.value_pct * 100 / k.target_pct
      end
    ) as kpi_score
  from kpi_commune_year as k
  cross join plan_policy as pol
  where k.target_pct is not null
  group by k.year, k.commune_code
),
evaluation as (
  select
    r.submission_id as submission_id,
    CAST(sum(r.task_results + r.service_quality + r.coordination + r.integrity) AS DOUBLE)
      / CAST(4 * count(*) AS DOUBLE) as evaluation_score
  from base_roster as r
  where r.is_active and r.task_results is not null
  group by r.submission_id
),
scored as (
  select
    g.year as year,
    g.commune_code as commune_code,
    g.type as type,
    case when g.has_submission or g.year_closed then 0 else 1 end as pending,
    g.year_closed as year_closed,
    coalesce(a.kpi_score, CAST(0 AS DOUBLE)) as kpi_score,
    coalesce(e.evaluation_score, CAST(0 AS DOUBLE)) as evaluation_score,
    coalesce(dq.score, CAST(0 AS DOUBLE)) as data_quality_score,
    round(
      (
        pol.weight_kpi * coalesce(a.kpi_score, CAST(0 AS DOUBLE))
        + pol.weight_evaluation * coalesce(e.evaluation_score, CAST(0 AS DOUBLE))
        + pol.weight_data_quality * coalesce(dq.score, CAST(0 AS DOUBLE))
      ) / (pol.weight_kpi + pol.weight_evaluation + pol.weight_data_quality),
      6
    ) as score
  from base_commune_year as g
  cross join plan_policy as pol
  left join attainment as a
    on a.year = g.year
    and a.commune_code = g.commune_code
  left join evaluation as e
    on e.submission_id = g.latest_submission_id
  left join data_quality as dq
    on dq.year = g.year
    and dq.commune_code = g.commune_code
)
select
  s.year as year,
  s.commune_code as commune_code,
  s.type as type,
  case when s.pending = 1 then CAST(null AS DOUBLE) else s.score end as score,
  case
    when s.pending = 1 then CAST(null AS BIGINT)
    else CAST(rank() over (partition by s.year, s.pending order by s.score desc nulls last) AS BIGINT)
  end as rank,
  case
    when s.pending = 1 then CAST(null AS BIGINT)
    else CAST(rank() over (partition by s.year, s.pending, s.type order by s.score desc nulls last) AS BIGINT)
  end as rank_in_type,
  case when s.pending = 1 then CAST(null AS DOUBLE) else s.kpi_score end as kpi_score,
  case when s.pending = 1 then CAST(null AS DOUBLE) else s.evaluation_score end as evaluation_score,
  case when s.pending = 1 then CAST(null AS DOUBLE) else s.data_quality_score end as data_quality_score,
  s.year_closed as year_closed
from scored as s
