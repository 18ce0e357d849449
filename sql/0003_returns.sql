-- Quarterly data returns. A return is one agency x period x version; nothing is ever overwritten:
-- the current value of a measure is the one in the agency's latest accepted return for that period.

create table data_return (
    partnership_id  integer not null,
    id              bigint generated always as identity,
    agency_id       integer not null,
    period_id       integer not null,
    version         integer not null check (version >= 1),
    status          text not null check (status in ('draft', 'submitted', 'accepted', 'superseded', 'rejected')),
    source          text not null default 'upload' check (source in ('upload', 'api', 'demo')),
    submitted_by    integer,
    submitted_at    timestamptz not null default now(),
    file_name       text,
    file_bytes      bytea,
    file_sha256     bytea,
    value_count     integer not null default 0,
    rejected_by     integer,
    rejected_at     timestamptz,
    rejected_reason text,
    primary key (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, period_id) references reporting_period (partnership_id, id),
    foreign key (partnership_id, submitted_by) references app_user (partnership_id, id),
    foreign key (partnership_id, rejected_by) references app_user (partnership_id, id),
    check ((status = 'rejected') = (rejected_reason is not null))
);
create unique index data_return_version_key on data_return (partnership_id, agency_id, period_id, version);
-- The scorecard reads the accepted return of each agency and period.
create unique index data_return_current_key on data_return (partnership_id, period_id, agency_id) where status = 'accepted';

create table measure_value (
    partnership_id integer not null,
    return_id      bigint not null,
    measure_id     integer not null,
    numerator      numeric,
    denominator    numeric,
    value          numeric,
    commentary     text not null default '',
    primary key (partnership_id, return_id, measure_id),
    foreign key (partnership_id, return_id) references data_return (partnership_id, id) on delete cascade,
    foreign key (partnership_id, measure_id) references measure (partnership_id, id),
    check (denominator is null or denominator >= 0),
    check (numerator is null or numerator >= 0)
);
create index measure_value_measure_ix on measure_value (partnership_id, measure_id, return_id);
