-- A self-assessment that arrives as a workbook (issue 11 §3, "Excel in") keeps its original file, as a data return does:
-- who sent what is part of the audit trail, and the file can be served back to the agency and the QA subgroup.
alter table self_assessment
    add column file_name   text check (file_name is null or length(file_name) between 1 and 200),
    add column file_bytes  bytea,
    add column file_sha256 bytea check (file_sha256 is null or length(file_sha256) = 32),
    add constraint self_assessment_file_check check ((file_bytes is null) = (file_sha256 is null) and (file_bytes is null) = (file_name is null));
