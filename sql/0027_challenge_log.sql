-- The challenge log (issue 13 §3): a question the QA subgroup puts to an agency about a measure, a finding, a
-- self-assessment standard, a voice result or a theme; the agency's responses, the subgroup's view of each, and the
-- Pan-Cheshire Escalation Policy's stages as recorded steps. Nothing is deleted: a challenge closes with a reason.

create table challenge (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    question       text not null check (length(question) between 5 and 2000),
    subject_kind   text not null check (subject_kind in ('measure', 'audit_finding', 'self_assessment_standard',
                       'learning_review_recommendation', 'risk', 'challenge', 'voice_message', 'triangulation_theme')),
    subject_key    text not null check (length(subject_key) between 1 and 100),
    to_agency_id   integer not null,
    raised_by      integer,
    raised_by_name text not null,
    raised_on      date not null,
    -- The meeting it was raised at: a date until meetings (issue 13 §4) have rows of their own.
    meeting_date   date,
    due_date       date not null,
    status         text not null default 'awaiting_response' check (status in ('awaiting_response', 'responded', 'further_information', 'escalated', 'closed')),
    view           text check (view in ('satisfactory', 'further_information', 'escalate')),
    closed_at      timestamptz,
    close_reason   text check (length(close_reason) <= 2000),
    updated_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, to_agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, raised_by) references app_user (partnership_id, id),
    check (due_date >= raised_on),
    check ((status = 'closed') = (closed_at is not null and close_reason is not null))
);
create index challenge_subject_ix on challenge (partnership_id, subject_kind, subject_key);
create index challenge_agency_ix on challenge (partnership_id, to_agency_id, status);
create index challenge_due_ix on challenge (partnership_id, status, due_date);

-- The exchange, in order: the agency's responses and the subgroup's view of each.
create table challenge_entry (
    partnership_id integer not null,
    challenge_id   integer not null,
    id             integer generated always as identity,
    kind           text not null check (kind in ('response', 'view')),
    view           text check (view in ('satisfactory', 'further_information', 'escalate')),
    text           text not null check (length(text) <= 4000),
    written_by     integer,
    written_by_name text not null,
    written_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, challenge_id) references challenge (partnership_id, id),
    foreign key (partnership_id, written_by) references app_user (partnership_id, id),
    check ((kind = 'view') = (view is not null)),
    check (kind = 'view' or length(btrim(text)) >= 5)
);
create index challenge_entry_challenge_ix on challenge_entry (partnership_id, challenge_id, id);

-- A step of the Pan-Cheshire Escalation Policy: the stage reached, escalated to whom, when.
create table challenge_escalation (
    partnership_id integer not null,
    challenge_id   integer not null,
    id             integer generated always as identity,
    stage          text not null check (stage in ('agency_to_agency', 'full_partnership', 'statutory_partners', 'leaders_and_chiefs')),
    escalated_to   text not null check (length(escalated_to) between 2 and 200),
    escalated_on   date not null,
    note           text not null default '' check (length(note) <= 4000),
    recorded_by    integer,
    recorded_by_name text not null,
    recorded_at    timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, challenge_id) references challenge (partnership_id, id),
    foreign key (partnership_id, recorded_by) references app_user (partnership_id, id)
);
create index challenge_escalation_challenge_ix on challenge_escalation (partnership_id, challenge_id, id);
