-- A meeting's new challenge or new action is a real row of the challenge log or of action plans (issue 13 §3, §1),
-- created in the same transaction as the minute: the record keeps the link, so the minutes and the pack name the
-- challenge or action, and the challenge or action can be traced to the meeting that raised it. Records minuted before
-- this link existed (and the demo's history) keep no link.
alter table meeting_record
    add column challenge_id integer,
    add column action_id integer,
    add foreign key (partnership_id, challenge_id) references challenge (partnership_id, id),
    add foreign key (partnership_id, action_id) references improvement_action (partnership_id, id),
    add check (challenge_id is null or record_kind = 'new_challenge'),
    add check (action_id is null or record_kind = 'new_action');
create unique index meeting_record_challenge_ix on meeting_record (partnership_id, challenge_id) where challenge_id is not null;
create unique index meeting_record_action_ix on meeting_record (partnership_id, action_id) where action_id is not null;
