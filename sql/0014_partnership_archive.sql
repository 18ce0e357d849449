-- Issue 15: a partnership's data exported whole (subject access, audit, or a move to another host) is itself recorded
-- in the change log, with who and when, like every other act on the partnership's data.
alter table change_log drop constraint change_log_action_check;
alter table change_log add constraint change_log_action_check check (action in (
    'create', 'update', 'delete', 'deactivate', 'reactivate', 'password_reset', 'sign_in_locked', 'import', 'reject', 'export'));
