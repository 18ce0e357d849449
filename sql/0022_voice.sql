-- The voice of children, young people, families and practitioners (issue 12 §1).
-- activity -> questions (wording, answer scale, counts per answer) -> key messages with optional quote and "you said, we did".
-- Waves of a repeated survey share a series key; the same question across waves shares a question key within the series,
-- so a question has a trend. As everywhere (design.md, Tenancy) partnership_id leads every key and index.

create table voice_activity (
    partnership_id   integer not null references partnership (id),
    id               integer generated always as identity,
    title            text not null check (length(title) between 3 and 200),
    method           text not null check (method in ('survey', 'consultation', 'focus_group', 'direct_work', 'youth_forum',
                                                     'audit_conversation', 'practitioner_visit')),
    respondent_group text not null check (respondent_group in ('children_young_people', 'parents_carers', 'practitioners')),
    cohort           text not null check (length(cohort) between 2 and 120),
    -- The agency that ran it, or a forum that is not an agency (the Cheshire Youth Commission, a young carers' group).
    agency_id        integer,
    forum            text not null default '' check (length(forum) <= 200),
    series_key       text check (series_key ~ '^[a-z0-9-]{2,40}$'),
    wave             smallint check (wave between 1 and 100),
    period_start     date not null,
    period_end       date not null,
    respondents      integer not null check (respondents between 0 and 1000000),
    source           text not null default 'screen' check (source in ('screen', 'upload', 'demo')),
    created_by       integer,
    created_at       timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check (agency_id is not null or length(btrim(forum)) >= 2),
    check (period_end >= period_start),
    check ((series_key is null) = (wave is null))
);
create index voice_activity_period_ix on voice_activity (partnership_id, period_end);
create unique index voice_activity_wave_key on voice_activity (partnership_id, series_key, wave) where series_key is not null;

-- One question of an activity: its wording, its answer scale and the number who gave each answer, in the scale's order.
create table voice_question (
    partnership_id integer not null,
    activity_id    integer not null,
    id             integer generated always as identity,
    position       smallint not null check (position between 1 and 200),
    question_key   text not null check (question_key ~ '^[a-z0-9-]{1,40}$'),
    wording        text not null check (length(wording) between 3 and 500),
    scale          text not null check (scale in ('agree_neither_disagree', 'yes_sometimes_no', 'yes_no', 'one_to_five')),
    counts         integer[] not null check (array_position(counts, null) is null and 0 <= all (counts)),
    primary key (partnership_id, id),
    unique (partnership_id, activity_id, id),
    unique (partnership_id, activity_id, position),
    unique (partnership_id, activity_id, question_key),
    foreign key (partnership_id, activity_id) references voice_activity (partnership_id, id) on delete cascade,
    check (cardinality(counts) = case scale when 'one_to_five' then 5 when 'yes_no' then 2 else 3 end)
);
create index voice_question_key_ix on voice_question (partnership_id, question_key);

-- What children (or practitioners) told us, an optional anonymised quote with the consent basis, its review status,
-- and the "you said, we did" response. Quotes are shown outside QA only once approved for sharing.
create table voice_message (
    partnership_id  integer not null,
    activity_id     integer not null,
    id              integer generated always as identity,
    message         text not null check (length(message) between 3 and 1000),
    quote           text check (length(quote) between 3 and 1000),
    consent_basis   text check (consent_basis in ('consent_given', 'parental_consent', 'anonymised_no_consent_needed')),
    review_status   text not null default 'draft' check (review_status in ('draft', 'approved_for_sharing')),
    you_said_we_did text not null default '' check (length(you_said_we_did) <= 2000),
    reviewed_by     integer,
    reviewed_at     timestamptz,
    created_by      integer,
    created_at      timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, activity_id) references voice_activity (partnership_id, id) on delete cascade,
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    foreign key (partnership_id, reviewed_by) references app_user (partnership_id, id),
    check (quote is null or consent_basis is not null)
);
create index voice_message_activity_ix on voice_message (partnership_id, activity_id);
