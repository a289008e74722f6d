-- The ethnicity group and focus group of each ethnicity code: the seed the
-- pipelines map codes with. An ethnicity group's row adds up its codes' rows,
-- which secondary suppression must know.
select code, major_group, focus_group
from seed.ethnicity
where code is not null
