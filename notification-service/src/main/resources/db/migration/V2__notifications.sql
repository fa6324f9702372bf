-- Who is told, how, and whether they saw it (issue 27). No student identity anywhere in this database: an alert
-- names an organisation, a count and a deep link; contact details are the staff member's own.

-- Names of schools and hospitals, from the compacted directory topics (a notification says "济宁市第一中学").
create table org_directory (
    org_id        varchar(12) primary key,
    kind          varchar(10) not null check (kind in ('SCHOOL', 'HOSPITAL')),
    name          varchar(100) not null,
    district_code varchar(6) not null,
    updated_at    timestamptz not null
);

-- An organisation's on-call list: schools (S…), hospitals (H…), a bureau (its district code), a hotline (HL + code).
create table on_call_rota (
    org_id          varchar(12) primary key,
    kind            varchar(10) not null check (kind in ('SCHOOL', 'HOSPITAL', 'BUREAU', 'HOTLINE')),
    lead            varchar(100),
    wecom_robot_key varchar(200),
    version         int not null default 0,
    updated_at      timestamptz not null,
    updated_by      varchar(100) not null
);

create table on_call_contact (
    org_id   varchar(12) not null references on_call_rota (org_id) on delete cascade,
    position int not null,
    username varchar(100) not null,
    -- ISO days of week (1 = Monday) and a daily window in China time; to < from spans midnight
    days     varchar(7) not null default '1234567',
    from_time time not null default '00:00',
    to_time   time not null default '00:00',
    primary key (org_id, position)
);
create index on_call_by_user on on_call_contact (username);

-- A person's own contact details and channel order; never on a topic.
create table contact_preference (
    username    varchar(100) primary key,
    email       varchar(200),
    mobile      varchar(20),
    channels    varchar(60) not null default 'EMAIL',
    quiet_from  time,
    quiet_to    time,
    updated_at  timestamptz not null
);

-- One thing that needs a person, raised once per source event.
create table alert (
    id              uuid primary key,
    source_event_id uuid not null,
    kind            varchar(40) not null,
    severity        varchar(10) not null check (severity in ('CRITICAL', 'HIGH', 'NORMAL')),
    org_kind        varchar(10) not null,
    org_id          varchar(12) not null,
    district_code   varchar(6) not null,
    title           varchar(200) not null,
    link            varchar(200) not null,
    subject         varchar(60),
    created_at      timestamptz not null,
    occurred_at     timestamptz not null,
    acked_at        timestamptz,
    acked_by        varchar(100),
    -- the ladder: the step reached and when the next one is due (null: no further step)
    step            int not null default 0,
    next_step_at    timestamptz,
    unique (source_event_id, org_id)
);
create index alert_ladder_due on alert (next_step_at) where acked_at is null and next_step_at is not null;
create index alert_by_org on alert (org_id, created_at desc);

-- One person told about one alert, at one step of the ladder.
create table notification (
    seq          bigserial unique,
    id           uuid primary key,
    alert_id     uuid not null references alert (id),
    step         int not null,
    rung         varchar(12) not null check (rung in ('ON_CALL', 'LEAD', 'BUREAU')),
    recipient    varchar(100) not null,
    created_at   timestamptz not null,
    acked_at     timestamptz,
    unique (alert_id, step, recipient)
);
create index notification_open_by_recipient on notification (recipient, created_at desc) where acked_at is null;

-- Every attempt to reach a person on an outside channel (in-app is the notification row itself).
create table delivery (
    id              uuid primary key,
    notification_id uuid not null references notification (id),
    channel         varchar(10) not null check (channel in ('EMAIL', 'WECOM', 'SMS')),
    attempt         int not null,
    status          varchar(10) not null check (status in ('PENDING', 'SENDING', 'SENT', 'RETRY', 'FAILED', 'UNCERTAIN', 'CANCELLED')),
    due_at          timestamptz not null,
    started_at      timestamptz,
    finished_at     timestamptz,
    code            varchar(80),
    unique (notification_id, channel, attempt)
);
create index delivery_due on delivery (due_at) where status = 'PENDING';
create index delivery_by_notification on delivery (notification_id);
