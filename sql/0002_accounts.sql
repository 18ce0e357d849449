-- Accounts and the append-only change log.

create table app_user (
    partnership_id        integer not null references partnership (id),
    id                    integer generated always as identity,
    email                 text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    display_name          text not null check (length(display_name) between 2 and 120),
    role                  text not null check (role in ('admin', 'qa_member', 'executive', 'agency_user')),
    agency_id             integer,
    password_hash         text,
    external_subject      text,
    active                boolean not null default true,
    failed_sign_ins       integer not null default 0,
    locked_until          timestamptz,
    security_stamp        uuid not null default gen_random_uuid(),
    last_signed_in_at     timestamptz,
    created_at            timestamptz not null default now(),
    primary key (partnership_id, id),
    foreign key (partnership_id, agency_id) references agency (partnership_id, id),
    -- An agency user belongs to exactly one agency; other roles to none.
    check ((role = 'agency_user') = (agency_id is not null))
);
-- Sign-in is by e-mail address, so an address is unique across the deployment.
create unique index app_user_email_key on app_user (lower(email));
create unique index app_user_external_key on app_user (external_subject) where external_subject is not null;
create index app_user_agency_ix on app_user (partnership_id, agency_id);

create table change_log (
    partnership_id integer not null references partnership (id),
    id             bigint generated always as identity,
    changed_at     timestamptz not null default clock_timestamp(),
    user_id        integer,
    user_name      text not null,
    entity         text not null,
    entity_id      text not null,
    action         text not null check (action in ('create', 'update', 'delete', 'deactivate', 'reactivate', 'password_reset', 'sign_in_locked', 'import', 'reject')),
    summary        text not null default '',
    before         jsonb,
    after          jsonb,
    primary key (partnership_id, id)
);
create index change_log_entity_ix on change_log (partnership_id, entity, entity_id, changed_at desc);
create index change_log_time_ix on change_log (partnership_id, changed_at desc);

-- The log is append-only: nobody, not even the application, may change or remove a row.
create function change_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'change_log is append-only: % is not allowed', tg_op using errcode = '42501';
end $$;
create trigger change_log_no_update before update or delete on change_log
    for each row execute function change_log_is_append_only();
create trigger change_log_no_truncate before truncate on change_log
    for each statement execute function change_log_is_append_only();
