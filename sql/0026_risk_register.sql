-- The risk register (issue 13 §2): risks scored likelihood x impact (1-5 each), reviews with their history, and the
-- escalation to the Executive at a score of 12 or above recorded once per crossing (and the de-escalation below 12).
-- "Maintain a risk register and manage risks under 12, and escalate any risk 12 and above" (arrangements, Subgroups).

create table risk (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    title          text not null check (length(title) between 3 and 200),
    cause          text not null check (length(cause) between 3 and 2000),
    effect         text not null check (length(effect) between 3 and 2000),
    subgroup       text not null check (subgroup in ('quality_assurance', 'learning_and_improvement', 'rapid_review_panel', 'task_and_finish')),
    owner          text not null check (length(owner) between 2 and 120),
    likelihood     smallint not null check (likelihood between 1 and 5),
    impact         smallint not null check (impact between 1 and 5),
    score          smallint generated always as (likelihood * impact) stored,
    controls       text not null default '' check (length(controls) <= 4000),
    target_score   smallint not null check (target_score between 1 and 25),
    review_date    date not null,
    status         text not null default 'open' check (status in ('open', 'closed')),
    -- Whether the risk stands escalated to the Executive now: the latest risk_escalation row's direction.
    escalated      boolean not null default false,
    closed_at      timestamptz,
    close_reason   text check (length(close_reason) <= 2000),
    created_by     integer,
    created_at     timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    check ((status = 'closed') = (closed_at is not null and close_reason is not null))
);
create index risk_status_ix on risk (partnership_id, status, score desc);
create index risk_review_date_ix on risk (partnership_id, review_date) where status = 'open';

-- Every scoring of a risk, the first included: the history drawn as a line.
create table risk_review (
    partnership_id integer not null,
    risk_id        integer not null,
    id             integer generated always as identity,
    reviewed_on    date not null,
    likelihood     smallint not null check (likelihood between 1 and 5),
    impact         smallint not null check (impact between 1 and 5),
    score          smallint generated always as (likelihood * impact) stored,
    note           text not null default '' check (length(note) <= 4000),
    next_review_date date not null,
    reviewed_by    integer,
    reviewed_by_name text not null,
    recorded_at    timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, risk_id) references risk (partnership_id, id),
    foreign key (partnership_id, reviewed_by) references app_user (partnership_id, id)
);
create index risk_review_risk_ix on risk_review (partnership_id, risk_id, reviewed_on, id);

-- One row per crossing of 12: escalated (to 12 or above) or de_escalated (below 12), with the score and date.
create table risk_escalation (
    partnership_id integer not null,
    risk_id        integer not null,
    id             integer generated always as identity,
    direction      text not null check (direction in ('escalated', 'de_escalated')),
    score          smallint not null check (score between 1 and 25),
    occurred_on    date not null,
    review_id      integer,
    recorded_at    timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, risk_id) references risk (partnership_id, id),
    foreign key (partnership_id, review_id) references risk_review (partnership_id, id),
    check ((direction = 'escalated') = (score >= 12))
);
create index risk_escalation_risk_ix on risk_escalation (partnership_id, risk_id, id);
create index risk_escalation_recent_ix on risk_escalation (partnership_id, occurred_on desc);
