-- Sign-in hardening (issue 9 §3.3 and §3.5).

-- Lockout per account AND source (the client address the request came from, after trusted proxies): wrong passwords
-- from one address lock that address out of that account, so someone who knows an administrator's e-mail address
-- cannot keep the administrator locked out from their own machine. Each lock of the same account and source is longer
-- than the last (lock_count), up to a ceiling; a quiet day forgets the history. Admins can clear every lock of an account.
create table sign_in_lockout (
    partnership_id  integer not null,
    user_id         integer not null,
    source          text not null check (length(source) between 1 and 64),
    failed_sign_ins integer not null default 0,
    lock_count      integer not null default 0,
    locked_until    timestamptz,
    last_failed_at  timestamptz not null,
    primary key (partnership_id, user_id, source),
    foreign key (partnership_id, user_id) references app_user (partnership_id, id)
);

comment on column app_user.failed_sign_ins is 'Unused since 0011: failures are counted per source in sign_in_lockout.';
comment on column app_user.locked_until is 'Unused since 0011: locks are per source in sign_in_lockout.';

-- From now on Data Protection keys are written encrypted with a certificate (ProtectKeysWithCertificate). Keys written
-- before were plain XML: remove them so that no usable key is left readable in the database. Everyone signs in again once.
delete from data_protection_key where xml like '%<masterKey%';
