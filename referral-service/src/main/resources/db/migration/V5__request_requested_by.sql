-- Who raised each request (the counsellor, the hotline operator; null for a student's own answers): screening records
-- that person, with the service account, when it releases the student's identity for the hospital message.
alter table referral_request add column requested_by varchar(64);
