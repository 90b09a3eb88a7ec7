-- communes: the province's reference list (generated from data-contracts, names trimmed).
create or replace view communes as
select
  c.commune_code as commune_code,
  c.name as name,
  c.type as type,
  c.former_province as former_province,
  c.former_district as former_district
from ref_communes as c
