create table campaign (
    id            uuid primary key,
    name          varchar(100) not null,
    owner_area    varchar(6)  not null,            -- county/city code whose staff created it (or the school's county)
    instruments   varchar(10)[] not null,
    grades        int[]  not null,
    opens_at      timestamptz not null,
    closes_at     timestamptz not null check (closes_at > opens_at),
    created_by    varchar(64) not null,
    created_at    timestamptz not null default now()
);

create table campaign_school (
    campaign_id uuid not null references campaign (id),
    school_id   varchar(10) not null references school (id),
    primary key (campaign_id, school_id)
);
create index campaign_school_school on campaign_school (school_id);

-- One code per enrolled student per campaign. Login reads it; it is never written at login.
create table access_code (
    code        varchar(10) primary key,
    campaign_id uuid not null references campaign (id),
    student_id  uuid not null references student (id),
    created_at  timestamptz not null default now(),
    unique (campaign_id, student_id)
);
