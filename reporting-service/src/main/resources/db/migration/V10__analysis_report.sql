-- The expert group's semester analysis report (三级分析报告) of a city or county: a draft the experts write, then signed
-- versions, each frozen with the figures it was signed on and their SHA-256; a signed version never changes.
create table analysis_report (
    id          uuid primary key,
    area_level  varchar(6) not null check (area_level in ('city', 'county')),
    area_code   varchar(6) not null,
    semester    varchar(12) not null,
    version     int,                                  -- null for the draft; 1, 2, … once signed
    status      varchar(6) not null check (status in ('DRAFT', 'SIGNED')),
    commentary  text not null,
    figures     text,                                 -- the tables as signed, byte for byte (the digest covers them)
    digest      varchar(64),                          -- SHA-256 of the commentary and the figures as signed
    drafted_by  varchar(100) not null,
    drafted_at  timestamptz not null default now(),
    signed_by   varchar(100),
    signer_name varchar(100),
    signed_at   timestamptz,
    unique (area_level, area_code, semester, version)
);
create unique index analysis_report_one_draft on analysis_report (area_level, area_code, semester) where status = 'DRAFT';
