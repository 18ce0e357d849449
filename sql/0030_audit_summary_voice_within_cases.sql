-- Issue 11 §2: a single-agency audit summary's child's-voice answers need not cover every case audited (an auditor may
-- not have recorded the question for some cases), so their sum is at most the cases audited rather than equal to it.
-- The original check was unnamed; find it by its definition rather than guess the generated name.
do $$
declare
    existing text;
begin
    select conname into existing
    from pg_constraint
    where conrelid = 'audit_summary_return'::regclass and contype = 'c'
      and pg_get_constraintdef(oid) like '%voice_yes + voice_partly) + voice_no) = cases_audited%';
    if existing is not null then
        execute format('alter table audit_summary_return drop constraint %I', existing);
    end if;
end
$$;

alter table audit_summary_return
    add constraint audit_summary_return_voice_within_cases check (voice_yes + voice_partly + voice_no <= cases_audited);
