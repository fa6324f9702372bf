-- A case may come from daily work (a teacher's, parent's or peer's report, the counsellor's own observation, the
-- hotline) as well as from a screening; each follows the standard procedure of its level (case_step).
alter table risk_case alter column campaign_id drop not null;
alter table risk_case add column source varchar(20) not null default 'SCREENING'
    check (source in ('SCREENING', 'DAILY_WORK', 'TEACHER_REPORT', 'PARENT_REPORT', 'PEER_REPORT', 'HOTLINE'));
alter table risk_case add column opened_by varchar(64);
alter table risk_case add column procedure_version varchar(20);
-- one open case outside any campaign per student: a second report updates it
create unique index risk_case_open_outside_campaigns on risk_case (student_id) where campaign_id is null and status <> 'CLOSED';
create index risk_case_student on risk_case (student_id);

create table case_step (
    case_id                 uuid not null references risk_case (id),
    code                    varchar(40) not null,
    due_at                  timestamptz not null,
    critical                boolean not null,
    -- DONE, or a documented EXCEPTION (guardian unreachable, guardian refuses, student absent)
    outcome                 varchar(10) check (outcome in ('DONE', 'EXCEPTION')),
    exception_code          varchar(30),
    how                     varchar(30),
    note                    varchar(2000),
    done_at                 timestamptz,
    done_by                 varchar(64),
    recorded_at             timestamptz,
    school_admin_alerted_at timestamptz,
    bureau_alerted_at       timestamptz,
    primary key (case_id, code)
);
-- the clock's sweep: open steps by deadline
create index case_step_open on case_step (due_at) where outcome is null;
