-- Return uploads: per-agency API tokens for systems that send returns automatically, and the token that sent a version.

-- A token is shown once when issued; only its SHA-256 is kept (tokens are 256-bit random, so a plain hash is enough).
create table api_token (
    partnership_id integer not null references partnership (id),
    id             integer generated always as identity,
    agency_id      integer not null,
    name           text not null check (length(name) between 2 and 100),
    token_hash     bytea not null check (length(token_hash) = 32),
    token_prefix   text not null,
    created_by     integer not null,
    created_at     timestamptz not null default now(),
    last_used_at   timestamptz,
    revoked_by     integer,
    revoked_at     timestamptz,
    primary key (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id),
    foreign key (partnership_id, created_by) references app_user (partnership_id, id),
    foreign key (partnership_id, revoked_by) references app_user (partnership_id, id),
    check ((revoked_at is null) = (revoked_by is null))
);
-- A request carries only the token, so it is found by its hash before the partnership is known.
create unique index api_token_hash_key on api_token (token_hash);
create index api_token_agency_ix on api_token (partnership_id, agency_id);

-- A version sent through the API records the token instead of a user.
alter table data_return add column api_token_id integer;
alter table data_return add foreign key (partnership_id, api_token_id) references api_token (partnership_id, id);
