-- The trace of the work that owes the hospital its message (a submission's, a counsellor's request), resumed when it is sent.
alter table referral add column dispatch_traceparent text;
