-- Small-number suppression (design.md, Analytics) protects people: a count of 1 to 4 children or families can identify
-- them. Measures that count staff, settings or audits (training compliance, audits completed) identify nobody, and
-- hiding every school's "3 of 4 leads trained" would hide the very figure the partnership asks for. Admins say which.
alter table measure add column suppress_small_numbers boolean not null default true;
comment on column measure.suppress_small_numbers is
    'Counts (and numerators) of 1-4 are shown as <5 outside the owning agency. False for measures that do not count people.';
