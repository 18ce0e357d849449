-- Catalogue: partnerships, their agencies, priorities, measures and reporting periods.
-- Every business table carries partnership_id and every key and index starts with it (design.md, Tenancy).

create table partnership (
    id          integer generated always as identity primary key,
    code        text not null unique check (code ~ '^[a-z0-9-]{2,40}$'),
    name        text not null check (length(name) between 2 and 200),
    short_name  text not null check (length(short_name) between 2 and 20),
    created_at  timestamptz not null default now()
);

create table agency (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    name           text not null check (length(name) between 2 and 200),
    short_name     text not null check (length(short_name) between 1 and 40),
    sector         text not null check (sector in ('council', 'police', 'health', 'education', 'justice', 'voluntary', 'other')),
    partner_type   text not null check (partner_type in ('statutory', 'relevant')),
    active         boolean not null default true,
    primary key (partnership_id, id)
);
create unique index agency_name_key on agency (partnership_id, lower(name));
create index agency_sector_ix on agency (partnership_id, sector, name);

create table priority (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    code           text not null check (code ~ '^[A-Z0-9]{1,10}$'),
    title          text not null check (length(title) between 2 and 200),
    description    text not null default '',
    sort_order     integer not null default 0,
    active         boolean not null default true,
    primary key (partnership_id, id)
);
create unique index priority_code_key on priority (partnership_id, code);

create table measure (
    partnership_id     integer not null references partnership (id),
    id                 integer generated always as identity,
    code               text not null check (code ~ '^[A-Z][A-Z0-9_-]{1,19}$'),
    title              text not null check (length(title) between 3 and 200),
    definition         text not null check (length(definition) between 3 and 4000),
    unit               text not null check (unit in ('count', 'percent', 'rate_per_10k', 'days', 'score')),
    numerator_label    text,
    denominator_label  text,
    polarity           text not null check (polarity in ('higher_is_better', 'lower_is_better', 'neutral')),
    priority_id        integer not null,
    owner_agency_id    integer not null,
    target             numeric,
    amber_tolerance    numeric check (amber_tolerance is null or amber_tolerance >= 0),
    decimal_places     smallint not null default 1 check (decimal_places between 0 and 4),
    england_value      numeric,
    neighbour_value    numeric,
    benchmark_note     text not null default '',
    sort_order         integer not null default 0,
    active             boolean not null default true,
    primary key (partnership_id, id),
    foreign key (partnership_id, priority_id) references priority (partnership_id, id),
    foreign key (partnership_id, owner_agency_id) references agency (partnership_id, id),
    -- A ratio measure names both parts; a measure that is typed directly names neither.
    check ((numerator_label is null) = (denominator_label is null)),
    check (unit <> 'count' or numerator_label is null)
);
create unique index measure_code_key on measure (partnership_id, code);
create index measure_priority_ix on measure (partnership_id, priority_id, sort_order);

-- Which agencies send a value for a measure in their quarterly return.
create table measure_reporter (
    partnership_id integer not null,
    measure_id     integer not null,
    agency_id      integer not null,
    primary key (partnership_id, measure_id, agency_id),
    foreign key (partnership_id, measure_id) references measure (partnership_id, id) on delete cascade,
    foreign key (partnership_id, agency_id) references agency (partnership_id, id)
);
create index measure_reporter_agency_ix on measure_reporter (partnership_id, agency_id, measure_id);

-- Financial-year quarters: fiscal_year 2024 is 2024/25, Q1 = April to June.
create table reporting_period (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    fiscal_year    integer not null check (fiscal_year between 2000 and 2100),
    quarter        smallint not null check (quarter between 1 and 4),
    start_date     date not null,
    end_date       date not null,
    due_date       date not null,
    is_open        boolean not null default true,
    primary key (partnership_id, id),
    check (end_date > start_date and due_date >= end_date)
);
create unique index reporting_period_key on reporting_period (partnership_id, fiscal_year, quarter);
