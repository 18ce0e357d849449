-- app_user.failed_sign_ins and app_user.locked_until have been unused since 0011 moved lockout to sign_in_lockout (per
-- account and source). Nothing reads or writes them; dropped so the schema says only what is true.
alter table app_user drop column failed_sign_ins, drop column locked_until;
