-- A process change: from this quarter a measure's SPC limits are recalculated (Making Data Count: rebase only when
-- there is a known reason the process changed, such as a new referral pathway). Each one starts a new segment with
-- its own mean and limits. The reason is required so the QA subgroup can see why the limits moved.
create table spc_process_change (
    partnership_id integer not null,
    id             integer generated always as identity,
    measure_id     integer not null,
    period_id      integer not null,
    reason         text not null check (length(reason) between 5 and 500),
    created_by     integer not null,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, measure_id) references measure (partnership_id, id),
    foreign key (partnership_id, period_id) references reporting_period (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id)
);
create unique index spc_process_change_key on spc_process_change (partnership_id, measure_id, period_id);
