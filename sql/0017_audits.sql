-- Multi-agency case audits and single-agency audit summaries (issue 11 §1–2).
-- As everywhere (design.md, Tenancy): partnership_id leads every primary key, foreign key and index. Child rows carry
-- their audit's id as well, so that composite foreign keys prove a grade's case and question belong to the same audit.

create table audit (
    partnership_id      integer not null references partnership (id),
    id                  integer generated always as identity,
    title               text not null check (length(title) between 3 and 200),
    audit_type          text not null check (audit_type in ('multi_agency_case', 'thematic_deep_dive', 'practitioner_visit')),
    theme               text not null default '' check (length(theme) <= 2000),
    priority_id         integer,
    lead_agency_id      integer not null,
    lead_person         text not null check (length(lead_person) between 2 and 120),
    -- The planned quarter as a financial year and quarter (2024 Q3 = October to December 2024). Not a reporting_period
    -- row: the programme is planned ahead of the quarters the returns pipeline has opened.
    planned_fiscal_year integer not null check (planned_fiscal_year between 2000 and 2100),
    planned_quarter     smallint not null check (planned_quarter between 1 and 4),
    fieldwork_start     date,
    fieldwork_end       date,
    report_date         date,
    status              text not null default 'planned' check (status in ('planned', 'fieldwork', 'moderation', 'reported', 'closed')),
    created_by          integer,
    created_at          timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, priority_id) references priority (partnership_id, id),
    foreign key (partnership_id, lead_agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check (fieldwork_end is null or fieldwork_start is null or fieldwork_end >= fieldwork_start),
    check (report_date is null or fieldwork_start is null or report_date >= fieldwork_start)
);
create index audit_programme_ix on audit (partnership_id, planned_fiscal_year, planned_quarter);

-- The audit's key lines of enquiry, in order.
create table audit_question (
    partnership_id integer not null,
    audit_id       integer not null,
    id             integer generated always as identity,
    position       smallint not null check (position between 1 and 50),
    text           text not null check (length(text) between 5 and 500),
    primary key (partnership_id, id),
    unique (partnership_id, audit_id, id),
    constraint audit_question_position_key unique (partnership_id, audit_id, position) deferrable initially immediate,
    foreign key (partnership_id, audit_id) references audit (partnership_id, id) on delete cascade
);

-- A sampled case, by an anonymised reference only: upper-case letters, digits and hyphens, at least one digit, and
-- nothing shaped like a date. The Data layer gives the clear message; these checks are the last line.
create table audit_case (
    partnership_id integer not null,
    audit_id       integer not null,
    id             integer generated always as identity,
    case_reference text not null check (case_reference ~ '^[A-Z0-9][A-Z0-9-]{2,23}$' and case_reference ~ '[0-9]'
                                        and case_reference !~ '(19|20)[0-9]{2}-?[01][0-9]-?[0-3][0-9]'),
    primary key (partnership_id, id),
    unique (partnership_id, audit_id, id),
    foreign key (partnership_id, audit_id) references audit (partnership_id, id) on delete cascade
);
create unique index audit_case_reference_key on audit_case (partnership_id, audit_id, case_reference);

-- The agencies that worked with a case; only they grade it.
create table audit_case_agency (
    partnership_id integer not null,
    audit_id       integer not null,
    case_id        integer not null,
    agency_id      integer not null,
    primary key (partnership_id, case_id, agency_id),
    foreign key (partnership_id, audit_id, case_id) references audit_case (partnership_id, audit_id, id) on delete cascade,
    foreign key (partnership_id, agency_id) references agency (partnership_id, id)
);
create index audit_case_agency_ix on audit_case_agency (partnership_id, agency_id, audit_id);

