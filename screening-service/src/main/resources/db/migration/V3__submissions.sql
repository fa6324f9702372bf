create table submission (
    id                   uuid primary key,
    campaign_id          uuid not null references campaign (id),
    student_id           uuid not null references student (id),
    school_id            varchar(10) not null,
    instrument_id        varchar(10) not null,
    instrument_version   varchar(20) not null,
    mode                 varchar(6)  not null check (mode in ('ONLINE', 'PAPER')),
    client_submission_id varchar(64) not null,
    answers              int[]  not null,
    total_score          int not null,
    band                 varchar(30) not null,
    critical_item        boolean not null,
    risk_level           varchar(8) not null,
    rule                 varchar(60) not null,
    policy_version       varchar(20) not null,
    -- COUNTED: the one that counts for this student+campaign+instrument; CONFLICT: a second one kept for review
    status               varchar(8) not null check (status in ('COUNTED', 'CONFLICT', 'RESOLVED')),
    entered_by           varchar(64),
    submitted_at         timestamptz not null,
    unique (student_id, client_submission_id)
);
-- Online and paper never count twice.
create unique index submission_counted_once on submission (campaign_id, student_id, instrument_id) where status = 'COUNTED';
create index submission_campaign on submission (campaign_id, school_id);

-- The counsellor's work list: one case per student per campaign at MODERATE or above.
create table risk_case (
    id                uuid primary key,
    campaign_id       uuid not null references campaign (id),
    student_id        uuid not null references student (id),
    school_id         varchar(10) not null,
    risk_level        varchar(8) not null,
    risk_rank         smallint not null,          -- CRITICAL 4 .. MODERATE 2, for "critical first"
    reasons           jsonb not null default '[]',
    status            varchar(12) not null default 'OPEN' check (status in ('OPEN', 'FOLLOWING_UP', 'REFERRED', 'CLOSED')),
    referral_request_id uuid,
    referral_id       uuid,
    referral_status   varchar(20),
    referral_business_status varchar(20),
    referral_hospital varchar(10),
    referral_updated_at timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (campaign_id, student_id)
);
create index risk_case_queue on risk_case (school_id, status, risk_rank desc, created_at);

create table risk_case_note (
    id          uuid primary key,
    case_id     uuid not null references risk_case (id),
    author      varchar(64) not null,
    kind        varchar(20) not null check (kind in ('FOLLOW_UP', 'GUARDIAN_INFORMED', 'GUARDIAN_EXCEPTION', 'CLOSE')),
    note        varchar(2000) not null,
    created_at  timestamptz not null default now()
);
