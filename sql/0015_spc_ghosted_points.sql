-- A ghosted point: one quarter of a measure the QA subgroup has marked as a known special cause, left out of the SPC
-- mean, limits and rules and drawn hollow (issue 8 §1: "one outlier must not rewrite history"; the Making Data Count
-- tools call this ghosting). The reason is required. Removing one deletes the row and writes the change log, as
-- spc_process_change (0009) does; the log keeps who ghosted what, when and why.
create table spc_ghosted_point (
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
create unique index spc_ghosted_point_key on spc_ghosted_point (partnership_id, measure_id, period_id);

-- The read model hears of ghosting through the change log's trigger (0012): the same function, one more entity.
create or replace function notify_scorecard_changed() returns trigger language plpgsql as $$
declare
    what text;
begin
    if new.entity not in ('data_return', 'measure', 'agency', 'priority', 'reporting_period', 'spc_process_change', 'spc_ghosted_point') then
        return null;
    end if;
    if new.entity = 'data_return' then
        select a.name || '''s ' || p.fiscal_year || '/' || lpad(((p.fiscal_year + 1) % 100)::text, 2, '0') || ' Q' || p.quarter || ' return'
        into what
        from data_return r
        join agency a on a.partnership_id = r.partnership_id and a.id = r.agency_id
        join reporting_period p on p.partnership_id = r.partnership_id and p.id = r.period_id
        where r.partnership_id = new.partnership_id and r.id = new.entity_id::bigint;
    end if;
    what := coalesce(what, case new.entity
        when 'measure' then 'the measures'
        when 'agency' then 'the agencies'
        when 'priority' then 'the priorities'
        when 'reporting_period' then 'the reporting periods'
        when 'spc_process_change' then 'a process change'
        when 'spc_ghosted_point' then 'a known special cause'
        else 'a return' end);
    perform pg_notify('scorecard_changed', json_build_object('p', new.partnership_id, 'what', what)::text);
    return null;
end $$;
