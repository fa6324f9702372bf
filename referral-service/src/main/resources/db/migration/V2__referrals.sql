-- One referral episode per student at a time (ARCHITECTURE §3 step 4): requests for the same student merge
-- into the open episode; the partial unique index makes "two open referrals for one student" impossible.
create table referral (
    id                  uuid primary key,
    student_key         varchar(43) not null,
    school_id           varchar(10) not null,
    district_code       varchar(6) not null,
    grade               smallint,
    sex                 varchar(7),
    risk_level          varchar(8) not null check (risk_level in ('MODERATE', 'HIGH', 'CRITICAL')),
    risk_rank           smallint not null,
    reasons             jsonb not null,
    hospital_id         varchar(10) references hospital (id),
    backup_hospital_id  varchar(10) references hospital (id),
    hospitals_tried     varchar(10)[] not null default '{}',
    status              varchar(12) not null check (status in ('requested', 'accepted', 'rejected', 'in-progress', 'completed', 'cancelled', 'failed')),
    business_status     varchar(12) not null,
    open                boolean not null,
    first_requested_at  timestamptz not null,
    routed_at           timestamptz,
    accepted_at         timestamptz,
    appointment_at      timestamptz,
    completed_at        timestamptz,
    closed_at           timestamptz,
    -- SLA clocks: stored deadlines, so they survive restarts and any replica can act on them
    acknowledge_due_at  timestamptz not null,
    visit_due_at        timestamptz not null,
    acknowledge_escalated_at timestamptz,
    visit_escalated_at  timestamptz,
    guardian_due_at     timestamptz not null,
    -- the hospital message waiting for identity from screening-service (null = nothing pending)
    dispatch_kind       varchar(8) check (dispatch_kind in ('NEW', 'UPDATE', 'CANCEL')),
    dispatch_hospital_id varchar(10),
    dispatch_attempts   integer not null default 0,
    dispatch_next_at    timestamptz,
    dispatched_at       timestamptz,
    -- identity snapshot sent to the hospital (shown to that hospital and the student's school only; audited)
    patient             jsonb,
    feedback            text,
    version             integer not null default 0,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create unique index referral_one_open_per_student on referral (student_key) where open;
create index referral_by_hospital on referral (hospital_id, open, risk_rank desc, first_requested_at);
create index referral_by_school on referral (school_id, open, first_requested_at desc);
create index referral_acknowledge_due on referral (acknowledge_due_at) where open and status = 'requested' and acknowledge_escalated_at is null;
create index referral_visit_due on referral (visit_due_at) where open and completed_at is null and visit_escalated_at is null;
create index referral_dispatch_due on referral (dispatch_next_at) where dispatch_kind is not null;
create index referral_unrouted on referral (created_at) where open and hospital_id is null;

-- Every request that reached an episode (screening result, hotline call, counsellor), in arrival order.
create table referral_request (
    request_id   uuid primary key,
    referral_id  uuid not null references referral (id),
    source       varchar(10) not null,
    source_ref   uuid not null,
    risk_level   varchar(8) not null,
    reasons      jsonb not null,
    campaign_id  uuid,
    requested_at timestamptz not null,
    received_at  timestamptz not null
);
create index referral_request_by_referral on referral_request (referral_id);

-- The lifecycle as it happened: who moved the referral, from what to what, and the hospital's feedback.
create table referral_transition (
    id              uuid primary key,
    referral_id     uuid not null references referral (id),
    step            varchar(20) not null,
    from_status     varchar(12),
    to_status       varchar(12) not null,
    business_status varchar(12) not null,
    hospital_id     varchar(10),
    reason_code     varchar(60),
    note            text,
    appointment_at  timestamptz,
    escalation      varchar(16),
    actor           varchar(64) not null,
    actor_role      varchar(32) not null,
    occurred_at     timestamptz not null
);
create index referral_transition_by_referral on referral_transition (referral_id, occurred_at);

-- The counsellor informed the guardian (when, how, by whom) or documented why not (e.g. the guardian may be the risk).
create table guardian_notification (
    id           uuid primary key,
    referral_id  uuid not null references referral (id),
    kind         varchar(9) not null check (kind in ('INFORMED', 'EXCEPTION')),
    informed_at  timestamptz,
    method       varchar(10) check (method in ('PHONE', 'IN_PERSON', 'WECHAT', 'LETTER', 'OTHER')),
    informed_by  varchar(64),
    exception_code varchar(30) check (exception_code in ('GUARDIAN_MAY_BE_RISK', 'GUARDIAN_UNREACHABLE', 'STUDENT_SAFETY', 'OTHER')),
    note         text,
    recorded_by  varchar(64) not null,
    recorded_at  timestamptz not null,
    check ((kind = 'INFORMED') = (informed_at is not null and method is not null)),
    check ((kind = 'EXCEPTION') = (exception_code is not null))
);
create index guardian_notification_by_referral on guardian_notification (referral_id);
