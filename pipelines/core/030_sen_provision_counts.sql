-- requires: census, schools
-- January-census headcounts by SEN provision, for every geography, phase
-- and breakdown of core.pupil_breakdowns (one row per group):
--   pupils          headcount (enrolment C or M, state-funded schools)
--   sen_support     pupils with sen_provision K (SEN support)
--   ehcp            pupils with sen_provision E (EHC plan)
--   ehcp_mainstream pupils with sen_provision E in a mainstream school: any
--                   phase and type other than special schools and
--                   alternative provision / pupil referral units
-- Period: the January census date (period_type census).
create or replace view core.sen_provision_counts as
select
    period, period_type, period_start, period_end,
    geography_level, geography_code, geography_name, phase, breakdown, breakdown_value,
    count(*) as pupils,
    count(*) filter (where sen_provision = 'K') as sen_support,
    count(*) filter (where sen_provision = 'E') as ehcp,
    count(*) filter (where sen_provision = 'E'
                       and school_phase not in ('special', 'alternative provision')
                       and school_type not in ('special', 'pupil referral unit')) as ehcp_mainstream
from core.pupil_breakdowns
group by all;
