-- A school's teaching staff, imported like the student roster: the people the notice wants trained ("确保培训全覆盖").
-- Names are personal data of adults: read by the school only (audited); the bureau sees counts.
create table staff_member (
    school_id     varchar(10) not null,
    staff_id      varchar(32) not null,                 -- the school's own staff number (工号)
    name          varchar(64) not null,
    role          varchar(20) not null check (role in ('HEAD_TEACHER', 'PSYCHOLOGY_TEACHER', 'OTHER')),
    district_code varchar(6) not null,
    active        boolean not null default true,        -- false once a later import no longer lists the person
    updated_at    timestamptz not null default now(),
    primary key (school_id, staff_id)
);
create index staff_member_district on staff_member (district_code) where active;

-- Who attended a teacher training (an activity of kind TEACHER_TRAINING); gone with the training or the person.
create table training_attendance (
    activity_id uuid not null references activity (id) on delete cascade,
    school_id   varchar(10) not null,
    staff_id    varchar(32) not null,
    recorded_by varchar(100) not null,
    recorded_at timestamptz not null default now(),
    primary key (activity_id, school_id, staff_id),
    foreign key (school_id, staff_id) references staff_member (school_id, staff_id) on delete cascade
);
create index training_attendance_staff on training_attendance (school_id, staff_id);
