-- commune_staffing: the staffing rows (required vs actual civil servants per specialism) of the latest
-- report per commune-year.
create or replace view commune_staffing as
select
  s.year as year,
  s.commune_code as commune_code,
  t.field as field,
  t.required as required,
  t.actual as actual
from base_submissions as s
join curated_staffing as t
  on t.submission_id = s.submission_id
where s.is_latest
