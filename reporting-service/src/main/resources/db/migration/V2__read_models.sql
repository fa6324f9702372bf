-- Read models built only from events. No names, numbers or phone hashes: a student appears only as
-- student_hash = the first 16 bytes of SHA-256 over the event's pseudonymous studentKey, kept so a
-- student screened with two instruments counts once and "the highest risk in a campaign wins".

-- screening.results.v1: one row per scored questionnaire; result_id makes every aggregate idempotent
create table screening_result (
    result_id     uuid primary key,
    campaign_id   uuid not null,
    student_hash  bytea not null,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    grade         smallint not null,
    sex           varchar(7) not null,
    instrument_id varchar(10) not null,
    band          varchar(30) not null,
    risk_rank     smallint not null,          -- 0 NONE .. 4 CRITICAL
    critical_item boolean not null,
    mode          varchar(6) not null,
    submitted_at  timestamptz not null,
    supersedes    uuid,                       -- a counsellor's conflict review made this result count instead of that one
    superseded    boolean not null default false
);
create index screening_result_student on screening_result (campaign_id, student_hash);

-- one row per student and campaign: their highest risk across instruments
create table screened_student (
    campaign_id   uuid not null,
    student_hash  bytea not null,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    grade         smallint not null,
    sex           varchar(7) not null,
    risk_rank     smallint not null,
    primary key (campaign_id, student_hash)
);

-- results by instrument band and mode (online / paper), per school cell
create table result_agg (
    campaign_id   uuid not null,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    grade         smallint not null,
    sex           varchar(7) not null,
    instrument_id varchar(10) not null,
    band          varchar(30) not null,
    mode          varchar(6) not null,
    results       int not null,
    primary key (campaign_id, school_id, grade, sex, instrument_id, band, mode)
);
create index result_agg_district on result_agg (campaign_id, district_code);

-- students by their campaign risk, per school cell (coverage numerator and risk distribution)
create table student_agg (
    campaign_id   uuid not null,
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    grade         smallint not null,
    sex           varchar(7) not null,
    risk_rank     smallint not null,
    students      int not null,
    primary key (campaign_id, school_id, grade, sex, risk_rank)
);
create index student_agg_district on student_agg (campaign_id, district_code);

-- referral.status.v1: every event (ce_id), and one derived row per referral
create table referral_event (
    event_id        uuid primary key,
    referral_id     uuid not null,
    school_id       varchar(10) not null,
    district_code   varchar(6) not null,
    hospital_id     varchar(10),
    risk_level      varchar(8) not null,
    status          varchar(12) not null,
    business_status varchar(12) not null,
    escalation      varchar(16),
    requested_at    timestamptz not null,
    occurred_at     timestamptz not null
);
create index referral_event_referral on referral_event (referral_id);

create table referral_fact (
    referral_id          uuid primary key,
    school_id            varchar(10) not null,
    district_code        varchar(6) not null,
    hospital_id          varchar(10),           -- the hospital it is with now
    accepted_hospital_id varchar(10),           -- the hospital that accepted it (timeliness is theirs)
    risk_level           varchar(8) not null,   -- the highest it reached
    status               varchar(12) not null,
    business_status      varchar(12) not null,
    requested_at         timestamptz not null,
    accepted_at          timestamptz,
    first_visit_at       timestamptz,           -- the first "seen" (completed) transition
    declines             int not null,
    no_shows             int not null,
    escalations          int not null,
    bureau_alerts        int not null,
    last_event_at        timestamptz not null
);
create index referral_fact_requested on referral_fact (requested_at);
create index referral_fact_district on referral_fact (district_code, requested_at);

-- hotline.calls.v1: one row per closed call (already de-identified at the source)
create table hotline_call (
    call_id          uuid primary key,
    started_at       timestamptz not null,
    ended_at         timestamptz not null,
    duration_seconds int not null,
    channel          varchar(12) not null,
    caller_type      varchar(8) not null,
    age_band         varchar(8),
    sex              varchar(7),
    district_code    varchar(6),
    school_id        varchar(10),
    categories       text[] not null,
    risk_level       varchar(8) not null,
    actions          text[] not null,
    repeat_caller    boolean not null,
    escalated        boolean not null
);
create index hotline_call_started on hotline_call (started_at);

-- mandated activities: recorded here by schools and the bureau (source of truth, not a read model)
create table activity (
    id            uuid primary key,
    kind          varchar(20) not null check (kind in ('LECTURE', 'GROUP_COUNSELLING', 'TEACHER_TRAINING')),
    school_id     varchar(10),                 -- null for a bureau-organised teacher training
    district_code varchar(6) not null,
    held_on       date not null,
    title         varchar(200) not null,
    participants  int not null check (participants >= 0),
    recorded_by   varchar(100) not null,
    recorded_at   timestamptz not null default now()
);
create index activity_school on activity (school_id, held_on);
create index activity_district on activity (district_code, held_on);

-- progress and outcome of rebuilds by replay
create table rebuild_run (
    id           uuid primary key,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    state        varchar(10) not null,
    events_total bigint not null default 0,
    events_read  bigint not null default 0,
    rejected     bigint not null default 0,
    differences  jsonb,
    requested_by varchar(100) not null,
    error        varchar(300)
);

-- directory.campaigns.v1 (compacted): which schools and grades a campaign covers (coverage denominators)
create table campaign_dim (
    campaign_id uuid primary key,
    name        varchar(200) not null,
    owner_area  varchar(6) not null,
    instruments text[] not null,
    grades      smallint[] not null,
    opens_at    timestamptz not null,
    closes_at   timestamptz not null,
    source_time timestamptz not null
);
create index campaign_dim_owner on campaign_dim (owner_area);

create table campaign_school (
    campaign_id   uuid not null references campaign_dim (campaign_id),
    school_id     varchar(10) not null,
    district_code varchar(6) not null,
    primary key (campaign_id, school_id)
);
create index campaign_school_district on campaign_school (district_code);

-- directory.hospitals.v1 (compacted): hospital names for the referral reports
create table hospital_dim (
    hospital_id   varchar(10) primary key,
    name          varchar(100) not null,
    district_code varchar(6) not null,
    source_time   timestamptz not null
);
