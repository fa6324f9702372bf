-- The 24-hour hotline (issue 5): shifts, call records, emergency escalations. Phone numbers are never stored:
-- only a keyed hash (caller_key) that links repeat callers.

create table shift (
    id          uuid primary key,
    hotline     varchar(6) not null,               -- the hotline's area (district code of its staff)
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    created_by  varchar(64) not null,
    created_at  timestamptz not null,
    check (ends_at > starts_at),
    check (ends_at - starts_at <= interval '24 hours')
);
create index shift_by_time on shift (hotline, starts_at, ends_at);

create table shift_member (
    shift_id     uuid not null references shift (id),
    subject      varchar(64) not null,             -- the staff member's token subject
    display_name varchar(40) not null,
    role         varchar(10) not null check (role in ('OPERATOR', 'SUPERVISOR')),
    primary key (shift_id, subject)
);
create index shift_member_by_subject on shift_member (subject);

create table handover_note (
    id          uuid primary key,
    shift_id    uuid not null references shift (id),
    author      varchar(64) not null,
    note        text not null,
    created_at  timestamptz not null
);
create index handover_note_by_shift on handover_note (shift_id, created_at);

create table call_record (
    id              uuid primary key,
    hotline         varchar(6) not null,
    operator        varchar(64) not null,
    status          varchar(6) not null check (status in ('OPEN', 'CLOSED')),
    started_at      timestamptz not null,
    ended_at        timestamptz,
    duration_seconds integer,
    channel         varchar(11) not null check (channel in ('PHONE', 'WECHAT', 'ONLINE_CHAT')),
    caller_type     varchar(7) check (caller_type in ('STUDENT', 'PARENT', 'TEACHER', 'OTHER')),
    caller_key      varchar(43),                    -- HMAC of the phone number, never the number
    identified      boolean not null default false,
    school_id       varchar(10) check (school_id ~ '^S[0-9]{9}$'),
    student_number  varchar(20),
    district_code   varchar(6),
    age_band        varchar(8) check (age_band in ('UNDER_10', '10_12', '13_15', '16_18', 'ADULT', 'UNKNOWN')),
    sex             varchar(7) check (sex in ('MALE', 'FEMALE', 'UNKNOWN')),
    categories      varchar(82)[] not null default '{}',
    risk_answers    jsonb,
    risk_computed   varchar(8),
    risk_level      varchar(8) check (risk_level in ('NONE', 'LOW', 'MODERATE', 'HIGH', 'CRITICAL')),
    actions         varchar(20)[] not null default '{}',
    notes           text,
    follow_up_at    timestamptz,
    referral_request_id uuid,
    version         integer not null default 0,
    updated_at      timestamptz not null,
    check ((status = 'CLOSED') = (ended_at is not null))
);
create index call_by_hotline on call_record (hotline, status, started_at desc);
create index call_by_caller on call_record (caller_key, started_at desc) where caller_key is not null;

-- CRITICAL without an identified student: someone is at risk and we cannot send them to a hospital by name;
-- a supervisor must close it with what was done.
create table emergency_escalation (
    id          uuid primary key,
    call_id     uuid not null unique references call_record (id),
    hotline     varchar(6) not null,
    risk_level  varchar(8) not null,
    opened_at   timestamptz not null,
    closed_at   timestamptz,
    closed_by   varchar(64),
    resolution  varchar(20) check (resolution in ('EMERGENCY_SERVICES', 'CALLER_SAFE', 'IDENTIFIED_AND_REFERRED', 'LOST_CONTACT', 'OTHER')),
    note        text,
    check ((closed_at is null) = (resolution is null))
);
create index escalation_open on emergency_escalation (hotline, opened_at) where closed_at is null;
