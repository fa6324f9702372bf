-- Partner hospitals and who sends to whom (ARCHITECTURE §2: school -> partner hospital, with a backup).
create table hospital (
    id            varchar(10) primary key check (id ~ '^H[0-9]{9}$'),
    name          varchar(100) not null,
    district_code varchar(6) not null,
    green_channel_phone varchar(20),
    updated_at    timestamptz not null default now()
);

-- Who sends to whom: a county's default partner (code = county code) or a school's own (code = school id,
-- which overrides its county's). One table: the two codes never collide.
create table partnership (
    code               varchar(10) primary key check (code ~ '^([1-8][0-9]{5}|S[0-9]{9})$'),
    scope              varchar(6) not null check (scope in ('county', 'school')),
    hospital_id        varchar(10) not null references hospital (id),
    backup_hospital_id varchar(10) references hospital (id),
    updated_by         varchar(64) not null,
    updated_at         timestamptz not null default now(),
    check (backup_hospital_id is null or backup_hospital_id <> hospital_id),
    check ((scope = 'school') = (code like 'S%'))
);
