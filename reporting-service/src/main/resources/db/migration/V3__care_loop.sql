-- The care loop (闭环): referral events say whether the hospital returned a summary and whether the episode began
-- outside the platform (a discharge back to school); screening.casework.v1 says how schools work their cases.
alter table referral_event add column origin varchar(16);
alter table referral_event add column returned boolean not null default false;

-- one row per casework event (the case's level and source as of that event)
create table case_event (
    event_id      uuid primary key,
    case_id       uuid not null,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    kind          varchar(20) not null,
    source        varchar(20) not null,
    risk_level    varchar(8) not null,
    opened        boolean not null,
    occurred_at   timestamptz not null
);
create index case_event_by_case on case_event (case_id);
create index case_event_by_area on case_event (district_code, occurred_at);

-- the steps and follow-ups an event names, one row each: scheduled (done_at null) or recorded (done_at set)
create table case_item (
    event_id       uuid not null,
    seq            smallint not null,
    case_id        uuid not null,
    school_id      varchar(10) not null,
    district_code  varchar(6) not null,
    item           varchar(10) not null check (item in ('STEP', 'FOLLOW_UP')),
    code           varchar(40) not null,      -- the step's code, or the follow-up's id
    by_whom        varchar(8),                -- a follow-up's SCHOOL | HOSPITAL
    due_at         timestamptz not null,      -- a follow-up: the end of its due day (China time)
    critical       boolean,
    done_at        timestamptz,
    outcome        varchar(20),
    exception_code varchar(24),
    primary key (event_id, seq)
);
create index case_item_by_area on case_item (district_code, item, due_at);
create index case_item_by_key on case_item (case_id, item, code);

-- hotline callbacks: when each closed call promised one (hotline.calls.v1) and when it was made (hotline.callbacks.v1)
alter table hotline_call add column callback_due_at timestamptz;
create table hotline_callback (
    call_id       uuid primary key,
    district_code varchar(6),
    school_id     varchar(10),
    due_at        timestamptz not null,
    done_at       timestamptz not null,
    outcome       varchar(12) not null
);