-- One agency's grading of one case: overall grade, voice, strengths and areas for development. A draft is saved as it
-- is typed and counts for nothing; once submitted it counts (and must be complete).
create table audit_grading (
    partnership_id        integer not null,
    audit_id              integer not null,
    case_id               integer not null,
    agency_id             integer not null,
    overall_grade         text check (overall_grade in ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    voice_evident         text check (voice_evident in ('yes', 'partly', 'no')),
    strengths             text not null default '' check (length(strengths) <= 4000),
    areas_for_development text not null default '' check (length(areas_for_development) <= 4000),
    status                text not null default 'draft' check (status in ('draft', 'submitted')),
    updated_by            integer,
    updated_at            timestamptz not null default now(),
    submitted_at          timestamptz,
    primary key (partnership_id, case_id, agency_id),
    foreign key (partnership_id, case_id, agency_id) references audit_case_agency (partnership_id, case_id, agency_id) on delete cascade,
    foreign key (partnership_id, audit_id, case_id) references audit_case (partnership_id, audit_id, id) on delete cascade,
    foreign key (partnership_id, updated_by) references app_user (partnership_id, id),
    check (status = 'draft' or (overall_grade is not null and voice_evident is not null and submitted_at is not null))
);
create index audit_grading_audit_ix on audit_grading (partnership_id, audit_id, agency_id);

-- The agency's grade for each question of the case.
create table audit_question_grade (
    partnership_id integer not null,
    audit_id       integer not null,
    case_id        integer not null,
    agency_id      integer not null,
    question_id    integer not null,
    grade          text not null check (grade in ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    primary key (partnership_id, case_id, agency_id, question_id),
    foreign key (partnership_id, case_id, agency_id) references audit_grading (partnership_id, case_id, agency_id) on delete cascade,
    foreign key (partnership_id, audit_id, question_id) references audit_question (partnership_id, audit_id, id) on delete cascade
);
create index audit_question_grade_ix on audit_question_grade (partnership_id, audit_id, question_id);

-- The auditors' panel's moderated view of a case: one overall grade and one voice answer. Agreement statistics compare
-- each agency's submitted overall grade with this. (Per-question moderation was judged not needed: the panel moderates
-- the case as a whole, and kappa per question would rest on too few pairs to mean anything.)
create table audit_moderation (
    partnership_id integer not null,
    audit_id       integer not null,
    case_id        integer not null,
    grade          text not null check (grade in ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    voice_evident  text not null check (voice_evident in ('yes', 'partly', 'no')),
    note           text not null default '' check (length(note) <= 4000),
    moderated_by   integer,
    moderated_at   timestamptz not null default now(),
    primary key (partnership_id, case_id),
    foreign key (partnership_id, audit_id, case_id) references audit_case (partnership_id, audit_id, id) on delete cascade,
    foreign key (partnership_id, moderated_by) references app_user (partnership_id, id)
);
create index audit_moderation_audit_ix on audit_moderation (partnership_id, audit_id);

-- Findings have stable ids (the identity, never reused): action plans hang on them. A finding is withdrawn, never deleted.
create table audit_finding (
    partnership_id integer not null,
    audit_id       integer not null,
    id             integer generated always as identity,
    finding_type   text not null check (finding_type in ('strength', 'area_for_development', 'recommendation')),
    statement      text not null check (length(statement) between 5 and 2000),
    position       smallint not null check (position between 1 and 100),
    created_by     integer,
    created_at     timestamptz not null default now(),
    withdrawn_at   timestamptz,
    primary key (partnership_id, id),
    unique (partnership_id, audit_id, id),
    foreign key (partnership_id, audit_id) references audit (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id)
);
create index audit_finding_audit_ix on audit_finding (partnership_id, audit_id, position);

create table audit_finding_agency (
    partnership_id integer not null,
    finding_id     integer not null,
    agency_id      integer not null,
    primary key (partnership_id, finding_id, agency_id),
    foreign key (partnership_id, finding_id) references audit_finding (partnership_id, id) on delete cascade,
    foreign key (partnership_id, agency_id) references agency (partnership_id, id)
);
create index audit_finding_agency_ix on audit_finding_agency (partnership_id, agency_id);

create table audit_finding_question (
    partnership_id integer not null,
    audit_id       integer not null,
    finding_id     integer not null,
    question_id    integer not null,
    primary key (partnership_id, finding_id, question_id),
    foreign key (partnership_id, audit_id, finding_id) references audit_finding (partnership_id, audit_id, id) on delete cascade,
    foreign key (partnership_id, audit_id, question_id) references audit_question (partnership_id, audit_id, id) on delete cascade
);
create index audit_finding_question_ix on audit_finding_question (partnership_id, audit_id, question_id);

-- Single-agency audit summaries: an agency x quarter x version, with its own version chain shaped like data_return
-- (not a data_return row: data_return allows one accepted return per agency and quarter, which is the data return).
-- The returns pipeline writes a version here in the same transaction as it would a data_return: insert the new
-- version as accepted after marking the previous accepted one superseded.
create table audit_summary_return (
    partnership_id   integer not null,
    id               bigint generated always as identity,
    agency_id        integer not null,
    period_id        integer not null,
    version          integer not null check (version >= 1),
    status           text not null check (status in ('accepted', 'superseded', 'rejected')),
    source           text not null default 'upload' check (source in ('upload', 'api', 'screen', 'demo')),
    topic            text not null check (length(topic) between 3 and 200),
    cases_audited    integer not null check (cases_audited between 0 and 10000),
    graded_outstanding          integer not null check (graded_outstanding >= 0),
    graded_good                 integer not null check (graded_good >= 0),
    graded_requires_improvement integer not null check (graded_requires_improvement >= 0),
    graded_inadequate           integer not null check (graded_inadequate >= 0),
    voice_yes        integer not null check (voice_yes >= 0),
    voice_partly     integer not null check (voice_partly >= 0),
    voice_no         integer not null check (voice_no >= 0),
    key_findings     text[] not null default '{}' check (cardinality(key_findings) <= 5),
    submitted_by     integer,
    submitted_at     timestamptz not null default now(),
    file_name        text,
    file_bytes       bytea,
    file_sha256      bytea check (file_sha256 is null or length(file_sha256) = 32),
    rejected_reason  text,
    primary key (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, period_id) references reporting_period (partnership_id, id),
    foreign key (partnership_id, submitted_by) references app_user (partnership_id, id),
    check (graded_outstanding + graded_good + graded_requires_improvement + graded_inadequate = cases_audited),
    check (voice_yes + voice_partly + voice_no = cases_audited),
    check ((status = 'rejected') = (rejected_reason is not null))
);
create unique index audit_summary_return_version_key on audit_summary_return (partnership_id, agency_id, period_id, version);
create unique index audit_summary_return_current_key on audit_summary_return (partnership_id, period_id, agency_id) where status = 'accepted';
