-- commune_initiatives: the initiatives (sáng kiến) of the latest report per commune-year.
create or replace view commune_initiatives as
select
  s.year as year,
  s.commune_code as commune_code,
  i.item_no as item_no,
  i.title as title,
  i.replicated as replicated
from base_submissions as s
join curated_initiatives as i
  on i.submission_id = s.submission_id
where s.is_latest
