-- Instrument definitions as versions: the built-in ones are published at start; a platform admin uploads a new
-- instrument or version (a draft, validated), previews it and publishes it. A published version never changes.
create table instrument_version (
    instrument_id varchar(10) not null,
    version       varchar(16) not null,
    definition    text not null,                 -- the JSON as validated
    status        varchar(10) not null check (status in ('DRAFT', 'PUBLISHED')),
    uploaded_by   varchar(100) not null,
    uploaded_at   timestamptz not null default now(),
    published_by  varchar(100),
    published_at  timestamptz,
    primary key (instrument_id, version)
);

-- each campaign pins the version of each of its instruments (same order as instruments); an open campaign keeps
-- the versions it started with when a new one is published
alter table campaign add column instrument_versions varchar(16)[];
update campaign set instrument_versions = (select array_agg(case x when 'ASQ' then '1.1' else '1.0' end order by o)
                                           from unnest(instruments) with ordinality as t(x, o));
alter table campaign alter column instrument_versions set not null;
