-- A school's or college's phase, so a Section 175/157 cycle of 170 schools can be filtered by phase as well as sector
-- (issue 11 §3, Views). Null for every agency that is not a school or college. Additive: nothing else reads it yet.
alter table agency
    add column education_phase text check (education_phase in ('primary', 'secondary', 'sixteen_plus', 'independent', 'other'));
