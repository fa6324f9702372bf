-- A hospital may discharge a student back to school after treatment that did not begin with a referral from this
-- platform (POST /api/referrals/returns): the episode is recorded like a completed referral, with its origin, so the
-- school sees the return summary and dates the follow-ups the same way.
alter table referral add column origin varchar(16) not null default 'GREEN_CHANNEL'
    check (origin in ('GREEN_CHANNEL', 'HOSPITAL_RETURN'));
