-- A pack's .docx is a zip and a chart's PNG is deflated already: PostgreSQL's own compression of large values (pglz)
-- only spent time failing to shrink them (about 4 ms of every pack stored). Stored out of line, uncompressed.
alter table meeting_pack alter column docx set storage external;
alter table pack_chart alter column png set storage external;
