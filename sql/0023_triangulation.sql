-- Triangulation (issue 12 §2): lines of enquiry (themes) tied to a priority, the evidence each links to, per-theme rules,
-- and the assurance judgements recorded at meetings (the verdict history).

create table triangulation_theme (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    title          text not null check (length(title) between 3 and 200),
    description    text not null default '' check (length(description) <= 2000),
    priority_id    integer not null,
    -- The theme's own settings of the lens rules (Triangulation/LensRules); missing keys take the defaults.
    rules          jsonb not null default '{}',
    sort_order     integer not null default 0,
    active         boolean not null default true,
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, priority_id) references priority (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id)
);
create unique index triangulation_theme_title_key on triangulation_theme (partnership_id, lower(title));

-- One piece of evidence a theme links to: a scorecard measure, an audit question, a single-agency audit topic, a
-- self-assessment standard, or a voice question (its lens follows the activity's respondents).
create table triangulation_link (
    partnership_id    integer not null,
    theme_id          integer not null,
    id                integer generated always as identity,
    kind              text not null check (kind in ('measure', 'audit_question', 'summary_topic', 'standard', 'voice_question')),
    measure_id        integer,
    audit_question_id integer,
    summary_topic     text check (length(summary_topic) between 3 and 200),
    standard_id       integer,
    voice_question_id integer,
    primary key (partnership_id, id),
    foreign key (partnership_id, theme_id) references triangulation_theme (partnership_id, id) on delete cascade,
    foreign key (partnership_id, measure_id) references measure (partnership_id, id),
    foreign key (partnership_id, audit_question_id) references audit_question (partnership_id, id),
    foreign key (partnership_id, standard_id) references framework_standard (partnership_id, id),
    foreign key (partnership_id, voice_question_id) references voice_question (partnership_id, id) on delete cascade,
    check (num_nonnulls(measure_id, audit_question_id, summary_topic, standard_id, voice_question_id) = 1),
    check ((kind = 'measure') = (measure_id is not null)),
    check ((kind = 'audit_question') = (audit_question_id is not null)),
    check ((kind = 'summary_topic') = (summary_topic is not null)),
    check ((kind = 'standard') = (standard_id is not null)),
    check ((kind = 'voice_question') = (voice_question_id is not null))
);
create index triangulation_link_theme_ix on triangulation_link (partnership_id, theme_id);
create unique index triangulation_link_key on triangulation_link
    (partnership_id, theme_id, kind, coalesce(measure_id, audit_question_id, standard_id, voice_question_id, 0), coalesce(summary_topic, ''));

-- A QA member's assurance judgement on a theme at a meeting: the verdict computed then (kept, whatever the evidence does
-- later), an optional overriding verdict with its rationale, and the lens judgements it rested on.
create table triangulation_judgement (
    partnership_id   integer not null,
    theme_id         integer not null,
    id               integer generated always as identity,
    meeting_date     date not null,
    computed_verdict text not null check (computed_verdict in ('corroborated', 'contested', 'emerging', 'insufficient_evidence')),
    computed_side    text not null check (computed_side in ('none', 'positive', 'negative')),
    override_verdict text check (override_verdict in ('corroborated', 'contested', 'emerging', 'insufficient_evidence')),
    override_side    text check (override_side in ('none', 'positive', 'negative')),
    rationale        text not null default '' check (length(rationale) <= 4000),
    lenses           jsonb not null,
    recorded_by      integer,
    recorded_at      timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, theme_id) references triangulation_theme (partnership_id, id) on delete cascade,
    foreign key (partnership_id, recorded_by) references app_user (partnership_id, id),
    check ((override_verdict is null) = (override_side is null)),
    check (override_verdict is null or length(btrim(rationale)) >= 10)
);
create unique index triangulation_judgement_meeting_key on triangulation_judgement (partnership_id, theme_id, meeting_date);
