-- Counselling sessions of a case. The private notes are the counsellor's own: they leave this table only for the
-- school's counsellors, never to a topic, a report, the hospital or the bureau.
create table counselling_session (
    id             uuid primary key,
    case_id        uuid not null references risk_case (id),
    school_id      varchar(10) not null,
    held_on        date not null,
    minutes        int not null check (minutes between 5 and 600),
    kind           varchar(10) not null check (kind in ('INDIVIDUAL', 'GROUP', 'FAMILY')),
    -- the short structured assessment: the counsellor's level now, whether safety is a concern, how it goes
    risk_level     varchar(8) not null check (risk_level in ('NONE', 'LOW', 'MODERATE', 'HIGH', 'CRITICAL')),
    safety_concern boolean not null,
    progress       varchar(10) not null check (progress in ('IMPROVED', 'UNCHANGED', 'WORSE')),
    private_notes  varchar(4000),
    counsellor     varchar(64) not null,
    created_at     timestamptz not null
);
create index counselling_session_case on counselling_session (case_id, held_on);
