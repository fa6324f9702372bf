-- The referrals referral-service has open for a student (from referral.status.v1): with the school's own risk cases
-- that raised a request, what lets the identity endpoint release a student's identity, and nothing else does.
create table referral_open (
    referral_id uuid primary key,
    student_key varchar(43) not null,
    school_id   varchar(10) not null,
    status      varchar(30) not null,
    open        boolean not null,
    updated_at  timestamptz not null
);
create index referral_open_by_student on referral_open (student_key, school_id) where open;
