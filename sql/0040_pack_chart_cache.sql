-- Charts drawn for meeting packs, kept by the SHA-256 of what they were drawn from (the renderer's version and the
-- chart's model as JSON): a pack generated again (after the meeting minutes its decisions) or a later meeting's pack
-- showing the same measure over the same quarters reuses the PNG instead of drawing it again. The drawing is
-- deterministic, so a reused PNG is byte for byte the one that would be drawn; the stored packs never depend on this
-- table (each keeps its own .docx and model). Rows are only added; a change to the drawing changes the version in the key.
create table pack_chart (
    partnership_id integer not null references partnership (id),
    input_sha256   bytea not null check (length(input_sha256) = 32),
    png            bytea not null check (length(png) > 0),
    created_at     timestamptz not null default now(),
    primary key (partnership_id, input_sha256)
);
