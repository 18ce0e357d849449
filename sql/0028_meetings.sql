-- The QA subgroup's and the Executive's meetings (issue 13 §4): attendance by agency, the agenda the product builds
-- (persisted per meeting so the chair's order, drops and own items survive a rebuild), what was decided against each
-- item, and the stored packs. As everywhere (design.md, Tenancy) partnership_id leads every key and index.

create table meeting (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    kind           text not null check (kind in ('qa_subgroup', 'executive')),
    title          text not null check (length(title) between 3 and 200),
    meeting_date   date not null,
    status         text not null default 'planned' check (status in ('planned', 'held')),
    agenda_built_at timestamptz,
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id)
);
create index meeting_date_ix on meeting (partnership_id, meeting_date);

-- One row per agency invited to a meeting: whether it was represented, and by whom (a role, not a person's details).
create table meeting_attendance (
    partnership_id integer not null,
    meeting_id     integer not null,
    agency_id      integer not null,
    attended       boolean not null,
    representative text not null default '' check (length(representative) <= 200),
    primary key (partnership_id, meeting_id, agency_id),
    foreign key (partnership_id, meeting_id) references meeting (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id)
);
create index meeting_attendance_agency_ix on meeting_attendance (partnership_id, agency_id, meeting_id);

-- An item of a meeting's agenda: proposed by a feature (kind + source_key, stable across rebuilds) or added by the chair
-- (no source). Dropped items are kept (the chair can restore them) and never shown in the presenter view or pack.
create table agenda_item (
    partnership_id integer not null,
    meeting_id     integer not null,
    id             integer generated always as identity,
    position       integer not null check (position between 1 and 10000),
    kind           text check (kind in ('scorecard_exception', 'contested_theme', 'escalated_risk', 'risk_review_overdue',
                       'action_overdue', 'action_awaiting_moderation', 'action_plan_awaiting_sign_off',
                       'challenge_awaiting_response', 'challenge_overdue', 'return_late_or_missing', 'audit_reporting')),
    source_key     text check (length(source_key) between 1 and 200),
    title          text not null check (length(title) between 3 and 300),
    reason         text not null default '' check (length(reason) <= 2000),
    link           text not null default '' check (length(link) <= 500),
    urgency        integer not null default 0,
    facts          jsonb not null default '[]',
    dropped        boolean not null default false,
    primary key (partnership_id, id),
    unique (partnership_id, meeting_id, id),
    check ((kind is null) = (source_key is null)),
    foreign key (partnership_id, meeting_id) references meeting (partnership_id, id)
);
create unique index agenda_item_source_key on agenda_item (partnership_id, meeting_id, source_key);
create index agenda_item_meeting_ix on agenda_item (partnership_id, meeting_id, position);

-- What the meeting decided against an item: a decision, a new challenge or a new action (with owner agency and due
-- date). Kept here; the challenge log and action plans (issue 13 §1, §3) take them up when they land.
create table meeting_record (
    partnership_id  integer not null,
    meeting_id      integer not null,
    agenda_item_id  integer not null,
    id              integer generated always as identity,
    record_kind     text not null check (record_kind in ('decision', 'new_challenge', 'new_action')),
    text            text not null check (length(text) between 3 and 4000),
    owner_agency_id integer,
    due_date        date,
    recorded_by     integer,
    recorded_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, meeting_id, agenda_item_id) references agenda_item (partnership_id, meeting_id, id),
    foreign key (partnership_id, owner_agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, recorded_by) references app_user (partnership_id, id),
    check (record_kind = 'decision' or owner_agency_id is not null)
);
create index meeting_record_meeting_ix on meeting_record (partnership_id, meeting_id, agenda_item_id);

-- The papers as issued: each generation is a new version, kept whole (the model it was drawn from and the .docx bytes),
-- so a past meeting's pack is produced again byte for byte.
create table meeting_pack (
    partnership_id integer not null,
    meeting_id     integer not null,
    version        integer not null check (version >= 1),
    model          text not null,
    docx           bytea not null,
    sha256         text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, meeting_id, version),
    foreign key (partnership_id, meeting_id) references meeting (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id)
);
