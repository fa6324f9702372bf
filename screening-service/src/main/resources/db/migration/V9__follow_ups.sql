-- Follow-ups (回访) of a case, dated from the hospital's follow-up plan when it returns the student, and what each found.
create table follow_up (
    id          uuid primary key,
    case_id     uuid not null references risk_case (id),
    school_id   varchar(10) not null,
    referral_id uuid not null,
    after_days  int not null check (after_days between 1 and 365),
    by_whom     varchar(8) not null check (by_whom in ('SCHOOL', 'HOSPITAL')),
    due_on      date not null,
    outcome     varchar(14) check (outcome in ('SEEN', 'IMPROVED', 'UNCHANGED', 'WORSE', 'RE_REFER', 'MOVED_SCHOOL', 'UNREACHABLE')),
    note        varchar(2000),
    done_at     timestamptz,
    done_by     varchar(64),
    created_at  timestamptz not null,
    -- a plan applied twice (a redelivered event) dates each follow-up once
    unique (case_id, referral_id, after_days, by_whom)
);
create index follow_up_school_due on follow_up (school_id, due_on) where outcome is null;
