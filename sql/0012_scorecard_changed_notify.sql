-- Announces every change the scorecard read model depends on (issue 10 §1). Each command that changes data writes the
-- change log in its own transaction, so a trigger on change_log is the one place that says "this partnership's figures
-- changed": pg_notify is delivered when that transaction commits, and never when it rolls back. Every app instance
-- LISTENs on the channel and replaces its snapshot of the partnership (Scorecard.Data.Performance.ScorecardChangeListener).
-- The payload is JSON {"p": partnership id, "what": a neutral phrase for the page's note}: never a reason or a figure,
-- since every viewer of the partnership sees the note.
create function notify_scorecard_changed() returns trigger language plpgsql as $$
declare
    what text;
begin
    if new.entity not in ('data_return', 'measure', 'agency', 'priority', 'reporting_period', 'spc_process_change') then
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
        else 'a return' end);
    perform pg_notify('scorecard_changed', json_build_object('p', new.partnership_id, 'what', what)::text);
    return null;
end $$;

create trigger change_log_notify_scorecard after insert on change_log
    for each row execute function notify_scorecard_changed();
