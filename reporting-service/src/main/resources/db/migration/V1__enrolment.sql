-- Read model of directory.schools.v1: no people, only schools and counts.
create table school_dim (
    school_id     varchar(10) primary key,
    name          varchar(100) not null,
    district_code varchar(6) not null,
    city_code     varchar(6) not null,
    total         int not null,
    source_time   timestamptz not null       -- updatedAt of the event applied; older events are ignored
);
create index school_dim_district on school_dim (district_code);

create table enrolment (
    school_id varchar(10) not null references school_dim (school_id),
    grade     smallint not null,
    sex       varchar(7) not null,
    students  int not null,
    primary key (school_id, grade, sex)
);
