-- Closing the loop (issue 13 §1): learning reviews with their recommendations, actions with progress, completion
-- evidence and the QA subgroup's moderation, and executive sign-off of complete action plans.
-- As everywhere (design.md, Tenancy): partnership_id leads every key and index. Nothing here is deleted: an action
-- closes (by moderation or with a reason).

create table learning_review (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    title          text not null check (length(title) between 3 and 200),
    review_type    text not null check (review_type in ('lcspr', 'rapid_review')),
    started_on     date not null,
    completed_on   date,
    status         text not null default 'in_progress' check (status in ('in_progress', 'completed', 'closed')),
    published      boolean not null default false,
    published_on   date,
    summary        text not null default '' check (length(summary) <= 4000),
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check (completed_on is null or completed_on >= started_on),
    check (published = (published_on is not null))
);
create index learning_review_started_ix on learning_review (partnership_id, started_on desc);

create table learning_review_recommendation (
    partnership_id integer not null,
    review_id      integer not null,
    id             integer generated always as identity,
    position       smallint not null check (position between 1 and 100),
    text           text not null check (length(text) between 5 and 2000),
    primary key (partnership_id, id),
    unique (partnership_id, review_id, position),
    foreign key (partnership_id, review_id) references learning_review (partnership_id, id)
);

-- An action's source is a link by kind and key: the id of a row where the source's table exists (validated by the
-- Data layer), a plain key otherwise (voice messages and triangulation themes, whose tables come with issue 12).
create table improvement_action (
    partnership_id     integer not null references partnership (id),
    id                 integer generated always as identity,
    title              text not null check (length(title) between 5 and 500),
    source_kind        text not null check (source_kind in ('measure', 'audit_finding', 'self_assessment_standard',
                           'learning_review_recommendation', 'risk', 'challenge', 'voice_message', 'triangulation_theme')),
    source_key         text not null check (length(source_key) between 1 and 100),
    owner_agency_id    integer not null,
    owner_person       text not null check (length(owner_person) between 2 and 120),
    start_date         date not null,
    due_date           date not null,
    success_measure_id integer,
    status             text not null default 'not_started' check (status in ('not_started', 'on_track', 'at_risk', 'off_track', 'completed', 'closed')),
    completion_evidence text not null default '' check (length(completion_evidence) <= 8000),
    completed_on       date,
    closed_at          timestamptz,
    close_reason       text check (length(close_reason) <= 2000),
    created_by         integer,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, owner_agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, success_measure_id) references measure (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check (due_date >= start_date),
    check ((status = 'closed') = (closed_at is not null and close_reason is not null)),
    check (status not in ('completed', 'closed') or completed_on is not null or close_reason is not null)
);
create index improvement_action_source_ix on improvement_action (partnership_id, source_kind, source_key);
create index improvement_action_agency_ix on improvement_action (partnership_id, owner_agency_id, status);
create index improvement_action_due_ix on improvement_action (partnership_id, status, due_date);
create index improvement_action_measure_ix on improvement_action (partnership_id, success_measure_id) where success_measure_id is not null;

-- Dated progress updates, in the order they were written; each records the status the update left the action in.
create table action_progress (
    partnership_id integer not null,
    action_id      integer not null,
    id             integer generated always as identity,
    noted_on       date not null,
    note           text not null check (length(note) between 3 and 4000),
    status_after   text not null check (status_after in ('not_started', 'on_track', 'at_risk', 'off_track', 'completed', 'closed')),
    recorded_by    integer,
    recorded_by_name text not null,
    recorded_at    timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, action_id) references improvement_action (partnership_id, id),
    foreign key (partnership_id, recorded_by) references app_user (partnership_id, id)
);
create index action_progress_action_ix on action_progress (partnership_id, action_id, id);

-- The QA subgroup's moderation of a completed action: accepted (the action closes) or returned with the challenge.
create table action_moderation (
    partnership_id integer not null,
    action_id      integer not null,
    id             integer generated always as identity,
    outcome        text not null check (outcome in ('accepted', 'returned')),
    reason         text not null default '' check (length(reason) <= 4000),
    moderated_by   integer,
    moderated_by_name text not null,
    moderated_at   timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, action_id) references improvement_action (partnership_id, id),
    foreign key (partnership_id, moderated_by) references app_user (partnership_id, id),
    check (outcome = 'accepted' or length(btrim(reason)) >= 5)
);
create index action_moderation_action_ix on action_moderation (partnership_id, action_id, id);

-- Completion evidence files: the same checks as self-assessment evidence (identified by their bytes).
create table action_evidence_file (
    partnership_id integer not null,
    id             bigint generated always as identity,
    action_id      integer not null,
    file_name      text not null check (length(file_name) between 1 and 255),
    content_type   text not null check (content_type in (
                       'application/pdf',
                       'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                       'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                       'image/png', 'image/jpeg')),
    size_bytes     integer not null check (size_bytes > 0),
    sha256         bytea not null check (length(sha256) = 32),
    bytes          bytea not null,
    uploaded_by    integer,
    uploaded_at    timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, action_id) references improvement_action (partnership_id, id),
    foreign key (partnership_id, uploaded_by) references app_user (partnership_id, id),
    check (octet_length(bytes) = size_bytes)
);
create index action_evidence_file_action_ix on action_evidence_file (partnership_id, action_id);

-- An executive's sign-off of a complete action plan (the actions of one source, all closed). A plan whose actions all
-- closed after its latest sign-off (a new action was added and closed) awaits sign-off again.
create table action_plan_sign_off (
    partnership_id integer not null,
    id             integer generated always as identity,
    source_kind    text not null check (source_kind in ('measure', 'audit_finding', 'self_assessment_standard',
                       'learning_review_recommendation', 'risk', 'challenge', 'voice_message', 'triangulation_theme')),
    source_key     text not null check (length(source_key) between 1 and 100),
    note           text not null default '' check (length(note) <= 2000),
    signed_off_by  integer,
    signed_off_by_name text not null,
    signed_off_at  timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, signed_off_by) references app_user (partnership_id, id)
);
create index action_plan_sign_off_source_ix on action_plan_sign_off (partnership_id, source_kind, source_key, signed_off_at desc);
