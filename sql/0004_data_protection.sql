-- ASP.NET Core Data Protection keys, shared by every app instance on this database so that
-- a cookie issued by one instance is accepted by the others. Not business data: no partnership.
create table data_protection_key (
    id            integer generated always as identity primary key,
    friendly_name text not null unique,
    xml           text not null,
    created_at    timestamptz not null default now()
);
