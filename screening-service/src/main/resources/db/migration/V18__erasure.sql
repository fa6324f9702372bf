-- Erasure of one student (PIPL art. 47): the school admin asks, the county bureau approves, and then every
-- service removes or irreversibly de-identifies what it holds. The request stays as the record that it was done:
-- who asked, why, who approved, what was erased (counts) — no identity once done.
create table erasure_request (
    id            uuid primary key,
    school_id     varchar(10) not null,
    student_id    uuid references student (id) on delete set null,   -- gone with the student
    student_key   varchar(43) not null,                              -- what the other services find the student by
    reason        varchar(500) not null,
    requested_by  varchar(100) not null,
    requested_at  timestamptz not null,
    status        varchar(9) not null check (status in ('REQUESTED', 'REJECTED', 'DONE')),
    decided_by    varchar(100),
    decided_at    timestamptz,
    decision_note varchar(500),
    erased        jsonb
);
create unique index erasure_request_pending on erasure_request (student_id) where status = 'REQUESTED';
create index erasure_request_by_school on erasure_request (school_id, requested_at desc);
