-- Students erased at their school's request (screening.erasures.v1): their per-student rows are deleted, the
-- aggregates they were counted in stay (a count names nobody), and a rebuild by replay leaves them out again.
-- Only the 16-byte hash reporting already used for them is kept, to know whom to leave out.
create table erased_subject (
    student_hash bytea primary key,
    erased_at    timestamptz not null
);
