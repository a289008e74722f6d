-- Row counts of the staged file: read (= accepted + rejected), accepted,
-- rejected, skipped (other geographic levels).
select
    count(*) filter (where not skip),
    count(*) filter (where not skip and problem is null),
    count(*) filter (where problem is not null),
    count(*) filter (where skip)
from bm_checked;
