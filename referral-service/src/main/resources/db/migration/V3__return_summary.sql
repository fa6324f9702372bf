-- What the hospital sends back when it completes a referral (双向转诊): recommendations for the school (free text,
-- shown to the school through this service only), coded school accommodations, medication yes/no, the next
-- appointment and the follow-up plan (days after the return, by the school or the hospital).
alter table referral add column return_summary jsonb;
alter table referral add column returned_at timestamptz;
