-- Schools and their rosters. Identity lives here and only here (plus the hospital topic).
create table school (
    id            varchar(10) primary key check (id ~ '^S[0-9]{9}$'),
    name          varchar(100) not null,
    district_code varchar(6)  not null check (district_code ~ '^[1-8][0-9]{5}$'),
    city_code     varchar(6)  not null,
    stage         varchar(10) not null check (stage in ('PRIMARY', 'JUNIOR', 'SENIOR', 'COMPLETE')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create index school_district on school (district_code);

create table student (
    id             uuid primary key,
    school_id      varchar(10) not null references school (id),
    student_number varchar(32) not null,
    student_key    varchar(43) not null,
    name           varchar(50) not null,
    sex            varchar(7)  not null check (sex in ('MALE', 'FEMALE', 'UNKNOWN')),
    birth_date     date,
    grade          smallint    not null check (grade between 1 and 12),
    class_name     varchar(20) not null,
    guardian_name  varchar(50),
    guardian_phone varchar(20),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (school_id, student_number)
);
create unique index student_key_unique on student (student_key);
create index student_school_grade_class on student (school_id, grade, class_name);

create table roster_import (
    id             uuid primary key,
    school_id      varchar(10) not null references school (id),
    file_format    varchar(5)  not null,
    status         varchar(10) not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total_rows     int not null default 0,
    processed_rows int not null default 0,
    created_rows   int not null default 0,
    updated_rows   int not null default 0,
    error_rows     int not null default 0,
    errors         jsonb not null default '[]',
    content        bytea,           -- the uploaded file, dropped once processed
    requested_by   varchar(64) not null,
    created_at     timestamptz not null default now(),
    finished_at    timestamptz
);
