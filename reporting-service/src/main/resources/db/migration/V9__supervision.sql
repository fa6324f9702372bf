-- The supervision group's inspections of schools ("督导组定期实地查看…发现存在问题并及时反馈整改") and the rectification
-- items they raise: each finding is an item with a deadline; the school answers, the bureau closes or reopens it.
create table inspection (
    id            uuid primary key,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    inspected_on  date not null,
    inspectors    varchar(300) not null,
    summary       varchar(2000),
    recorded_by   varchar(100) not null,
    recorded_at   timestamptz not null default now()
);
create index inspection_school on inspection (school_id, inspected_on);
create index inspection_district on inspection (district_code, inspected_on);

create table rectification_item (
    id            uuid primary key,
    inspection_id uuid not null references inspection (id) on delete cascade,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    code          varchar(24) not null,
    finding       varchar(1000) not null,
    due_on        date not null,
    status        varchar(10) not null check (status in ('OPEN', 'ANSWERED', 'CLOSED')),
    updated_at    timestamptz not null default now()
);
create index rectification_item_school on rectification_item (school_id, status);
create index rectification_item_district on rectification_item (district_code, status, due_on);

-- every step of an item: the school's answers, the bureau's closing and reopening, with their words
create table rectification_step (
    item_id  uuid not null references rectification_item (id) on delete cascade,
    at       timestamptz not null default now(),
    actor    varchar(100) not null,
    action   varchar(10) not null check (action in ('RAISED', 'ANSWERED', 'CLOSED', 'REOPENED')),
    text     varchar(2000),
    due_on   date
);
create index rectification_step_item on rectification_step (item_id, at);
