-- A student discharged back to school by a hospital (without a referral from here) gets a case of source HOSPITAL_RETURN.
alter table risk_case drop constraint if exists risk_case_source_check;
alter table risk_case add constraint risk_case_source_check
    check (source in ('SCREENING', 'DAILY_WORK', 'TEACHER_REPORT', 'PARENT_REPORT', 'PEER_REPORT', 'HOTLINE', 'HOSPITAL_RETURN'));
