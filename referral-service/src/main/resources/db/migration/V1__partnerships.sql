-- Partner hospitals and who sends to whom (ARCHITECTURE §2: school -> partner hospital, with a backup).
create table hospital (
    id            varchar(10) primary key check (id ~ '^H[0-9]{9}$'),
    name          varchar(100) not null,
    district_code varchar(6) not null,
    green_channel_phone varchar(20),
    updated_at    timestamptz not null default now()
);

-- A county's default partner; a school-specific partnership overrides it.
create table county_partnership (
    district_code      varchar(6) primary key check (district_code ~ '^[1-8][0-9]{5}$'),
    hospital_id        varchar(10) not null references hospital (id),
    backup_hospital_id varchar(10) references hospital (id),
    updated_by         varchar(64) not null,
    updated_at         timestamptz not null default now(),
    check (backup_hospital_id is null or backup_hospital_id <> hospital_id)
);

create table school_partnership (
    school_id          varchar(10) primary key check (school_id ~ '^S[0-9]{9}$'),
    hospital_id        varchar(10) not null references hospital (id),
    backup_hospital_id varchar(10) references hospital (id),
    updated_by         varchar(64) not null,
    updated_at         timestamptz not null default now(),
    check (backup_hospital_id is null or backup_hospital_id <> hospital_id)
);
