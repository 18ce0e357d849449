-- Self-assessment: one engine for Section 11, Section 175/157 and "true for us" exercises (issue 11 §3).
-- framework (versioned list of standards) -> cycle (a framework run for a set of agencies) -> submission per agency x
-- cycle x version -> a rating per standard, evidence files, and a QA member's moderation per standard.

create table framework (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    code           text not null check (code ~ '^[a-z0-9-]{2,40}$'),
    version        integer not null check (version >= 1),
    kind           text not null check (kind in ('section_11', 'section_175_157', 'true_for_us')),
    title          text not null check (length(title) between 3 and 200),
    description    text not null default '' check (length(description) <= 4000),
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id)
);
create unique index framework_version_key on framework (partnership_id, code, version);

create table framework_standard (
    partnership_id       integer not null,
    framework_id         integer not null,
    id                   integer generated always as identity,
    position             smallint not null check (position between 1 and 100),
    code                 text not null check (code ~ '^[A-Za-z0-9.-]{1,12}$'),
    title                text not null check (length(title) between 3 and 300),
    what_good_looks_like text not null check (length(what_good_looks_like) between 3 and 4000),
    evidence_expected    text not null default '' check (length(evidence_expected) <= 4000),
    primary key (partnership_id, id),
    unique (partnership_id, framework_id, id),
    unique (partnership_id, framework_id, position),
    foreign key (partnership_id, framework_id) references framework (partnership_id, id)
);
create unique index framework_standard_code_key on framework_standard (partnership_id, framework_id, code);

create table assessment_cycle (
    partnership_id integer not null,
    id             integer generated always as identity,
    framework_id   integer not null,
    name           text not null check (length(name) between 3 and 120),
    opens_on       date not null,
    deadline       date not null,
    closed_at      timestamptz,
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    unique (partnership_id, id, framework_id),
    foreign key (partnership_id, framework_id) references framework (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check (deadline >= opens_on)
);
create unique index assessment_cycle_name_key on assessment_cycle (partnership_id, lower(name));
create index assessment_cycle_framework_ix on assessment_cycle (partnership_id, framework_id, opens_on);

-- The agencies in a cycle's scope; only they submit.
create table cycle_agency (
    partnership_id integer not null,
    cycle_id       integer not null,
    agency_id      integer not null,
    primary key (partnership_id, cycle_id, agency_id),
    foreign key (partnership_id, cycle_id) references assessment_cycle (partnership_id, id) on delete cascade,
    foreign key (partnership_id, agency_id) references agency (partnership_id, id)
);
create index cycle_agency_agency_ix on cycle_agency (partnership_id, agency_id);

-- An agency's submission, versioned. At most one draft (saved as typed, counts for nothing) and at most one submitted
-- version (the current one) per agency and cycle; submitting again supersedes the previous submitted version.
-- A submitted version carries the lead's sign-off (name, role, date).
create table self_assessment (
    partnership_id integer not null,
    id             bigint generated always as identity,
    cycle_id       integer not null,
    framework_id   integer not null,
    agency_id      integer not null,
    version        integer not null check (version >= 1),
    status         text not null check (status in ('draft', 'submitted', 'superseded')),
    source         text not null default 'screen' check (source in ('screen', 'upload', 'demo')),
    sign_off_name  text check (length(sign_off_name) between 2 and 120),
    sign_off_role  text check (length(sign_off_role) between 2 and 120),
    signed_off_on  date,
    updated_by     integer,
    updated_at     timestamptz not null default now(),
    submitted_by   integer,
    submitted_at   timestamptz,
    primary key (partnership_id, id),
    unique (partnership_id, id, framework_id),
    foreign key (partnership_id, cycle_id, framework_id) references assessment_cycle (partnership_id, id, framework_id),
    foreign key (partnership_id, cycle_id, agency_id) references cycle_agency (partnership_id, cycle_id, agency_id),
    foreign key (partnership_id, updated_by) references app_user (partnership_id, id),
    foreign key (partnership_id, submitted_by) references app_user (partnership_id, id),
    check (status = 'draft' or (sign_off_name is not null and sign_off_role is not null and signed_off_on is not null and submitted_at is not null))
);
create unique index self_assessment_version_key on self_assessment (partnership_id, cycle_id, agency_id, version);
create unique index self_assessment_draft_key on self_assessment (partnership_id, cycle_id, agency_id) where status = 'draft';
create unique index self_assessment_current_key on self_assessment (partnership_id, cycle_id, agency_id) where status = 'submitted';
create index self_assessment_agency_ix on self_assessment (partnership_id, agency_id, cycle_id);

-- A rating per standard. In a draft the rating may still be empty; a submission needs every standard rated.
create table self_assessment_rating (
    partnership_id integer not null,
    submission_id  bigint not null,
    framework_id   integer not null,
    standard_id    integer not null,
    rating         text check (rating in ('met', 'partly_met', 'not_met')),
    evidence       text not null default '' check (length(evidence) <= 8000),
    actions        text not null default '' check (length(actions) <= 4000),
    primary key (partnership_id, submission_id, standard_id),
    foreign key (partnership_id, submission_id, framework_id) references self_assessment (partnership_id, id, framework_id) on delete cascade,
    foreign key (partnership_id, framework_id, standard_id) references framework_standard (partnership_id, framework_id, id)
);
create index self_assessment_rating_standard_ix on self_assessment_rating (partnership_id, standard_id);

-- Evidence files: bytes in PostgreSQL with their SHA-256; the content type is the one identified from the bytes.
create table evidence_file (
    partnership_id integer not null,
    id             bigint generated always as identity,
    submission_id  bigint not null,
    standard_id    integer,
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
    foreign key (partnership_id, submission_id, standard_id) references self_assessment_rating (partnership_id, submission_id, standard_id) on delete cascade,
    foreign key (partnership_id, submission_id) references self_assessment (partnership_id, id) on delete cascade,
    foreign key (partnership_id, uploaded_by) references app_user (partnership_id, id),
    check (octet_length(bytes) = size_bytes)
);
create index evidence_file_submission_ix on evidence_file (partnership_id, submission_id, standard_id);

-- A QA member's moderation of one standard of a submitted version: agree, or a moderated rating with a reason.
-- The agency sees the challenge and may respond.
create table self_assessment_moderation (
    partnership_id   integer not null,
    submission_id    bigint not null,
    standard_id      integer not null,
    outcome          text not null check (outcome in ('agree', 'moderated')),
    moderated_rating text check (moderated_rating in ('met', 'partly_met', 'not_met')),
    reason           text not null default '' check (length(reason) <= 4000),
    moderated_by     integer,
    moderated_at     timestamptz not null default now(),
    agency_response  text check (length(agency_response) <= 4000),
    responded_by     integer,
    responded_at     timestamptz,
    primary key (partnership_id, submission_id, standard_id),
    foreign key (partnership_id, submission_id, standard_id) references self_assessment_rating (partnership_id, submission_id, standard_id) on delete cascade,
    foreign key (partnership_id, moderated_by) references app_user (partnership_id, id),
    foreign key (partnership_id, responded_by) references app_user (partnership_id, id),
    check ((outcome = 'agree') = (moderated_rating is null)),
    check (outcome = 'agree' or length(btrim(reason)) >= 5),
    check ((agency_response is null) = (responded_at is null))
);
